import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node } from "kubernetes-types/core/v1.js";
import { nodeShouldRunDaemonPod } from "../../../src/controllers/daemonset/eligibility.js";
import {
  planDaemonPods,
  podsByNode,
  podsShouldBeOnNode,
} from "../../../src/controllers/daemonset/placement.js";
import { daemonPod, daemonSet, node } from "./fixtures.js";

const NOW = Date.parse("2024-06-01T00:00:00Z");
const fit = { shouldRun: true, shouldContinueRunning: true };
const names = (pods: { pod: { metadata?: { name?: string } } }[]) =>
  pods.map((d) => d.pod.metadata?.name);

describe("daemon pod placement", () => {
  it("creates a pod on each eligible node without one and none elsewhere", () => {
    const ds = daemonSet({ spec: { nodeSelector: { role: "worker" } } });
    const nodes: Node[] = [
      node("a", { labels: { role: "worker" } }),
      node("b", { labels: { role: "worker" } }),
      node("c"),
    ];
    const existing = daemonPod("b");
    const plan = planDaemonPods(ds, {
      nodes,
      byNode: podsByNode([existing]),
      hash: "new",
      fit: (n) => nodeShouldRunDaemonPod(n, ds),
      now: NOW,
    });
    assert.deepEqual(plan.createOn, ["a"]);
    assert.deepEqual(plan.delete, []);
  });

  it("deletes pods from nodes the daemon must leave and unbound pods of vanished nodes", () => {
    const ds = daemonSet();
    const evicting = node("a", { taints: [{ key: "x", effect: "NoExecute" }] });
    const onA = daemonPod("a");
    const ghost = daemonPod("gone", { bound: false });
    const boundGhost = daemonPod("gone2");
    const plan = planDaemonPods(ds, {
      nodes: [evicting],
      byNode: podsByNode([onA, ghost, boundGhost]),
      hash: "new",
      fit: (n) => nodeShouldRunDaemonPod(n, ds),
      now: NOW,
    });
    assert.deepEqual(plan.createOn, []);
    assert.deepEqual(
      plan.delete.map((d) => [d.pod.metadata?.name, d.reason]),
      [
        [onA.metadata?.name, "misscheduled"],
        [ghost.metadata?.name, "orphaned"],
      ],
    );
  });

  it("keeps the oldest of several pods on a node", () => {
    const old = daemonPod("a", { created: "2024-01-01T00:00:00Z" });
    const young = daemonPod("a", { created: "2024-01-01T00:05:00Z" });
    const unbound = daemonPod("a", { created: "2023-01-01T00:00:00Z", bound: false });
    const plan = podsShouldBeOnNode("a", {
      fit,
      pods: [young, unbound, old],
      hash: "new",
      surge: false,
      minReadySeconds: 0,
      now: NOW,
    });
    // Bound pods rank before unbound ones, then the oldest wins.
    assert.deepEqual(names(plan.delete), [young.metadata?.name, unbound.metadata?.name]);
  });

  it("deletes failed and succeeded pods; the replacement follows once they are gone", () => {
    const failed = daemonPod("a", { phase: "Failed" });
    const done = daemonPod("a", { phase: "Succeeded" });
    const plan = podsShouldBeOnNode("a", {
      fit,
      pods: [failed, done],
      hash: "new",
      surge: false,
      minReadySeconds: 0,
      now: NOW,
    });
    assert.deepEqual(
      plan.delete.map((d) => d.reason),
      ["failed", "succeeded"],
    );
    assert.deepEqual(plan.createOn, []);
    const gone = podsShouldBeOnNode("a", {
      fit,
      pods: [],
      hash: "new",
      surge: false,
      minReadySeconds: 0,
      now: NOW,
    });
    assert.deepEqual(gone.createOn, ["a"]);
  });

  it("leaves pods being deleted alone and ignores terminal ones being deleted", () => {
    const deleting = daemonPod("a", { deleting: true });
    const plan = podsShouldBeOnNode("a", {
      fit,
      pods: [deleting],
      hash: "new",
      surge: false,
      minReadySeconds: 0,
      now: NOW,
    });
    assert.deepEqual(plan, { createOn: [], delete: [] });
    const byNode = podsByNode([daemonPod("b", { phase: "Failed", deleting: true })]);
    assert.equal(byNode.size, 0);
  });

  it("with surge keeps an old ready pod until the new one is available", () => {
    const old = daemonPod("a", { hash: "old", created: "2024-01-01T00:00:00Z" });
    const fresh = daemonPod("a", { hash: "new", phase: "Pending", ready: false });
    const waiting = podsShouldBeOnNode("a", {
      fit,
      pods: [old, fresh],
      hash: "new",
      surge: true,
      minReadySeconds: 0,
      now: NOW,
    });
    assert.deepEqual(waiting.delete, []);
    const ready = daemonPod("a", { hash: "new" });
    const done = podsShouldBeOnNode("a", {
      fit,
      pods: [old, ready],
      hash: "new",
      surge: true,
      minReadySeconds: 0,
      now: NOW,
    });
    assert.deepEqual(names(done.delete), [old.metadata?.name]);
  });
});
