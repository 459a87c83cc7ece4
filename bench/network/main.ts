/**
 * Network benchmark (issue #10): the proxy's iptables sync at scale and
 * its network programming latency, both against the real kernel inside a
 * network namespace of the benchmark's own (`k8ts-bench-net-<pid>`, so
 * the host's rules are never touched, and deleted at the end even on
 * failure), and cluster DNS throughput and latency. Needs root (ip netns,
 * iptables).
 *
 *   npm run bench:network [-- --services 1000 --endpoints 10 --programming 50]
 */
import { parseArgs } from "node:util";
import { RestClient } from "../../src/client/rest/client.js";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { createNetns, removeNetns } from "../../src/network/netns.js";
import { netnsRunner } from "../../src/proxy/exec.js";
import { type BenchServer, machineLine, startBenchServer } from "../support/server.js";
import { benchDns } from "./dns.js";
import { benchProgramming, createServices } from "./programming.js";
import { since } from "./stats.js";
import { benchSync } from "./sync.js";

const { values } = parseArgs({
  options: {
    services: { type: "string", default: "1000" },
    endpoints: { type: "string", default: "10" },
    rounds: { type: "string", default: "10" },
    programming: { type: "string", default: "50" },
    interval: { type: "string", default: "200" },
    "min-sync-period": { type: "string", default: "1000" },
    queries: { type: "string", default: "100000" },
    concurrency: { type: "string", default: "64" },
    forwarded: { type: "string", default: "5000" },
  },
});
const SERVICES = Number(values.services);
const ENDPOINTS = Number(values.endpoints);

/**
 * Removes the namespace, retrying: `ip netns delete` fails with EBUSY
 * while an `ip netns exec` in it (a poll of iptables-save) still runs.
 */
async function deleteNetns(name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await removeNetns(name);
    } catch (err) {
      if (attempt >= 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function main(): Promise<void> {
  console.log(
    `k8ts network benchmark: kube-proxy (iptables) with ${SERVICES} Services × ${ENDPOINTS} endpoints, cluster DNS`,
  );
  console.log(machineLine());
  const netns = `k8ts-bench-net-${process.pid}`;
  await createNetns(netns);
  // Interrupted, `finally` does not run: the namespace (and every rule in it) and the API server still go.
  let server: BenchServer | undefined;
  const onSignal = () => {
    setTimeout(() => process.exit(130), 10_000);
    void deleteNetns(netns)
      .then(() => server?.stop())
      .finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const runner = netnsRunner(netns);
  try {
    await benchSync(runner, {
      services: SERVICES,
      endpoints: ENDPOINTS,
      rounds: Number(values.rounds),
    });
    server = await startBenchServer("bench-network");
    const rest = new RestClient({
      ...loadKubeconfig({ path: server.kubeconfig }),
      qps: 1e6,
      burst: 1e6,
    });
    try {
      const t0 = performance.now();
      await createServices(rest, { from: 0, to: SERVICES, endpoints: ENDPOINTS, concurrency: 32 });
      console.log(
        `\ncreated ${SERVICES} Services + EndpointSlices through the API server in ${(since(t0) / 1000).toFixed(1)} s`,
      );
      await benchProgramming(rest, {
        runner,
        existing: SERVICES,
        count: Number(values.programming),
        endpoints: ENDPOINTS,
        minSyncPeriodMs: Number(values["min-sync-period"]),
        intervalMs: Number(values.interval),
      });
      await benchDns(rest, {
        services: SERVICES,
        queries: Number(values.queries),
        concurrency: Number(values.concurrency),
        forwarded: Number(values.forwarded),
      });
    } finally {
      rest.close();
      await server.stop();
    }
  } finally {
    await deleteNetns(netns);
  }
}

await main();
