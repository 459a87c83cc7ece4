// System suite: the CronJob controller (with the Job controller running
// the Jobs it starts) against a real API server, observed with the real
// kubectl. Schedule math is unit-tested; here the controller's clock runs
// ahead of the wall clock by `ahead` ms, so a start time "has passed"
// without waiting for the minute to turn.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CronJob, Job } from "kubernetes-types/batch/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { type Clock, realClock } from "../../../src/client/util/clock.js";
import { CronJobController } from "../../../src/controllers/cronjob/controller.js";
import { JobController } from "../../../src/controllers/job/controller.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

function cronJobManifest(name: string, spec: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name },
    spec: {
      schedule: "*/1 * * * *",
      jobTemplate: {
        spec: {
          template: {
            spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] },
          },
        },
      },
      ...spec,
    },
  });
}

describe("cronjob controller", () => {
  let h: ControllerHarness;
  let ahead = 0;
  const clock: Clock = { now: () => Date.now() + ahead, setTimeout: realClock.setTimeout };

  const getCronJob = async (name: string): Promise<CronJob> =>
    JSON.parse(await h.kubectl(["get", "cronjob", name, "-o", "json"])) as CronJob;
  const jobsOf = async (cronJob: CronJob): Promise<Job[]> => {
    const list = JSON.parse(await h.kubectl(["get", "jobs", "-o", "json"])) as { items: Job[] };
    return list.items.filter((j) =>
      j.metadata?.ownerReferences?.some((r) => r.uid === cronJob.metadata?.uid && r.controller),
    );
  };
  const finishPodsOf = async (job: Job) => {
    const pods = await h.pods("default", `batch.kubernetes.io/job-name=${job.metadata?.name}`);
    const pod = pods.find((p: Pod) => p.status?.phase !== "Succeeded");
    if (pod) await h.setPodPhase(pod, "Succeeded");
    return pods.length > 0;
  };
  /** Makes the controller look at the CronJob now (an update event). */
  const poke = (name: string) =>
    h.kubectl(["annotate", "--overwrite", "cronjob", name, `poke=${Date.now()}`]);

  before(async () => {
    h = await startControllers((ctx) => [
      new JobController(ctx),
      new CronJobController(ctx, { clock }),
    ]);
  });
  after(async () => {
    await h?.stop();
  });

  it("starts a Job for a start time that has passed and records it", async () => {
    ahead = 70_000;
    await h.kubectl(["apply", "-f", "-"], cronJobManifest("tick"));
    const cj = await until("an active job", async () => {
      const c = await getCronJob("tick");
      return c.status?.active?.length ? c : undefined;
    });
    const [job] = await jobsOf(cj);
    assert.ok(job, "the job exists");
    const scheduled = Date.parse(cj.status?.lastScheduleTime ?? "");
    assert.equal(scheduled % 60_000, 0, "a whole-minute start time");
    assert.ok(scheduled <= clock.now());
    assert.equal(job.metadata?.name, `tick-${scheduled / 60_000}`);
    assert.equal(
      Date.parse(
        job.metadata?.annotations?.["batch.kubernetes.io/cronjob-scheduled-timestamp"] ?? "",
      ),
      scheduled,
    );
    assert.equal(cj.status?.active?.[0]?.uid, job.metadata?.uid);

    // The Job runs to completion: it leaves the active list and sets lastSuccessfulTime.
    await until("the job's pod to finish", () => finishPodsOf(job));
    const done = await until("the job to leave status.active", async () => {
      const c = await getCronJob("tick");
      return !c.status?.active?.length && c.status?.lastSuccessfulTime ? c : undefined;
    });
    assert.ok(done.status?.lastSuccessfulTime);
    assert.equal((await jobsOf(done)).length, 1, "one catch-up, not one per missed minute");
  });

  it("under Forbid skips a start while the previous Job runs, then resumes", async () => {
    ahead = 70_000;
    await h.kubectl(["apply", "-f", "-"], cronJobManifest("solo", { concurrencyPolicy: "Forbid" }));
    const first = await until("the first job", async () => {
      const c = await getCronJob("solo");
      return c.status?.active?.length ? c : undefined;
    });

    ahead += 60_000; // the next start time is due now
    await poke("solo");
    await until("a JobAlreadyActive event", async () => {
      const out = await h.kubectl([
        "get",
        "events",
        "--field-selector",
        "involvedObject.name=solo,reason=JobAlreadyActive",
        "-o",
        "name",
      ]);
      return out.trim().length > 0;
    });
    assert.equal((await jobsOf(first)).length, 1, "no second job while the first is active");

    const [job] = await jobsOf(first);
    assert.ok(job);
    await until("the first job's pod to finish", () => finishPodsOf(job));
    const jobs = await until("a second job after the first finished", async () => {
      const js = await jobsOf(first);
      return js.length === 2 ? js : undefined;
    });
    assert.ok(jobs.some((j) => j.metadata?.uid !== job.metadata?.uid));
  });

  it("lets kubectl create a Job from a CronJob's template", async () => {
    ahead = 0;
    await h.kubectl(["apply", "-f", "-"], cronJobManifest("manual", { suspend: true }));
    await h.kubectl(["create", "job", "--from=cronjob/manual", "manual-run"]);
    const job = JSON.parse(await h.kubectl(["get", "job", "manual-run", "-o", "json"])) as Job;
    assert.equal(job.metadata?.ownerReferences?.[0]?.kind, "CronJob");
    assert.equal(job.metadata?.annotations?.["cronjob.kubernetes.io/instantiate"], "manual");
    // The Job controller runs it like any other Job.
    await until(
      "a pod for manual-run",
      async () => (await h.pods("default", "batch.kubernetes.io/job-name=manual-run"))[0],
    );
    const cj = await getCronJob("manual");
    assert.equal(cj.status?.active, undefined, "a suspended CronJob started nothing itself");
  });
});
