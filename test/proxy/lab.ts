/**
 * A small network in namespaces for the proxy's root tests, so nothing
 * touches the host's interfaces or rules:
 *
 *   client (192.168.77.2) ── uplink ── node (192.168.77.1; 10.42.1.1, 10.42.2.1)
 *                                       ├── pod1 (10.42.1.2)
 *                                       └── pod2 (10.42.2.2)
 *
 * The node's default route points at the client ("the outside world"), so
 * cluster IPs are routable from the node before DNAT rewrites them. Each
 * pod runs a TCP server on 8080 that answers with its own name.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { createNetns, removeNetns } from "../../src/network/netns.js";

export interface Lab {
  readonly node: string;
  readonly client: string;
  readonly pods: ReadonlyArray<{ readonly ns: string; readonly ip: string; readonly name: string }>;
  readonly nodeIP: string;
  /** Removes the namespaces (and with them every interface and rule) and stops the servers. */
  destroy(): Promise<void>;
}

function ip(...args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** Runs a command in a namespace; never throws (the result says what happened). */
export function inNs(
  ns: string,
  command: readonly string[],
  opts: { timeoutMs?: number; input?: string } = {},
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync("ip", ["netns", "exec", ns, ...command], {
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 10_000,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  });
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** One TCP connection with busybox nc: what the server said (empty on failure). */
export function tcpRequest(ns: string, to: { ip: string; port: number }): string {
  return inNs(ns, ["busybox", "nc", "-w", "2", to.ip, String(to.port)], {
    timeoutMs: 5000,
  }).stdout.trim();
}

export async function buildLab(id: string): Promise<Lab> {
  const node = `k8ts-proxy-test-${id}`;
  const client = `k8ts-proxy-cl-${id}`;
  const pods = [
    { ns: `k8ts-proxy-p1-${id}`, ip: "10.42.1.2", gw: "10.42.1.1", name: "pod1" },
    { ns: `k8ts-proxy-p2-${id}`, ip: "10.42.2.2", gw: "10.42.2.1", name: "pod2" },
  ];
  const servers: ChildProcess[] = [];
  const all = [node, client, ...pods.map((p) => p.ns)];
  const destroy = async () => {
    for (const s of servers) {
      try {
        if (s.pid) process.kill(-s.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    for (const ns of all) await removeNetns(ns).catch(() => {});
  };
  try {
    for (const ns of all) await createNetns(ns);
    ip(
      "link",
      "add",
      "uplink",
      "netns",
      node,
      "type",
      "veth",
      "peer",
      "name",
      "eth0",
      "netns",
      client,
    );
    ip("-n", node, "addr", "add", "192.168.77.1/24", "dev", "uplink");
    ip("-n", client, "addr", "add", "192.168.77.2/24", "dev", "eth0");
    ip("-n", node, "link", "set", "uplink", "up");
    ip("-n", client, "link", "set", "eth0", "up");
    ip("-n", client, "route", "add", "default", "via", "192.168.77.1");
    ip("-n", node, "route", "add", "default", "via", "192.168.77.2");
    pods.forEach((p, i) => {
      const dev = `pod${i + 1}`;
      ip("link", "add", dev, "netns", node, "type", "veth", "peer", "name", "eth0", "netns", p.ns);
      ip("-n", node, "addr", "add", `${p.gw}/24`, "dev", dev);
      ip("-n", p.ns, "addr", "add", `${p.ip}/24`, "dev", "eth0");
      ip("-n", node, "link", "set", dev, "up");
      ip("-n", p.ns, "link", "set", "eth0", "up");
      ip("-n", p.ns, "route", "add", "default", "via", p.gw);
      const server = spawn(
        "ip",
        ["netns", "exec", p.ns, "busybox", "nc", "-ll", "-p", "8080", "-e", "echo", p.name],
        { detached: true, stdio: "ignore" },
      );
      servers.push(server);
    });
  } catch (err) {
    await destroy();
    throw err;
  }
  return { node, client, pods, nodeIP: "192.168.77.1", destroy };
}

/** iptables-save without comments and counters: what a cleanup must restore exactly. */
export function rulesSnapshot(ns: string): string {
  const out = inNs(ns, ["iptables-save"]).stdout;
  return out
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .map((l) => l.replace(/\[\d+:\d+\]$/, "[0:0]"))
    .join("\n");
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
