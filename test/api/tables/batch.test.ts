import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cronJobPrinter, jobPrinter } from "../../../src/api/tables/batch.js";
import { ago, MIN, NOW, obj, SEC } from "./fixtures.js";

const podTemplate = {
  spec: {
    restartPolicy: "Never",
    containers: [
      { name: "pi", image: "perl", command: ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"] },
    ],
  },
};

function job(spec: Record<string, unknown>, status: Record<string, unknown>, meta = {}) {
  return obj({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "pi", creationTimestamp: ago(5 * MIN), ...meta },
    spec: {
      selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "abc" } },
      template: podTemplate,
      ...spec,
    },
    status,
  });
}

describe("job printer", () => {
  it("declares STATUS COMPLETIONS DURATION AGE and the wide columns", () => {
    assert.deepEqual(
      jobPrinter.columns.map((c) => c.name),
      ["Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"],
    );
  });

  it("prints a completed job with its run time", () => {
    const j = job(
      { completions: 1, parallelism: 1 },
      {
        succeeded: 1,
        startTime: ago(5 * MIN),
        completionTime: ago(5 * MIN - 42 * SEC),
        conditions: [
          { type: "SuccessCriteriaMet", status: "True" },
          { type: "Complete", status: "True" },
        ],
      },
    );
    assert.deepEqual(jobPrinter.row(j, NOW), [
      "pi",
      "Complete",
      "1/1",
      "42s",
      "5m",
      "pi",
      "perl",
      "batch.kubernetes.io/controller-uid=abc",
    ]);
  });

  const cases: Array<{
    name: string;
    spec: Record<string, unknown>;
    status: Record<string, unknown>;
    meta?: Record<string, unknown>;
    want: [string, string, string];
  }> = [
    {
      name: "a running job measures its duration up to now",
      spec: { completions: 3 },
      status: { active: 1, succeeded: 1, startTime: ago(150 * SEC) },
      want: ["Running", "1/3", "2m30s"],
    },
    {
      name: "a job not yet started has an empty duration",
      spec: { completions: 1 },
      status: {},
      want: ["Running", "0/1", ""],
    },
    {
      name: "a work-queue job without completions reads n/1",
      spec: { parallelism: 1 },
      status: { startTime: ago(10 * SEC) },
      want: ["Running", "0/1", "10s"],
    },
    {
      name: "a parallel work-queue job reads n/1 of P",
      spec: { parallelism: 4 },
      status: { succeeded: 2, startTime: ago(10 * SEC) },
      want: ["Running", "2/1 of 4", "10s"],
    },
    {
      name: "a failed job reads Failed",
      spec: { completions: 1 },
      status: { failed: 7, conditions: [{ type: "Failed", status: "True" }] },
      want: ["Failed", "0/1", ""],
    },
    {
      name: "a suspended job reads Suspended",
      spec: { completions: 1, suspend: true },
      status: { conditions: [{ type: "Suspended", status: "True" }] },
      want: ["Suspended", "0/1", ""],
    },
    {
      name: "a job being deleted reads Terminating",
      spec: { completions: 1 },
      status: { conditions: [{ type: "Suspended", status: "True" }] },
      meta: { deletionTimestamp: ago(SEC) },
      want: ["Terminating", "0/1", ""],
    },
    {
      name: "a job past its failure policy reads FailureTarget",
      spec: { completions: 1 },
      status: { conditions: [{ type: "FailureTarget", status: "True" }] },
      want: ["FailureTarget", "0/1", ""],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(jobPrinter.row(job(c.spec, c.status, c.meta), NOW).slice(1, 4), c.want);
    });
  }
});

describe("cron job printer", () => {
  it("prints schedule, time zone, suspend, active jobs and last schedule", () => {
    const cj = obj({
      metadata: { name: "hello", creationTimestamp: ago(10 * MIN) },
      spec: {
        schedule: "*/1 * * * *",
        suspend: false,
        jobTemplate: { spec: { template: podTemplate } },
      },
      status: { active: [{ name: "hello-1" }], lastScheduleTime: ago(40 * SEC) },
    });
    assert.deepEqual(cronJobPrinter.row(cj, NOW), [
      "hello",
      "*/1 * * * *",
      "<none>",
      "False",
      1,
      "40s",
      "10m",
      "pi",
      "perl",
      "<none>",
    ]);
  });

  it("prints an unset suspend, a time zone and a never-run schedule", () => {
    const cj = obj({
      metadata: { name: "nightly" },
      spec: { schedule: "0 3 * * *", timeZone: "Etc/UTC", jobTemplate: { spec: {} } },
    });
    assert.deepEqual(cronJobPrinter.row(cj, NOW).slice(1, 6), [
      "0 3 * * *",
      "Etc/UTC",
      "<unset>",
      0,
      "<none>",
    ]);
  });
});
