import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../../src/client/util/clock.js";
import { FailedPodBackoff } from "../../../src/controllers/daemonset/backoff.js";
import { nodeShouldRunDaemonPod } from "../../../src/controllers/daemonset/eligibility.js";
import { podsByNode } from "../../../src/controllers/daemonset/placement.js";
import { splitRevisions } from "../../../src/controllers/daemonset/revisions.js";
import { daemonCounts, nextDaemonStatus } from "../../../src/controllers/daemonset/status.js";
import { templatePatch } from "../../../src/controllers/history/revision.js";
import { daemonPod, daemonSet, node } from "./fixtures.js";

const NOW = Date.parse("2024-06-01T00:00:00Z");

describe("daemonset status", () => {
  it("counts desired, scheduled, ready, updated, available and misscheduled", () => {
    const ds = daemonSet({ spec: { nodeSelector: { role: "w" } } });
    const nodes = [
      node("a", { labels: { role: "w" } }),
      node("b", { labels: { role: "w" } }),
      node("c", { labels: { role: "w" } }),
      node("x"),
    ];
    const pods = [
      daemonPod("a"),
      daemonPod("b", { hash: "old", phase: "Pending", ready: false }),
      daemonPod("x"),
    ];
    const counts = daemonCounts(ds, {
      nodes,
      byNode: podsByNode(pods),
      hash: "new",
      fit: (n) => nodeShouldRunDaemonPod(n, ds),
      now: NOW,
    });
    assert.deepEqual(counts, {
      desiredNumberScheduled: 3,
      currentNumberScheduled: 2,
      numberMisscheduled: 1,
      numberReady: 1,
      updatedNumberScheduled: 1,
      numberAvailable: 1,
      numberUnavailable: 2,
    });
  });

  it("writes only on change, and moves observedGeneration only when acting", () => {
    const ds = daemonSet();
    const counts = {
      desiredNumberScheduled: 1,
      currentNumberScheduled: 1,
      numberMisscheduled: 0,
      numberReady: 1,
      updatedNumberScheduled: 1,
      numberAvailable: 1,
      numberUnavailable: 0,
    };
    const status = nextDaemonStatus(ds, { counts, observe: true, collisionCount: undefined });
    assert.equal(status?.observedGeneration, 1);
    const written = { ...ds, status };
    assert.equal(
      nextDaemonStatus(written, { counts, observe: true, collisionCount: undefined }),
      undefined,
    );
    const waiting = nextDaemonStatus(ds, { counts, observe: false, collisionCount: 2 });
    assert.equal(waiting?.observedGeneration, undefined);
    assert.equal(waiting?.collisionCount, 2);
  });
});

describe("daemonset revisions", () => {
  it("splits revisions into the current template's and older ones, newest current first", () => {
    const ds = daemonSet();
    const cur = (name: string, revision: number) => ({
      metadata: { name },
      revision,
      data: templatePatch(ds.spec?.template),
    });
    const old = { metadata: { name: "o" }, revision: 5, data: { spec: { template: {} } } };
    const split = splitRevisions(ds, [cur("c1", 1), old, cur("c2", 3)]);
    assert.deepEqual(
      split.current.map((r) => r.metadata?.name),
      ["c2", "c1"],
    );
    assert.deepEqual(
      split.old.map((r) => r.metadata?.name),
      ["o"],
    );
  });
});

describe("failed daemon pod backoff", () => {
  it("lets the first deletion through, then doubles the wait", () => {
    const clock = new FakeClock(NOW);
    const b = new FailedPodBackoff(clock);
    assert.equal(b.remaining("k"), 0);
    b.next("k");
    assert.equal(b.remaining("k"), 1000);
    clock.step(1000);
    assert.equal(b.remaining("k"), 0);
    b.next("k");
    assert.equal(b.remaining("k"), 2000);
  });
});
