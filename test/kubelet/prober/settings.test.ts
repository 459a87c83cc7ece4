import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { probeSettings } from "../../../src/kubelet/prober/index.js";

describe("probeSettings", () => {
  it("applies upstream's defaults", () => {
    assert.deepEqual(probeSettings({}, "readiness"), {
      periodMs: 10_000,
      initialDelayMs: 0,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });

  it("keeps given values, with successThreshold 1 for liveness and startup", () => {
    const probe = {
      periodSeconds: 3,
      initialDelaySeconds: 7,
      timeoutSeconds: 2,
      successThreshold: 4,
      failureThreshold: 5,
    };
    assert.deepEqual(probeSettings(probe, "readiness"), {
      periodMs: 3_000,
      initialDelayMs: 7_000,
      timeoutSeconds: 2,
      successThreshold: 4,
      failureThreshold: 5,
    });
    assert.equal(probeSettings(probe, "liveness").successThreshold, 1);
    assert.equal(probeSettings(probe, "startup").successThreshold, 1);
  });

  it("treats zero as unset, as API defaulting does, and scales durations", () => {
    const zero = { periodSeconds: 0, timeoutSeconds: 0, failureThreshold: 0, successThreshold: 0 };
    assert.deepEqual(probeSettings(zero, "readiness", 0.01), {
      periodMs: 100,
      initialDelayMs: 0,
      timeoutSeconds: 0.01,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });
});
