/**
 * iptables sync at scale, without an API server: the proxy's own steps
 * (iptables-save → render the whole ruleset from the caches →
 * iptables-restore --noflush) on in-memory Services and EndpointSlices,
 * against the real kernel inside the benchmark's network namespace.
 */
import type { Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { CommandRunner } from "../../src/proxy/exec.js";
import { Iptables } from "../../src/proxy/iptables.js";
import { restoreText, staleChains } from "../../src/proxy/restore.js";
import { buildRuleset } from "../../src/proxy/rules.js";
import { rulesInput } from "../../src/proxy/state.js";
import { clusterIP, service, slice } from "./objects.js";
import { p50p99, since } from "./stats.js";

interface Step {
  save: number;
  render: number;
  restore: number;
  total: number;
  lines: number;
}

/** One proxy sync, timed per step. */
async function syncOnce(
  iptables: Iptables,
  objects: { services: Service[]; slices: EndpointSlice[] },
): Promise<Step> {
  const t0 = performance.now();
  const saved = await iptables.save();
  const t1 = performance.now();
  const built = buildRuleset(rulesInput(objects, { hostname: "bench-node" }), {
    clusterCIDR: "10.42.0.0/16",
    masqueradeMark: "0x4000",
  });
  const text = restoreText(built, {
    stale: staleChains(saved.get("nat")?.chains ?? [], built.activeNatChains),
  });
  const t2 = performance.now();
  await iptables.restore(text);
  const t3 = performance.now();
  return {
    save: t1 - t0,
    render: t2 - t1,
    restore: t3 - t2,
    total: t3 - t0,
    lines: text.split("\n").length,
  };
}

function report(label: string, steps: Step[]): void {
  console.log(`${label}: ${p50p99(steps.map((s) => s.total))}`);
  console.log(
    `  of which iptables-save ${p50p99(steps.map((s) => s.save))}; render ${p50p99(steps.map((s) => s.render))}; iptables-restore ${p50p99(steps.map((s) => s.restore))}`,
  );
}

export async function benchSync(
  runner: CommandRunner,
  opts: { services: number; endpoints: number; rounds: number },
): Promise<void> {
  const iptables = new Iptables(runner);
  const services = Array.from({ length: opts.services }, (_, i) => service(i, clusterIP(i)));
  const slices = Array.from({ length: opts.services }, (_, i) =>
    slice(i, { endpoints: opts.endpoints }),
  );
  const first = await syncOnce(iptables, { services, slices });
  console.log(
    `\niptables sync, ${opts.services} Services × ${opts.endpoints} endpoints (${first.lines} restore lines), in the benchmark netns`,
  );
  console.log(`first sync (empty tables): ${first.total.toFixed(0)} ms`);
  const full: Step[] = [];
  for (let r = 0; r < opts.rounds; r++) full.push(await syncOnce(iptables, { services, slices }));
  report("full resync (no change)", full);
  const change: Step[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    // One endpoint of one service moves: the proxy still rewrites the whole ruleset.
    const i = (r * 97) % opts.services;
    slices[i] = slice(i, { endpoints: opts.endpoints, generation: r + 1 });
    change.push(await syncOnce(iptables, { services, slices }));
  }
  report("one endpoint changed", change);
  const t0 = performance.now();
  await iptables.cleanup();
  console.log(`cleanup (remove every KUBE-* chain): ${since(t0).toFixed(0)} ms`);
}
