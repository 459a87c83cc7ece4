/**
 * Network programming latency (upstream's SLI): Services and their
 * EndpointSlices are created at a steady rate through the API server; the clock stops when
 * the proxy's rule for the cluster IP is in the kernel, as iptables-save
 * inside the benchmark's network namespace shows it.
 */
import type { Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { RestClient } from "../../src/client/rest/client.js";
import { ResourceClient } from "../../src/client/rest/resource.js";
import type { CommandRunner } from "../../src/proxy/exec.js";
import { KubeProxy } from "../../src/proxy/proxy.js";
import { silentLogger } from "../../src/util/log.js";
import { NAMESPACE, service, slice } from "./objects.js";
import { p50p99, since } from "./stats.js";

export const SERVICES_REF = {
  group: "",
  version: "v1",
  resource: "services",
  namespaced: true,
} as const;
export const SLICES_REF = {
  group: "discovery.k8s.io",
  version: "v1",
  resource: "endpointslices",
  namespaced: true,
} as const;

/** Creates services [from, to) and their slices, `concurrency` at a time. */
export async function createServices(
  rest: RestClient,
  opts: { from: number; to: number; endpoints: number; concurrency: number },
): Promise<void> {
  const services = new ResourceClient<Service>(rest, SERVICES_REF);
  const slices = new ResourceClient<EndpointSlice>(rest, SLICES_REF);
  let next = opts.from;
  const worker = async () => {
    for (let i = next++; i < opts.to; i = next++) {
      await services.create(service(i), { namespace: NAMESPACE });
      await slices.create(slice(i, { endpoints: opts.endpoints }), { namespace: NAMESPACE });
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
}

/**
 * Polls the nat table until every awaited cluster IP has its rule; the
 * callback gets each IP once, when first seen.
 */
class RuleWatcher {
  private readonly waiting = new Map<string, () => void>();
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(private readonly runner: CommandRunner) {
    this.loop = this.poll();
  }

  /** Resolves when the rule sending `ip` to a KUBE-SVC chain is in the kernel. */
  waitFor(ip: string): Promise<void> {
    return new Promise((resolve) => this.waiting.set(ip, resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      // Resting as long as a save took keeps the poller to half a core, off the proxy's back.
      let rest = 5;
      if (this.waiting.size > 0) {
        const t0 = performance.now();
        const r = await this.runner.run(["iptables-save", "-t", "nat"]);
        rest = Math.max(rest, since(t0));
        for (const line of r.code === 0 ? r.stdout.split("\n") : []) {
          const m = /^-A KUBE-SERVICES -d ([\d.]+)\/32 .*-j KUBE-SVC-/.exec(line);
          const done = m?.[1] && this.waiting.get(m[1]);
          if (done && m[1]) {
            this.waiting.delete(m[1]);
            done();
          }
        }
      }
      await new Promise((r) => setTimeout(r, rest));
    }
  }
}

export async function benchProgramming(
  rest: RestClient,
  opts: {
    runner: CommandRunner;
    /** Services already present (numbered from 0). */
    existing: number;
    count: number;
    endpoints: number;
    minSyncPeriodMs: number;
    /** Time between one creation and the next. */
    intervalMs: number;
  },
): Promise<void> {
  const proxy = new KubeProxy(rest, {
    hostname: "bench-node",
    clusterCIDR: "10.42.0.0/16",
    runner: opts.runner,
    minSyncPeriodMs: opts.minSyncPeriodMs,
    log: silentLogger,
  });
  const services = new ResourceClient<Service>(rest, SERVICES_REF);
  const slices = new ResourceClient<EndpointSlice>(rest, SLICES_REF);
  try {
    const t0 = performance.now();
    await proxy.start();
    await proxy.settled();
    console.log(
      `\nproxy start with ${opts.existing} Services × ${opts.endpoints} endpoints (informers synced + first sync): ${since(t0).toFixed(0)} ms`,
    );
    // Creations arrive at a steady rate, each timed on its own, as upstream measures the SLI.
    const watcher = new RuleWatcher(opts.runner);
    const latencies: number[] = [];
    const one = async (i: number) => {
      const start = performance.now();
      const created = await services.create(service(i), { namespace: NAMESPACE });
      await slices.create(slice(i, { endpoints: opts.endpoints }), { namespace: NAMESPACE });
      const ip = created.spec?.clusterIP;
      if (!ip) throw new Error(`svc-${i} has no cluster IP`);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`rule for ${ip} not programmed in 120 s`)),
          120_000,
        );
      });
      await Promise.race([watcher.waitFor(ip), timeout]).finally(() => clearTimeout(timer));
      latencies.push(since(start));
    };
    const runs: Promise<void>[] = [];
    try {
      for (let n = 0; n < opts.count; n++) {
        runs.push(one(opts.existing + n));
        await new Promise((r) => setTimeout(r, opts.intervalMs));
      }
      await Promise.all(runs);
    } finally {
      await watcher.stop();
    }
    console.log(
      `network programming latency (Service + EndpointSlice created → rule in the kernel), one every ${opts.intervalMs} ms on top of ${opts.existing} Services, min-sync-period ${opts.minSyncPeriodMs} ms: ${p50p99(latencies, 0)}; ${proxy.syncCount} proxy syncs`,
    );
  } finally {
    await proxy.cleanup();
  }
}
