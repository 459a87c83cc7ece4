import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node, Pod } from "kubernetes-types/core/v1.js";
import { FakeClock } from "../../../src/client/util/clock.js";
import {
  missingNodes,
  podsOnNodes,
  TAINT_OUT_OF_SERVICE,
  terminatedOverThreshold,
  terminatingOutOfService,
  unscheduledTerminating,
} from "../../../src/controllers/podgc/decide.js";
import { MissingNodeQuarantine } from "../../../src/controllers/podgc/quarantine.js";

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

function pod(
  name: string,
  opts: {
    phase?: string;
    reason?: string;
    node?: string;
    created?: number;
    deleting?: boolean;
  } = {},
): Pod {
  return {
    metadata: {
      name,
      namespace: "default",
      uid: `uid-${name}`,
      creationTimestamp: iso(opts.created ?? 0),
      ...(opts.deleting ? { deletionTimestamp: iso(1) } : {}),
    },
    spec: { containers: [], ...(opts.node ? { nodeName: opts.node } : {}) },
    status: {
      phase: opts.phase ?? "Running",
      ...(opts.reason ? { reason: opts.reason } : {}),
    },
  };
}

function node(name: string, ready: string, taints: Node["spec"] = {}): Node {
  return {
    metadata: { name },
    spec: taints,
    status: { conditions: [{ type: "Ready", status: ready }] },
  };
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata?.name);

describe("pod GC decisions", () => {
  it("deletes the finished pods beyond the threshold, evicted first, then oldest", () => {
    const pods = [
      pod("running", { created: 0 }),
      pod("old-done", { phase: "Succeeded", created: 1000 }),
      pod("new-failed", { phase: "Failed", created: 3000 }),
      pod("evicted", { phase: "Failed", reason: "Evicted", created: 5000 }),
      pod("mid-done", { phase: "Succeeded", created: 2000 }),
    ];
    assert.deepEqual(names(terminatedOverThreshold(pods, 2)), ["evicted", "old-done"]);
    assert.deepEqual(terminatedOverThreshold(pods, 4), []);
    assert.deepEqual(terminatedOverThreshold(pods, 0), [], "0 disables it");
  });

  it("finds nodes pods are bound to that the cache lacks, and those nodes' pods", () => {
    const pods = [pod("a", { node: "gone" }), pod("b", { node: "here" }), pod("c")];
    const nodes = new Map([["here", node("here", "True")]]);
    const missing = missingNodes(pods, nodes);
    assert.deepEqual([...missing], ["gone"]);
    assert.deepEqual(names(podsOnNodes(pods, missing)), ["a"]);
  });

  it("deletes terminating pods that were never scheduled", () => {
    const pods = [pod("a", { deleting: true }), pod("b", { deleting: true, node: "n" }), pod("c")];
    assert.deepEqual(names(unscheduledTerminating(pods)), ["a"]);
  });

  it("deletes terminating pods on a not-Ready node tainted out-of-service", () => {
    const oos = { taints: [{ key: TAINT_OUT_OF_SERVICE, value: "shutdown", effect: "NoExecute" }] };
    const nodes = new Map([
      ["down", node("down", "Unknown", oos)],
      ["up", node("up", "True", oos)],
      ["plain", node("plain", "Unknown")],
    ]);
    const pods = [
      pod("a", { deleting: true, node: "down" }),
      pod("b", { node: "down" }),
      pod("c", { deleting: true, node: "up" }),
      pod("d", { deleting: true, node: "plain" }),
    ];
    assert.deepEqual(names(terminatingOutOfService(pods, nodes)), ["a"]);
  });
});

describe("missing node quarantine", () => {
  it("lets a node be checked only after it has been missing for the quarantine", () => {
    const clock = new FakeClock(0);
    const q = new MissingNodeQuarantine(40_000);
    assert.deepEqual(q.due(new Set(["n1"]), clock.now()), []);
    clock.step(20_000);
    assert.deepEqual(q.due(new Set(["n1", "n2"]), clock.now()), []);
    clock.step(20_000);
    assert.deepEqual(q.due(new Set(["n1", "n2"]), clock.now()), ["n1"]);
  });

  it("starts over for a node that reappeared or turned out to exist", () => {
    const clock = new FakeClock(0);
    const q = new MissingNodeQuarantine(1_000);
    q.due(new Set(["n1"]), clock.now());
    clock.step(500);
    q.due(new Set(), clock.now());
    q.due(new Set(["n1"]), clock.now());
    clock.step(600);
    assert.deepEqual(q.due(new Set(["n1"]), clock.now()), []);
    clock.step(400);
    assert.deepEqual(q.due(new Set(["n1"]), clock.now()), ["n1"]);
    q.clear("n1");
    assert.deepEqual(q.due(new Set(["n1"]), clock.now()), []);
  });

  it("with no quarantine checks a node the first time it is missed", () => {
    assert.deepEqual(new MissingNodeQuarantine(0).due(new Set(["n1"]), 5), ["n1"]);
  });
});
