// System suite: `k8ts apiserver` as its own process, with the flags of the
// API server issue: data dir, bind address, secure port, service CIDR and
// node port range. The real kubectl drives it through the admin kubeconfig
// it writes; the certificates it issues are read back from the data dir;
// SIGTERM stops it cleanly, a restart keeps the CA and the data, and
// --datastore-endpoint puts the data in a real etcd.
import assert from "node:assert/strict";
import { type ChildProcess, spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { get } from "node:https";
import { hostname, networkInterfaces } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { spawnK8ts } from "../support/cli.js";
import { type EtcdServer, startEtcd } from "../support/etcd.js";
import { kubectl, kubectlOk } from "../support/kubectl.js";
import { freePort } from "../support/ports.js";
import { tempDir } from "../support/tmp.js";

interface Proc {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

const running: Proc[] = [];

function start(args: readonly string[]): Proc {
  const p = spawnK8ts(["apiserver", ...args]);
  const exited = new Promise<number | null>((resolve) => p.child.once("exit", (c) => resolve(c)));
  const proc = { ...p, exited };
  running.push(proc);
  return proc;
}

async function killAll(): Promise<void> {
  for (const p of running) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill("SIGKILL");
      await p.exited;
    }
  }
}

/** Polls fn until it returns something other than undefined/false. */
async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms: number) {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function readyz(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(
      { host: "127.0.0.1", port, path: "/readyz", rejectUnauthorized: false, timeout: 2000 },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

/**
 * Waits for /readyz to answer 200; by then the admin kubeconfig must be on
 * disk and point at this port (the server writes it before it is ready).
 */
async function waitReady(proc: Proc, port: number, kubeconfig: string): Promise<void> {
  await until(
    `/readyz on ${port}`,
    async () => {
      if (proc.child.exitCode !== null) {
        throw new Error(`apiserver exited ${proc.child.exitCode}: ${proc.stderr().slice(-2000)}`);
      }
      return (await readyz(port)) === 200;
    },
    90_000,
  ).catch((err) => {
    throw new Error(`${String(err)}\n--- log\n${proc.stderr().slice(-3000)}`);
  });
  assert.ok(existsSync(kubeconfig), `${kubeconfig} is written before /readyz answers 200`);
  const server = parse(readFileSync(kubeconfig, "utf8")).clusters[0].cluster.server;
  assert.equal(new URL(server).port, String(port), "the kubeconfig names the port served");
}

/** Stops with SIGTERM; resolves to the exit code, or throws after `ms`. */
async function terminate(proc: Proc, ms = 10_000): Promise<number | null> {
  proc.child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no exit ${ms} ms after SIGTERM`)), ms);
  });
  try {
    return await Promise.race([proc.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Non-internal addresses of this host, as the serving certificate lists
 * them: IPv4, and IPv6 but for link-local ones (fe80::/10).
 */
function hostAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((l) => l ?? [])
    .filter((a) => !a.internal)
    .filter((a) => a.family === "IPv4" || !/^fe[89ab][0-9a-f]:/i.test(a.address))
    .map((a) => a.address);
}

/** How OpenSSL (X509Certificate.subjectAltName) prints an address: IPv6 in 8 upper-case groups. */
function sanOfAddress(address: string): string {
  if (!address.includes(":")) return `IP Address:${address}`;
  const [head = "", tail] = address.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  const groups = [...left, ...zeros, ...right].map((g) =>
    Number.parseInt(g, 16).toString(16).toUpperCase(),
  );
  return `IP Address:${groups.join(":")}`;
}

function sansOf(pem: string): string[] {
  return (new X509Certificate(pem).subjectAltName ?? "").split(", ");
}

describe("k8ts apiserver (process)", () => {
  const dir = tempDir("apiserver-cli");
  const kc = join(dir.path, "admin.kubeconfig");
  let port = 0;
  let proc: Proc;
  let addressesBefore: string[] = [];
  const flags = () => [
    "--data-dir",
    dir.path,
    "--bind-address",
    "127.0.0.1",
    "--secure-port",
    String(port),
    "--service-cidr",
    "10.96.0.0/16",
    "--service-node-port-range",
    "31000-31010",
  ];
  const run = (args: string[]) => kubectlOk(kc, args);

  before(async () => {
    port = await freePort();
    addressesBefore = hostAddresses();
    proc = start(flags());
    await waitReady(proc, port, kc);
  });
  after(async () => {
    await killAll();
    dir.remove();
  });

  it("writes an admin kubeconfig pointing at its port, with CN=admin, O=system:masters", () => {
    const config = parse(readFileSync(kc, "utf8"));
    assert.equal(new URL(config.clusters[0].cluster.server).port, String(port));
    assert.equal(new URL(config.clusters[0].cluster.server).protocol, "https:");
    const cert = new X509Certificate(
      Buffer.from(config.users[0].user["client-certificate-data"], "base64"),
    );
    assert.deepEqual(cert.subject.split("\n").sort(), ["CN=admin", "O=system:masters"]);
    const ca = new X509Certificate(
      Buffer.from(config.clusters[0].cluster["certificate-authority-data"], "base64"),
    );
    assert.ok(cert.verify(ca.publicKey), "the client certificate is signed by the cluster CA");
  });

  it("issues a serving certificate with every SAN the issue names", () => {
    const pem = readFileSync(join(dir.path, "tls", "apiserver.crt"), "utf8");
    const sans = sansOf(pem);
    const expected = [
      "DNS:localhost",
      `DNS:${hostname()}`,
      "DNS:kubernetes",
      "DNS:kubernetes.default",
      "DNS:kubernetes.default.svc",
      "DNS:kubernetes.default.svc.cluster.local",
      "IP Address:127.0.0.1",
      "IP Address:10.96.0.1",
      // Addresses present both before the start and now (bridges come and go).
      ...addressesBefore.filter((a) => hostAddresses().includes(a)).map(sanOfAddress),
    ];
    for (const san of expected) assert.ok(sans.includes(san), `${san} in ${sans.join(", ")}`);
    assert.equal(sanOfAddress("fd00::2"), "IP Address:FD00:0:0:0:0:0:0:2");
    assert.equal(sanOfAddress("2001:db8::1:0:0:1"), "IP Address:2001:DB8:0:0:1:0:0:1");
    assert.ok(
      !sans.some((san) => /^IP Address:FE[89AB][0-9A-F]:/.test(san)),
      `no link-local address in ${sans.join(", ")}`,
    );
    const ca = new X509Certificate(readFileSync(join(dir.path, "tls", "ca.crt")));
    assert.ok(new X509Certificate(pem).verify(ca.publicKey), "signed by the cluster CA");
  });

  it("gives the kubernetes Service the first IP of --service-cidr", async () => {
    const ip = await run([
      "get",
      "service",
      "kubernetes",
      "-n",
      "default",
      "-o",
      "jsonpath={.spec.clusterIP}",
    ]);
    assert.equal(ip, "10.96.0.1");
    const ns = await run(["get", "namespaces", "-o", "name"]);
    for (const n of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      assert.match(ns, new RegExp(`^namespace/${n}$`, "m"));
    }
  });

  it("allocates node ports from --service-node-port-range and refuses others", async () => {
    await run(["create", "service", "nodeport", "np-auto", "--tcp=80:8080"]);
    const nodePort = Number(
      await run(["get", "service", "np-auto", "-o", "jsonpath={.spec.ports[0].nodePort}"]),
    );
    assert.ok(nodePort >= 31000 && nodePort <= 31010, `nodePort ${nodePort}`);
    const ip = await run(["get", "service", "np-auto", "-o", "jsonpath={.spec.clusterIP}"]);
    assert.match(ip, /^10\.96\.\d+\.\d+$/);
    const r = await kubectl(kc, [
      "create",
      "service",
      "nodeport",
      "np-out",
      "--tcp=80:8080",
      "--node-port=30080",
    ]);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /Service "np-out" is invalid: spec\.ports\[0\]\.nodePort: Invalid value: 30080: provided port is not in the valid range\. The range of valid ports is 31000-31010/,
    );
  });

  it("logs each request with verb, resource, user, status and latency", async () => {
    const r = await kubectl(kc, ["get", "configmap", "log-probe-404", "-n", "default"]);
    assert.notEqual(r.code, 0);
    const line = await until(
      "the request's log line",
      async () =>
        proc
          .stderr()
          .split("\n")
          .find((l) => l.includes("/api/v1/namespaces/default/configmaps/log-probe-404")),
      5000,
    );
    assert.match(line, /verb="GET"/);
    assert.match(line, /user="admin"/);
    assert.match(line, /resp=404/);
    assert.match(line, /latency="\d+(\.\d+)?ms"/);
  });

  it("stops cleanly on SIGTERM and keeps its CA and data across a restart", async () => {
    await run(["create", "configmap", "survivor", "--from-literal=k=v"]);
    const caBefore = new X509Certificate(readFileSync(join(dir.path, "tls", "ca.crt")));
    const code = await terminate(proc);
    assert.equal(code, 0, proc.stderr().slice(-2000));
    proc = start(flags());
    await waitReady(proc, port, kc);
    const caAfter = new X509Certificate(readFileSync(join(dir.path, "tls", "ca.crt")));
    assert.equal(caAfter.fingerprint256, caBefore.fingerprint256);
    assert.equal(await run(["get", "configmap", "survivor", "-o", "jsonpath={.data.k}"]), "v");
    const nodePort = await run([
      "get",
      "service",
      "np-auto",
      "-o",
      "jsonpath={.spec.ports[0].nodePort}",
    ]);
    assert.match(nodePort, /^310(0\d|10)$/);
    assert.equal(await terminate(proc), 0);
  });
});

describe("k8ts apiserver --datastore-endpoint (etcd)", () => {
  let etcd: EtcdServer | undefined;
  const dirs = [tempDir("apiserver-etcd-a"), tempDir("apiserver-etcd-b")];

  before(async () => {
    etcd = await startEtcd();
  });
  after(async () => {
    await killAll();
    await etcd?.stop();
    for (const d of dirs) d.remove();
  });

  it("stores into etcd: a second API server on the same etcd sees the writes", async () => {
    const endpoint = (etcd as EtcdServer).endpoint;
    const servers: { proc: Proc; kc: string }[] = [];
    for (const d of dirs) {
      const port = await freePort();
      const proc = start([
        "--data-dir",
        d.path,
        "--datastore-endpoint",
        endpoint,
        "--bind-address",
        "127.0.0.1",
        "--secure-port",
        String(port),
      ]);
      servers.push({ proc, kc: join(d.path, "admin.kubeconfig") });
      await waitReady(proc, port, join(d.path, "admin.kubeconfig"));
    }
    const [a, b] = servers as [{ proc: Proc; kc: string }, { proc: Proc; kc: string }];
    await kubectlOk(a.kc, ["create", "configmap", "in-etcd", "--from-literal=where=etcd"]);
    assert.equal(
      await kubectlOk(b.kc, ["get", "configmap", "in-etcd", "-o", "jsonpath={.data.where}"]),
      "etcd",
    );
    assert.ok(
      !existsSync(join(dirs[0]?.path as string, "state.db")) ||
        !readFileSync(join(dirs[0]?.path as string, "state.db")).includes("in-etcd"),
      "not in a local SQLite file",
    );
    if (existsSync("/usr/bin/etcdctl")) {
      const keys = spawnSync(
        "/usr/bin/etcdctl",
        [`--endpoints=${endpoint}`, "get", "", "--prefix", "--keys-only"],
        {
          encoding: "utf8",
          env: { ...process.env, ETCDCTL_API: "3" },
        },
      );
      assert.match(keys.stdout, /configmaps\/default\/in-etcd/, keys.stderr);
    }
    for (const s of servers) assert.equal(await terminate(s.proc), 0);
  });
});
