import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reviewJobs } from "../../../src/controllers/cronjob/active.js";
import { jobsBeyondHistory } from "../../../src/controllers/cronjob/history.js";
import { jobFromTemplate, jobName } from "../../../src/controllers/cronjob/job-template.js";
import { makeCronJob, makeJob } from "./fixtures.js";

const at = (s: string) => Date.parse(s);

describe("a CronJob's Jobs", () => {
  it("are named for their start time in minutes since the epoch", () => {
    assert.equal(jobName("tick", at("2024-05-01T10:01:00Z")), "tick-28575961");
  });

  it("come from the template, owned by the CronJob, annotated with the start time", () => {
    const job = jobFromTemplate(makeCronJob(), at("2024-05-01T10:01:00Z"));
    assert.equal(job.metadata?.name, "tick-28575961");
    assert.equal(job.metadata?.labels?.app, "tick");
    assert.equal(
      job.metadata?.annotations?.["batch.kubernetes.io/cronjob-scheduled-timestamp"],
      "2024-05-01T10:01:00Z",
    );
    const ref = job.metadata?.ownerReferences?.[0];
    assert.deepEqual([ref?.kind, ref?.uid, ref?.controller], ["CronJob", "cj-uid", true]);
    assert.equal(job.spec?.template.spec?.restartPolicy, "Never");
  });

  it("carry the start time in the CronJob's own zone", () => {
    const cj = makeCronJob({ timeZone: "Europe/Berlin" });
    const job = jobFromTemplate(cj, at("2024-05-01T10:01:00Z"));
    assert.equal(
      job.metadata?.annotations?.["batch.kubernetes.io/cronjob-scheduled-timestamp"],
      "2024-05-01T12:01:00+02:00",
    );
  });

  it("leave status.active when they finish, updating lastSuccessfulTime", () => {
    const cj = makeCronJob(
      {},
      {
        active: [
          { name: "a", uid: "a-uid" },
          { name: "b", uid: "b-uid" },
          { name: "gone", uid: "gone-uid" },
        ],
      },
    );
    const review = reviewJobs(cj, [
      makeJob("a", { finished: "Complete", completion: "2024-05-01T10:02:00Z" }),
      makeJob("b"),
      makeJob("stray"),
    ]);
    assert.deepEqual(
      review.active.map((r) => r.name),
      ["b", "gone"],
    );
    assert.equal(review.lastSuccessfulTime, "2024-05-01T10:02:00Z");
    assert.deepEqual(
      review.missing.map((r) => r.name),
      ["gone"],
    );
    assert.deepEqual(
      review.unlisted.map((j) => j.metadata?.name),
      ["stray"],
    );
    assert.ok(review.changed);
  });

  it("beyond the history limits are deleted oldest first", () => {
    const cj = makeCronJob({ successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 });
    const doomed = jobsBeyondHistory(cj, [
      makeJob("s3", { finished: "Complete", start: "2024-05-01T10:03:00Z" }),
      makeJob("s1", { finished: "Complete", start: "2024-05-01T10:01:00Z" }),
      makeJob("s2", { finished: "Complete", start: "2024-05-01T10:02:00Z" }),
      makeJob("f1", { finished: "Failed", start: "2024-05-01T10:01:00Z" }),
      makeJob("f2", { finished: "Failed", start: "2024-05-01T10:02:00Z" }),
      makeJob("running"),
    ]);
    assert.deepEqual(
      doomed.map((j) => j.metadata?.name),
      ["s1", "s2", "f1"],
    );
  });
});
