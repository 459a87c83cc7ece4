/**
 * iptables sync at scale, without an API server: the proxy's own steps
 * (render the whole ruleset from the caches → RuleSync: iptables-save and
 * every chain on a full sync, only the changed chains on a partial one →
 * iptables-restore --noflush) on in-memory Services and EndpointSlices,
 * against the real kernel inside the benchmark's network namespace.
 */
import type { Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { CommandRunner } from "../../src/proxy/exec.js";
import { Iptables } from "../../src/proxy/iptables.js";
import { FIREWALL_JUMPS, JUMPS } from "../../src/proxy/jumps.js";
import { RuleSync } from "../../src/proxy/rule-sync.js";
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

/** One proxy sync, timed per step; `full` forces a full one (as on start or hourly). */
async function syncOnce(
  rules: RuleSync,
  objects: { services: Service[]; slices: EndpointSlice[]; full: boolean },
): Promise<Step> {
  if (objects.full) rules.invalidate();
  const t0 = performance.now();
  const built = buildRuleset(rulesInput(objects, { hostname: "bench-node" }), {
    clusterCIDR: "10.42.0.0/16",
    masqueradeMark: "0x4000",
  });
  const render = performance.now() - t0;
  const applied = await rules.apply(built);
  if (applied.full !== objects.full)
    throw new Error(`expected a ${objects.full ? "full" : "partial"} sync`);
  return {
    save: applied.saveMs,
    render,
    restore: applied.restoreMs,
    total: since(t0),
    lines: applied.lines,
  };
}

function report(label: string, steps: Step[]): void {
  console.log(`${label}: ${p50p99(steps.map((s) => s.total))}, ${steps[0]?.lines} restore lines`);
  console.log(
    `  of which iptables-save ${p50p99(steps.map((s) => s.save))}; render ${p50p99(steps.map((s) => s.render))}; iptables-restore ${p50p99(steps.map((s) => s.restore))}`,
  );
}

export async function benchSync(
  runner: CommandRunner,
  opts: { services: number; endpoints: number; rounds: number },
): Promise<void> {
  const iptables = new Iptables(runner);
  const rules = new RuleSync(iptables, { jumps: [...JUMPS, ...FIREWALL_JUMPS] });
  const services = Array.from({ length: opts.services }, (_, i) => service(i, clusterIP(i)));
  const slices = Array.from({ length: opts.services }, (_, i) =>
    slice(i, { endpoints: opts.endpoints }),
  );
  const first = await syncOnce(rules, { services, slices, full: true });
  console.log(
    `\niptables sync, ${opts.services} Services × ${opts.endpoints} endpoints (${first.lines} restore lines in full), in the benchmark netns`,
  );
  console.log(`first sync (empty tables): ${first.total.toFixed(0)} ms`);
  const full: Step[] = [];
  for (let r = 0; r < opts.rounds; r++)
    full.push(await syncOnce(rules, { services, slices, full: true }));
  report("full resync (no change; on start, after a failure, hourly)", full);
  const idle: Step[] = [];
  for (let r = 0; r < opts.rounds; r++)
    idle.push(await syncOnce(rules, { services, slices, full: false }));
  report("partial sync, nothing changed (the periodic sync)", idle);
  const change: Step[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    // One endpoint of one service moves: only that service's chains are written.
    const i = (r * 97) % opts.services;
    slices[i] = slice(i, { endpoints: opts.endpoints, generation: r + 1 });
    change.push(await syncOnce(rules, { services, slices, full: false }));
  }
  report("partial sync, one endpoint changed", change);
  const t0 = performance.now();
  await iptables.cleanup();
  console.log(`cleanup (remove every KUBE-* chain): ${since(t0).toFixed(0)} ms`);
}
