import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newControllerRef } from "../../../src/controllers/common/controller-ref.js";
import { indexedPrefix, newJobPod } from "../../../src/controllers/job/job-pod-template.js";
import { makeJob } from "./fixtures.js";

const ref = (job = makeJob()) => newControllerRef(job, { apiVersion: "batch/v1", kind: "Job" });

describe("pods made for a Job", () => {
  it("carry the tracking finalizer, the template's labels and a controller reference", () => {
    const job = makeJob();
    const pod = newJobPod(job, { controllerRef: ref(job) });
    assert.deepEqual(pod.metadata?.finalizers, ["batch.kubernetes.io/job-tracking"]);
    assert.equal(pod.metadata?.generateName, "pi-");
    assert.equal(pod.metadata?.labels?.["batch.kubernetes.io/controller-uid"], "job-uid");
    assert.equal(pod.metadata?.ownerReferences?.[0]?.controller, true);
  });

  it("of an Indexed Job carry their index as annotation, label, hostname, name and env", () => {
    const job = makeJob({ completionMode: "Indexed", completions: 3 });
    const pod = newJobPod(job, { controllerRef: ref(job), index: 2 });
    assert.equal(pod.metadata?.annotations?.["batch.kubernetes.io/job-completion-index"], "2");
    assert.equal(pod.metadata?.labels?.["batch.kubernetes.io/job-completion-index"], "2");
    assert.equal(pod.spec?.hostname, "pi-2");
    assert.equal(pod.metadata?.generateName, "pi-2-");
    const env = pod.spec?.containers[0]?.env?.find((e) => e.name === "JOB_COMPLETION_INDEX");
    assert.equal(
      env?.valueFrom?.fieldRef?.fieldPath,
      "metadata.annotations['batch.kubernetes.io/job-completion-index']",
    );
  });

  it("keep generated names within bounds for long Job names", () => {
    const prefix = indexedPrefix("x".repeat(70), 12);
    assert.equal(prefix.length, 58);
    assert.ok(prefix.endsWith("-12-"));
  });
});
