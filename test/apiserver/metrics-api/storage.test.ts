import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MetricsBatch, MetricsPoint } from "../../../src/apiserver/metrics-api/points.js";
import { MetricsStorage, usageBetween } from "../../../src/apiserver/metrics-api/storage.js";

const S = 1000;
/** A point at `at` seconds with `cpuSeconds` of CPU time; memory and start time (seconds) optional. */
const point = (
  at: number,
  more: { cpu: number; memory?: number; start?: number },
): MetricsPoint => ({
  timestamp: at * S,
  cumulativeCpu: more.cpu * 1e9,
  memory: more.memory ?? 100,
  ...(more.start !== undefined ? { startTime: more.start * S } : {}),
});

function batch(opts: {
  nodes?: Record<string, MetricsPoint>;
  pods?: Record<string, Record<string, MetricsPoint>>;
}): MetricsBatch {
  return {
    nodes: new Map(Object.entries(opts.nodes ?? {})),
    pods: new Map(Object.entries(opts.pods ?? {}).map(([k, v]) => [k, new Map(Object.entries(v))])),
  };
}

describe("metrics storage", () => {
  it("computes the CPU rate between the last two points and reports the latest memory", () => {
    assert.deepEqual(usageBetween(point(115, { cpu: 4.5, memory: 300 }), point(100, { cpu: 3 })), {
      timestamp: 115_000,
      windowMs: 15_000,
      cpuNanoCores: 100_000_000,
      memoryBytes: 300,
    });
  });

  it("refuses points whose CPU time went backwards or whose start moved back", () => {
    assert.equal(usageBetween(point(115, { cpu: 1 }), point(100, { cpu: 3 })), undefined);
    assert.equal(
      usageBetween(
        point(115, { cpu: 4, memory: 1, start: 10 }),
        point(100, { cpu: 3, memory: 1, start: 50 }),
      ),
      undefined,
    );
    assert.equal(usageBetween(point(100, { cpu: 4 }), point(100, { cpu: 3 })), undefined);
  });

  it("has no node usage after one scrape and has it after two", () => {
    const s = new MetricsStorage(15_000);
    s.store(batch({ nodes: { n1: point(100, { cpu: 10 }) } }));
    assert.equal(s.nodeUsage("n1"), undefined);
    s.store(batch({ nodes: { n1: point(115, { cpu: 25 }) } }));
    assert.equal(s.nodeUsage("n1")?.cpuNanoCores, 1e9);
  });

  it("keeps the older previous point when a kubelet repeats its last one", () => {
    const s = new MetricsStorage(15_000);
    s.store(batch({ nodes: { n1: point(100, { cpu: 10 }) } }));
    s.store(batch({ nodes: { n1: point(115, { cpu: 25 }) } }));
    s.store(batch({ nodes: { n1: point(115, { cpu: 25 }) } }));
    assert.equal(s.nodeUsage("n1")?.windowMs, 15_000);
  });

  it("forgets a node or pod missing from a scrape", () => {
    const s = new MetricsStorage(15_000);
    s.store(
      batch({
        nodes: { n1: point(100, { cpu: 10 }) },
        pods: { "d/p": { c: point(100, { cpu: 1, memory: 1, start: 0 }) } },
      }),
    );
    s.store(
      batch({
        nodes: { n1: point(115, { cpu: 25 }) },
        pods: { "d/p": { c: point(115, { cpu: 2, memory: 1, start: 0 }) } },
      }),
    );
    assert.ok(s.nodeUsage("n1") && s.podUsage("d", "p"));
    s.store(batch({}));
    assert.equal(s.nodeUsage("n1"), undefined);
    assert.equal(s.podUsage("d", "p"), undefined);
  });

  it("reports a pod only once every container has two points, with the earliest timestamp", () => {
    const s = new MetricsStorage(15_000);
    s.store(batch({ pods: { "d/p": { a: point(100, { cpu: 1, memory: 10, start: 0 }) } } }));
    s.store(
      batch({
        pods: {
          "d/p": {
            a: point(115, { cpu: 2.5, memory: 20, start: 0 }),
            b: point(114, { cpu: 1, memory: 30, start: 0 }),
          },
        },
      }),
    );
    assert.equal(s.podUsage("d", "p"), undefined, "b has a single point");
    s.store(
      batch({
        pods: {
          "d/p": {
            a: point(130, { cpu: 4, memory: 20, start: 0 }),
            b: point(129, { cpu: 2.5, memory: 40, start: 0 }),
          },
        },
      }),
    );
    const usage = s.podUsage("d", "p");
    assert.equal(usage?.timestamp, 129_000);
    assert.deepEqual(
      usage?.containers.map((c) => [c.name, c.cpuNanoCores, c.memoryBytes]),
      [
        ["a", 100_000_000, 20],
        ["b", 100_000_000, 40],
      ],
    );
  });

  it("starts a restarted container's history afresh", () => {
    const s = new MetricsStorage(15_000);
    s.store(batch({ pods: { "d/p": { c: point(100, { cpu: 50, memory: 1, start: 0 }) } } }));
    // Started again at t=110: the point at 100 belongs to the old container.
    s.store(batch({ pods: { "d/p": { c: point(115, { cpu: 1, memory: 1, start: 110 }) } } }));
    assert.equal(s.podUsage("d", "p"), undefined);
  });

  it("gives a container started between 10 s and one resolution ago a rate from its start", () => {
    const s = new MetricsStorage(60_000);
    s.store(batch({ pods: { "d/p": { c: point(130, { cpu: 3, memory: 1, start: 100 }) } } }));
    const usage = s.podUsage("d", "p");
    assert.equal(usage?.windowMs, 30_000);
    assert.equal(usage?.containers[0]?.cpuNanoCores, 100_000_000);
    const tooYoung = new MetricsStorage(60_000);
    tooYoung.store(
      batch({ pods: { "d/p": { c: point(105, { cpu: 3, memory: 1, start: 100 }) } } }),
    );
    assert.equal(tooYoung.podUsage("d", "p"), undefined);
  });
});
