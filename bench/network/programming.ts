/**
 * Network programming latency (upstream's SLI): a Service and its
 * EndpointSlice are created through the API server; the clock stops when
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

async function waitForRule(runner: CommandRunner, ip: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const wanted = new RegExp(
    `^-A KUBE-SERVICES -d ${ip.replaceAll(".", "\\.")}/32 .*-j KUBE-SVC-`,
    "m",
  );
  for (;;) {
    const r = await runner.run(["iptables-save", "-t", "nat"]);
    if (r.code === 0 && wanted.test(r.stdout)) return;
    if (Date.now() > deadline) throw new Error(`rule for ${ip} not programmed in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
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
    const latencies: number[] = [];
    for (let n = 0; n < opts.count; n++) {
      const i = opts.existing + n;
      const start = performance.now();
      const created = await services.create(service(i), { namespace: NAMESPACE });
      await slices.create(slice(i, { endpoints: opts.endpoints }), { namespace: NAMESPACE });
      const ip = created.spec?.clusterIP;
      if (!ip) throw new Error(`svc-${i} has no cluster IP`);
      await waitForRule(opts.runner, ip, 30_000);
      latencies.push(since(start));
    }
    console.log(
      `network programming latency (Service + EndpointSlice created → rule in the kernel), one at a time on top of ${opts.existing} Services, min-sync-period ${opts.minSyncPeriodMs} ms: ${p50p99(latencies, 0)}`,
    );
  } finally {
    await proxy.cleanup();
  }
}
