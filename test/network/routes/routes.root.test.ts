// Root suite: the host-gw route controller against a real API server,
// writing routes and rules into network namespaces of its own (never the
// host's):
//
//   pod (10.99.0.2) ── node (10.99.0.1; 192.168.77.1) ── remote (192.168.77.2; its pod 10.99.1.5)
//
// 192.168.77.0/24 is the node's directly connected subnet; "remote" plays
// both node-b (pod range 10.99.1.0/24) and the world outside the cluster.
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import type { Node } from "kubernetes-types/core/v1.js";
import { RestClient } from "../../../src/client/rest/client.js";
import { loadKubeconfig } from "../../../src/client/rest/config.js";
import { ResourceClient } from "../../../src/client/rest/resource.js";
import { NODES } from "../../../src/controllers/common/resources.js";
import { createNetns, removeNetns } from "../../../src/network/netns.js";
import { cleanupPodNetwork } from "../../../src/network/routes/cleanup.js";
import { RouteController } from "../../../src/network/routes/controller.js";
import { K8TS_ROUTE_PROTO } from "../../../src/network/routes/ip-route.js";
import { type Logger, silentLogger } from "../../../src/util/log.js";
import { eventually, inNs } from "../../proxy/lab.js";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.js";

const NS = `k8ts-routes-test-${process.pid}`;
const REMOTE = `k8ts-routes-rm-${process.pid}`;
const POD = `k8ts-routes-pod-${process.pid}`;
const SELF = "node-a";

function ipIn(ns: string, ...args: string[]): string {
  return execFileSync("ip", ["-n", ns, ...args], { encoding: "utf8" });
}
const ip = (...args: string[]) => ipIn(NS, ...args);

/** The source address `remote` sees on a TCP connection from the pod to `to`:8080. */
function sourceSeenBy(to: string): string {
  return inNs(POD, ["busybox", "nc", "-w", "2", to, "8080"], { timeoutMs: 5000 }).stdout.trim();
}

/** `dst via gw proto N` lines of the namespace's main table (kernel routes left out). */
function routes(): string[] {
  return ip("-N", "-4", "route", "show", "table", "main")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.includes(" via "))
    .map((l) => l.replace(/\s+dev \S+/, ""));
}

function node(name: string, o: { cidr?: string; ip: string }): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name },
    spec: o.cidr ? { podCIDR: o.cidr, podCIDRs: [o.cidr] } : {},
    status: { addresses: [{ type: "InternalIP", address: o.ip }] },
  };
}

describe("host-gw route controller in a network namespace", { concurrency: false }, () => {
  let api: TestApiServer | undefined;
  let rest: RestClient | undefined;
  let nodes: ResourceClient<Node>;
  let controller: RouteController | undefined;
  const warnings: string[] = [];
  const log: Logger = {
    ...silentLogger,
    warn: (m, f) => warnings.push(`${m} ${JSON.stringify(f)}`),
  };
  const OURS = `proto ${K8TS_ROUTE_PROTO}`;
  let server: ChildProcess | undefined;

  /** Waits until the table's routes are exactly `want` (order ignored). */
  const tableIs = (want: string[]) =>
    eventually(
      `routes ${JSON.stringify(want)} (have ${JSON.stringify(routes())})`,
      () =>
        JSON.stringify(routes().sort()) === JSON.stringify([...want].sort()) ? true : undefined,
      10_000,
    );

  before(async () => {
    for (const ns of [NS, REMOTE, POD]) await createNetns(ns);
    ip("link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", REMOTE);
    ip("addr", "add", "192.168.77.1/24", "dev", "eth0");
    ip("link", "set", "eth0", "up");
    ipIn(REMOTE, "addr", "add", "192.168.77.2/24", "dev", "eth0");
    ipIn(REMOTE, "addr", "add", "10.99.1.5/32", "dev", "lo");
    ipIn(REMOTE, "link", "set", "eth0", "up");
    // What node-b's own route controller would add: the way back to node-a's pods.
    ipIn(REMOTE, "route", "add", "10.99.0.0/24", "via", "192.168.77.1");
    ip("link", "add", "pod0", "type", "veth", "peer", "name", "eth0", "netns", POD);
    ip("addr", "add", "10.99.0.1/24", "dev", "pod0");
    ip("link", "set", "pod0", "up");
    ipIn(POD, "addr", "add", "10.99.0.2/24", "dev", "eth0");
    ipIn(POD, "link", "set", "eth0", "up");
    ipIn(POD, "route", "add", "default", "via", "10.99.0.1");
    // The proxy sets this on a real node.
    inNs(NS, ["sysctl", "-qw", "net.ipv4.ip_forward=1"]);
    // remote answers every connection with the source address it sees.
    server = spawn(
      "ip",
      [
        "netns",
        "exec",
        REMOTE,
        process.execPath,
        "-e",
        "require('net').createServer((s) => s.end(s.remoteAddress + '\\n')).listen(8080, '0.0.0.0')",
      ],
      { stdio: "ignore" },
    );
    // Someone else's route (a different proto): it must survive every sync.
    ip("route", "add", "10.99.9.0/24", "via", "192.168.77.9", "proto", "static");
    // A leftover of ours from an earlier run, for a node that no longer exists.
    ip("route", "add", "10.99.7.0/24", "via", "192.168.77.7", "proto", String(K8TS_ROUTE_PROTO));
    api = await startTestApiServer();
    rest = new RestClient(loadKubeconfig({ path: api.adminKubeconfig }));
    nodes = new ResourceClient<Node>(rest, NODES);
    await nodes.create(node(SELF, { cidr: "10.99.0.0/24", ip: "192.168.77.1" }));
    await nodes.create(node("node-b", { cidr: "10.99.1.0/24", ip: "192.168.77.2" }));
    await nodes.create(node("node-far", { cidr: "10.99.5.0/24", ip: "172.31.0.5" }));
    controller = new RouteController(rest, {
      nodeName: SELF,
      netns: NS,
      clusterCIDR: "10.99.0.0/16",
      log,
    });
    await controller.start();
  });

  after(async () => {
    await controller?.stop();
    rest?.close();
    await api?.stop();
    server?.kill("SIGKILL");
    for (const ns of [NS, REMOTE, POD]) await removeNetns(ns);
  });

  it("routes the other node's pod CIDR via its InternalIP and prunes its own leftovers", async () => {
    await tableIs([
      `10.99.1.0/24 via 192.168.77.2 ${OURS}`,
      "10.99.9.0/24 via 192.168.77.9 proto 4",
    ]);
  });

  it("carries pod traffic to the other node's pods unmasqueraded, and masquerades what leaves the cluster", async () => {
    assert.equal(
      await eventually("a reply from remote's pod", () => sourceSeenBy("10.99.1.5") || undefined),
      "10.99.0.2",
    );
    assert.equal(sourceSeenBy("192.168.77.2"), "192.168.77.1");
  });

  it("skips an off-link node with a logged reason", async () => {
    await eventually("warning for node-far", () =>
      warnings.find((w) => w.includes("node-far") && w.includes("not on a directly connected")),
    );
    assert.ok(!routes().some((r) => r.startsWith("10.99.5.0/24")));
  });

  it("moves the route when the node's pod CIDR changes", async () => {
    // podCIDR cannot change once set (as upstream): the node comes back with a new range.
    await nodes.delete("node-b");
    await tableIs(["10.99.9.0/24 via 192.168.77.9 proto 4"]);
    await nodes.create(node("node-b", { cidr: "10.99.2.0/24", ip: "192.168.77.2" }));
    await tableIs([
      `10.99.2.0/24 via 192.168.77.2 ${OURS}`,
      "10.99.9.0/24 via 192.168.77.9 proto 4",
    ]);
  });

  it("follows a changed InternalIP", async () => {
    const b = await nodes.get("node-b");
    await nodes.updateStatus({
      ...b,
      status: { addresses: [{ type: "InternalIP", address: "192.168.77.3" }] },
    });
    await tableIs([
      `10.99.2.0/24 via 192.168.77.3 ${OURS}`,
      "10.99.9.0/24 via 192.168.77.9 proto 4",
    ]);
  });

  it("puts back a route deleted behind its back on the periodic resync", async () => {
    const c = new RouteController(rest as RestClient, {
      nodeName: SELF,
      netns: NS,
      log: silentLogger,
      syncPeriodMs: 300,
    });
    await c.start();
    try {
      await c.settled();
      ip("route", "del", "10.99.2.0/24");
      await tableIs([
        `10.99.2.0/24 via 192.168.77.3 ${OURS}`,
        "10.99.9.0/24 via 192.168.77.9 proto 4",
      ]);
    } finally {
      await c.stop();
    }
  });

  it("removes the route of a deleted node and leaves others' routes alone", async () => {
    await nodes.delete("node-b");
    await tableIs(["10.99.9.0/24 via 192.168.77.9 proto 4"]);
  });

  it("reset removes its routes, chains and jumps, and nothing else", async () => {
    await nodes.create(node("node-c", { cidr: "10.99.3.0/24", ip: "192.168.77.3" }));
    await tableIs([
      `10.99.3.0/24 via 192.168.77.3 ${OURS}`,
      "10.99.9.0/24 via 192.168.77.9 proto 4",
    ]);
    await controller?.stop();
    assert.match(inNs(NS, ["iptables-save"]).stdout, /K8TS-POSTRTG/);
    assert.equal(await cleanupPodNetwork({ netns: NS }), true);
    assert.deepEqual(routes(), ["10.99.9.0/24 via 192.168.77.9 proto 4"]);
    assert.doesNotMatch(inNs(NS, ["iptables-save"]).stdout, /K8TS-/);
    assert.equal(await cleanupPodNetwork({ netns: NS }), false, "nothing left the second time");
  });
});
