import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultCronJob, defaultJob } from "../../../src/api/defaults/batch.js";
import type { KubeObject } from "../../../src/api/strategy.js";
import {
  validateCronJob,
  validateJob,
  validateJobUpdate,
} from "../../../src/api/validation/batch.js";
import { cronScheduleError } from "../../../src/api/validation/cron.js";
import { messages } from "./helpers.js";

function job(restartPolicy?: string): KubeObject {
  const j: KubeObject = {
    metadata: { name: "pi", namespace: "default", uid: "0000-1111" },
    spec: {
      template: {
        spec: {
          containers: [{ name: "pi", image: "perl" }],
          ...(restartPolicy === undefined ? {} : { restartPolicy }),
        },
      },
    },
  };
  defaultJob(j);
  return j;
}

describe("validateJob", () => {
  it("accepts a job with restartPolicy Never", () => {
    assert.deepEqual(validateJob(job("Never")), []);
  });

  it("rejects the default restartPolicy Always", () => {
    assert.deepEqual(messages(validateJob(job())), [
      'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
    ]);
  });

  it("keeps the template immutable", () => {
    const old = job("Never");
    const next = structuredClone(old);
    const spec = (next.spec as { template: { spec: { containers: Array<{ image: string }> } } })
      .template.spec;
    const first = spec.containers[0];
    assert.ok(first);
    first.image = "perl:5";
    const errs = validateJobUpdate(next, old);
    assert.deepEqual(
      errs.map((e) => [e.field, e.detail]),
      [["spec.template", "field is immutable"]],
    );
  });
});

describe("cron schedules", () => {
  const cases: Array<[string, string | undefined]> = [
    ["*/1 * * * *", undefined],
    ["0 3 * * MON-FRI", undefined],
    ["@hourly", undefined],
    ["@every 5m", undefined],
    ["foo", "expected exactly 5 fields, found 1: [foo]"],
    ["* * * *", "expected exactly 5 fields, found 4: [* * * *]"],
    ["60 * * * *", "end of range (60) above maximum (59): 60"],
    ["@weekdays", "unrecognized descriptor: @weekdays"],
  ];
  for (const [schedule, want] of cases) {
    it(`${JSON.stringify(schedule)} is ${want === undefined ? "valid" : "rejected"}`, () => {
      assert.equal(cronScheduleError(schedule), want);
    });
  }

  it("reports a bad schedule on spec.schedule", () => {
    const cj: KubeObject = {
      metadata: { name: "c", namespace: "default" },
      spec: {
        schedule: "foo",
        jobTemplate: {
          spec: {
            template: {
              spec: { containers: [{ name: "c", image: "busybox" }], restartPolicy: "OnFailure" },
            },
          },
        },
      },
    };
    defaultCronJob(cj);
    assert.deepEqual(messages(validateCronJob(cj)), [
      'spec.schedule: Invalid value: "foo": expected exactly 5 fields, found 1: [foo]',
    ]);
  });
});
