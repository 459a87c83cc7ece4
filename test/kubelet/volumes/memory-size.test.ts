import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import { podMemoryLimit, tmpfsSizeBytes } from "../../../src/kubelet/volumes/memory-size.js";

const Mi = 1024n * 1024n;

function c(name: string, memory?: string, restartPolicy?: string): Container {
  return {
    name,
    ...(memory === undefined ? {} : { resources: { limits: { memory } } }),
    ...(restartPolicy === undefined ? {} : { restartPolicy }),
  };
}

function pod(containers: Container[], initContainers: Container[] = []): Pod {
  return { metadata: {}, spec: { containers, initContainers } };
}

describe("pod memory limit", () => {
  it("is the sum of the containers' limits", () =>
    assert.equal(podMemoryLimit(pod([c("a", "100Mi"), c("b", "50Mi")])), 150n * Mi));

  it("is undefined when a container has no limit", () =>
    assert.equal(podMemoryLimit(pod([c("a", "100Mi"), c("b")])), undefined));

  it("is at least the largest init container plus the sidecars started before it", () => {
    const p = pod([c("a", "100Mi")], [c("side", "50Mi", "Always"), c("init", "500Mi")]);
    assert.equal(podMemoryLimit(p), 550n * Mi);
    const q = pod([c("a", "100Mi")], [c("init", "120Mi"), c("side", "50Mi", "Always")]);
    assert.equal(podMemoryLimit(q), 150n * Mi);
  });
});

describe("tmpfs size of memory-backed volumes", () => {
  it("is the kernel default without any bound", () =>
    assert.equal(tmpfsSizeBytes(pod([c("a")])), undefined));

  it("is the smallest of node allocatable, pod limit and sizeLimit", () => {
    const p = pod([c("a", "256Mi")]);
    assert.equal(tmpfsSizeBytes(p, { nodeAllocatableMemory: "1Gi" }), 256n * Mi);
    assert.equal(tmpfsSizeBytes(p, { nodeAllocatableMemory: "1Gi", sizeLimit: "64Mi" }), 64n * Mi);
    assert.equal(
      tmpfsSizeBytes(p, { nodeAllocatableMemory: "128Mi", sizeLimit: "200Mi" }),
      128n * Mi,
    );
    assert.equal(tmpfsSizeBytes(pod([c("a")]), { sizeLimit: "10Mi" }), 10n * Mi);
  });

  it("ignores a zero sizeLimit", () =>
    assert.equal(
      tmpfsSizeBytes(pod([c("a")]), { nodeAllocatableMemory: "1Gi", sizeLimit: "0" }),
      1024n * Mi,
    ));
});
