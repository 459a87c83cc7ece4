import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { expandStatic, runProbe } from "../../../src/kubelet/prober/index.js";
import { FakeImageService, FakeRuntimeService } from "../../../src/runtime/fake/index.js";

const runtime = new FakeRuntimeService({ images: new FakeImageService() });
const pod: Pod = { metadata: { name: "web", namespace: "default", uid: "u1" } };
const target = (podIP: string | undefined) => ({
  pod,
  container: { name: "app" },
  containerId: "c1",
  podIP,
});

describe("runProbe", () => {
  it("reports a probe without a handler, or a network probe without a pod IP, as errored", async () => {
    assert.deepEqual(await runProbe(runtime, {}, target("10.0.0.1"), 1), {
      result: "error",
      error: "missing probe handler for web_default(u1):app",
    });
    for (const probe of [
      { httpGet: { port: 80 } },
      { tcpSocket: { port: 80 } },
      { grpc: { port: 80 } },
    ]) {
      assert.deepEqual(await runProbe(runtime, probe, target(undefined), 1), {
        result: "error",
        error: "the pod has no IP",
      });
    }
  });

  it("expands $(VAR) like upstream's ExpandContainerCommandOnlyStatic", () => {
    assert.deepEqual(
      expandStatic(
        ["sh", "-c", "test -f $(A) && echo $$(A) $(B)"],
        [{ name: "A", value: "/x" }, { name: "A", value: "/y" }, { name: "B" }],
      ),
      ["sh", "-c", "test -f /y && echo $(A) "],
    );
  });
});
