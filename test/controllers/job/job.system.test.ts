// System suite: the Job controller (and the TTL-after-finished controller)
// against a real API server, driven and observed with the real kubectl.
// The tests play the kubelet, moving pods to Running/Succeeded/Failed.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Job } from "kubernetes-types/batch/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { JobController } from "../../../src/controllers/job/controller.js";
import { TtlAfterFinishedController } from "../../../src/controllers/ttlafterfinished/controller.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

const FINALIZER = "batch.kubernetes.io/job-tracking";

function jobManifest(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name },
    spec: {
      template: {
        spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] },
      },
      ...spec,
    },
  });
}

const isActive = (p: Pod) =>
  !p.metadata?.deletionTimestamp && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed";

describe("job controller", () => {
  let h: ControllerHarness;
  const getJob = async (name: string): Promise<Job> =>
    JSON.parse(await h.kubectl(["get", "job", name, "-o", "json"])) as Job;
  const condition = (job: Job, type: string) =>
    job.status?.conditions?.find((c) => c.type === type && c.status === "True");
  const podsOf = (name: string) => h.pods("default", `batch.kubernetes.io/job-name=${name}`);

  before(async () => {
    h = await startControllers((ctx) => [
      new JobController(ctx, { backoffBaseMs: 200 }),
      new TtlAfterFinishedController(ctx),
    ]);
  });
  after(async () => {
    await h?.stop();
  });

  it("runs completions 4 with parallelism 2 to Complete, never more than 2 at once", async () => {
    await h.kubectl(["apply", "-f", "-"], jobManifest("para", { completions: 4, parallelism: 2 }));
    let maxActive = 0;
    const job = await until(
      "job para to complete",
      async () => {
        const active = (await podsOf("para")).filter(isActive);
        maxActive = Math.max(maxActive, active.length);
        // One pod finishes per poll, so the controller has to keep topping up.
        const first = active[0];
        if (first) await h.setPodPhase(first, "Succeeded");
        const j = await getJob("para");
        return condition(j, "Complete") ? j : undefined;
      },
      30_000,
    );
    assert.ok(maxActive <= 2, `at most 2 active pods, saw ${maxActive}`);
    assert.equal(maxActive, 2, "parallelism 2 was used");
    assert.equal(job.status?.succeeded, 4);
    assert.equal(job.status?.active ?? 0, 0);
    assert.equal(condition(job, "Complete")?.reason, "CompletionsReached");
    assert.ok(job.status?.completionTime, "completionTime is set");
    const pods = await podsOf("para");
    assert.equal(pods.length, 4, "no pod beyond the 4 completions was created");
    for (const p of pods)
      assert.ok(!p.metadata?.finalizers?.includes(FINALIZER), "finalizer released");
  });

  it("fails with BackoffLimitExceeded after backoffLimit+1 failed pods", async () => {
    await h.kubectl(["apply", "-f", "-"], jobManifest("flaky", { backoffLimit: 1 }));
    const failedPods = new Set<string>();
    const job = await until(
      "job flaky to fail",
      async () => {
        for (const p of (await podsOf("flaky")).filter(isActive)) {
          await h.setPodPhase(p, "Failed", { exitCode: 2 });
          failedPods.add(p.metadata?.name ?? "");
        }
        const j = await getJob("flaky");
        return condition(j, "Failed") ? j : undefined;
      },
      30_000,
    );
    assert.equal(condition(job, "Failed")?.reason, "BackoffLimitExceeded");
    assert.equal(job.status?.failed, 2);
    assert.equal(failedPods.size, 2, "one replacement after the first failure");
    assert.equal((await podsOf("flaky")).length, 2);
  });

  it("fails with DeadlineExceeded after activeDeadlineSeconds and stops its pods", async () => {
    await h.kubectl(["apply", "-f", "-"], jobManifest("slow", { activeDeadlineSeconds: 2 }));
    const pod = await until("a pod for slow", async () => (await podsOf("slow"))[0]);
    await h.setPodPhase(pod, "Running");
    const job = await until("job slow to fail", async () => {
      const j = await getJob("slow");
      return condition(j, "Failed") ? j : undefined;
    });
    assert.equal(condition(job, "Failed")?.reason, "DeadlineExceeded");
    assert.equal(job.status?.active ?? 0, 0);
    assert.equal(job.status?.failed, 1);
    assert.equal((await podsOf("slow")).length, 0, "the running pod was deleted");
  });

  it("gives an Indexed Job's pods their completion index and records completedIndexes", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      jobManifest("idx", { completions: 3, parallelism: 3, completionMode: "Indexed" }),
    );
    const pods = await until("3 pods for idx", async () => {
      const ps = await podsOf("idx");
      return ps.length === 3 ? ps : undefined;
    });
    const indexes = pods
      .map((p) => p.metadata?.annotations?.["batch.kubernetes.io/job-completion-index"])
      .sort();
    assert.deepEqual(indexes, ["0", "1", "2"]);
    for (const p of pods) {
      const ix = p.metadata?.labels?.["batch.kubernetes.io/job-completion-index"];
      assert.equal(p.spec?.hostname, `idx-${ix}`);
      assert.ok(p.spec?.containers[0]?.env?.some((e) => e.name === "JOB_COMPLETION_INDEX"));
    }
    for (const p of pods) await h.setPodPhase(p, "Succeeded");
    const job = await until("job idx to complete", async () => {
      const j = await getJob("idx");
      return condition(j, "Complete") ? j : undefined;
    });
    assert.equal(job.status?.completedIndexes, "0-2");
    assert.equal(job.status?.succeeded, 3);
  });

  it("runs no pods while suspended and starts them on resume", async () => {
    await h.kubectl(["apply", "-f", "-"], jobManifest("paused", { suspend: true }));
    const suspended = await until("Suspended condition", async () => {
      const j = await getJob("paused");
      return condition(j, "Suspended") ? j : undefined;
    });
    assert.equal(condition(suspended, "Suspended")?.reason, "JobSuspended");
    assert.equal(suspended.status?.startTime, undefined);
    assert.equal((await podsOf("paused")).length, 0);

    await h.kubectl(["patch", "job", "paused", "--type=merge", "-p", '{"spec":{"suspend":false}}']);
    await until("a pod after resume", async () => (await podsOf("paused"))[0]);
    const resumed = await until("JobResumed", async () => {
      const j = await getJob("paused");
      const c = j.status?.conditions?.find((x) => x.type === "Suspended");
      return c?.status === "False" ? j : undefined;
    });
    assert.equal(
      resumed.status?.conditions?.find((c) => c.type === "Suspended")?.reason,
      "JobResumed",
    );
    assert.ok(resumed.status?.startTime);
  });

  it("deletes a finished Job once ttlSecondsAfterFinished has passed", async () => {
    await h.kubectl(["apply", "-f", "-"], jobManifest("brief", { ttlSecondsAfterFinished: 1 }));
    const pod = await until("a pod for brief", async () => (await podsOf("brief"))[0]);
    // Still there while it runs (getJob fails if it is gone): the TTL counts from the finish.
    assert.equal(condition(await getJob("brief"), "Complete"), undefined);
    await h.setPodPhase(pod, "Succeeded");
    // Complete, then gone: under load the delete may come before a poll sees Complete.
    await until("job brief to finish and be deleted", async () => {
      const r = await h.kubectlRaw(["get", "job", "brief"]);
      return r.code !== 0 && /NotFound|not found/.test(r.stderr);
    });
  });

  it("releases the finalizer of pods whose Job was deleted", async () => {
    await h.kubectl(["apply", "-f", "-"], jobManifest("doomed", {}));
    const pod = await until("a pod for doomed", async () => (await podsOf("doomed"))[0]);
    assert.ok(pod.metadata?.finalizers?.includes(FINALIZER));
    await h.kubectl(["delete", "job", "doomed", "--wait=false"]);
    await until("the finalizer to be removed", async () => {
      const p = (await podsOf("doomed")).find((x) => x.metadata?.uid === pod.metadata?.uid);
      return p === undefined || !p.metadata?.finalizers?.includes(FINALIZER);
    });
  });
});
