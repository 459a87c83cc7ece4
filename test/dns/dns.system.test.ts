// System suite: the DNS server in process against a real API server, fed
// by Services made with the real kubectl and EndpointSlices written by
// hand; queried through Node's resolver (c-ares) over UDP and through a
// small TCP client; names outside the cluster go to a fake upstream.
// Also `k8ts dns` as its own process.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { promises as dns } from "node:dns";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { type DecodedPacket, decode, encode, RECURSION_DESIRED } from "dns-packet";
import { RestClient } from "../../src/client/rest/client.js";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { DnsServer } from "../../src/dns/server.js";
import { FrameReader, frame } from "../../src/dns/tcp-framing.js";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { spawnK8ts } from "../support/cli.js";
import { kubectlOk } from "../support/kubectl.js";
import { freePort } from "../support/ports.js";
import { type FakeUpstream, startFakeUpstream } from "./fake-upstream.js";
import { firstData } from "./packets.js";

const SERVICES = `
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: pg, port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: ext}
spec:
  type: ExternalName
  externalName: search.example.com
---
apiVersion: v1
kind: Service
metadata: {name: big}
spec:
  clusterIP: None
  ports: [{name: http, port: 80}]
`;

function dbSlice(hosts: string[]): string {
  const endpoints = hosts
    .map(
      (h, i) => `  - {addresses: ["10.42.0.${i + 10}"], hostname: ${h}, conditions: {ready: true}}`,
    )
    .join("\n");
  return `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: db-hand
  labels: {kubernetes.io/service-name: db}
addressType: IPv4
ports: [{name: pg, port: 5432, protocol: TCP}]
endpoints:
${endpoints}
`;
}

const BIG_SLICE = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: big-hand
  labels: {kubernetes.io/service-name: big}
addressType: IPv4
ports: [{name: http, port: 80, protocol: TCP}]
endpoints:
${Array.from({ length: 30 }, (_, i) => `- {addresses: ["10.42.2.${i + 1}"]}`).join("\n")}
`;

function question(name: string, type: string): Buffer {
  return encode({
    type: "query",
    id: Math.floor(Math.random() * 65536),
    flags: RECURSION_DESIRED,
    questions: [{ name, type: type as "A", class: "IN" }],
  });
}

/** One query over TCP, with the two-byte length prefix. */
function askTcp(port: number, msg: Buffer): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const reader = new FrameReader();
    const sock = connect({ host: "127.0.0.1", port });
    const timer = setTimeout(() => sock.destroy(new Error("tcp query timed out")), 5000);
    sock.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    sock.on("data", (chunk: Buffer) => {
      const [reply] = reader.push(chunk);
      if (!reply) return;
      clearTimeout(timer);
      sock.end();
      resolve(decode(reply));
    });
    sock.write(frame(msg));
  });
}

/** One raw query over UDP (no EDNS), to look at the header bits c-ares hides. */
function askUdp(port: number, msg: Buffer): Promise<{ raw: Buffer; reply: DecodedPacket }> {
  return new Promise((resolve, reject) => {
    const sock = createSocket("udp4");
    const timer = setTimeout(() => {
      sock.close();
      reject(new Error("udp query timed out"));
    }, 5000);
    sock.on("message", (raw) => {
      clearTimeout(timer);
      sock.close();
      resolve({ raw, reply: decode(raw) });
    });
    sock.send(msg, port, "127.0.0.1");
  });
}

async function within<T>(what: string, ms: number, probe: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await probe();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what} not answered within ${ms} ms: ${err}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe("cluster DNS (system)", () => {
  let api: TestApiServer;
  let rest: RestClient;
  let upstream: FakeUpstream;
  let server: DnsServer;
  let port: number;
  let resolver: dns.Resolver;
  const kc = () => api.adminKubeconfig;

  before(async () => {
    api = await startTestApiServer();
    upstream = await startFakeUpstream();
    await kubectlOk(kc(), ["apply", "-f", "-"], { input: SERVICES });
    await kubectlOk(kc(), ["apply", "-f", "-"], { input: dbSlice(["db-0", "db-1"]) });
    await kubectlOk(kc(), ["apply", "-f", "-"], { input: BIG_SLICE });
    rest = new RestClient(loadKubeconfig({ path: kc() }));
    server = new DnsServer(rest, {
      host: "127.0.0.1",
      port: 0,
      upstreams: [`127.0.0.1:${upstream.port}`],
    });
    port = (await server.start()).port;
    assert.equal(server.address.port, port);
    resolver = new dns.Resolver({ timeout: 3000, tries: 1 });
    resolver.setServers([`127.0.0.1:${port}`]);
  });
  after(async () => {
    await server?.stop();
    rest?.close();
    await upstream?.close();
    await api?.stop();
  });

  it("resolves a ClusterIP service to its cluster IP, and the IP back to the name", async () => {
    const ip = (
      await kubectlOk(kc(), ["get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}"])
    ).trim();
    assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
    assert.deepEqual(await resolver.resolve4("web.default.svc.cluster.local"), [ip]);
    assert.deepEqual(await resolver.reverse(ip), ["web.default.svc.cluster.local"]);
    await assert.rejects(resolver.resolve6("web.default.svc.cluster.local"), { code: "ENODATA" });
  });

  it("answers SRV for a named port", async () => {
    const srv = await resolver.resolveSrv("_http._tcp.web.default.svc.cluster.local");
    assert.deepEqual(srv, [
      { name: "web.default.svc.cluster.local", port: 80, priority: 0, weight: 100 },
    ]);
  });

  it("resolves a headless service to its endpoints, with stable per-pod names", async () => {
    assert.deepEqual((await resolver.resolve4("db.default.svc.cluster.local")).sort(), [
      "10.42.0.10",
      "10.42.0.11",
    ]);
    assert.deepEqual(await resolver.resolve4("db-1.db.default.svc.cluster.local"), ["10.42.0.11"]);
    const srv = await resolver.resolveSrv("_pg._tcp.db.default.svc.cluster.local");
    assert.deepEqual(srv.map((s) => `${s.name}:${s.port}`).sort(), [
      "db-0.db.default.svc.cluster.local:5432",
      "db-1.db.default.svc.cluster.local:5432",
    ]);
    assert.deepEqual(await resolver.reverse("10.42.0.10"), ["db-0.db.default.svc.cluster.local"]);
  });

  it("answers an ExternalName service with a CNAME, completed from upstream", async () => {
    assert.deepEqual(await resolver.resolveCname("ext.default.svc.cluster.local"), [
      "search.example.com",
    ]);
    assert.deepEqual(await resolver.resolve4("ext.default.svc.cluster.local"), ["192.0.2.53"]);
  });

  it("answers NXDOMAIN for a missing cluster name, and pod names from their address", async () => {
    await assert.rejects(resolver.resolve4("nope.default.svc.cluster.local"), {
      code: "ENOTFOUND",
    });
    assert.deepEqual(await resolver.resolve4("10-42-0-99.default.pod.cluster.local"), [
      "10.42.0.99",
    ]);
  });

  it("forwards names outside the cluster to the upstream", async () => {
    assert.deepEqual(await resolver.resolve4("www.example.org"), ["192.0.2.53"]);
    assert.ok(upstream.asked.includes("udp www.example.org A"), upstream.asked.join(", "));
  });

  it("answers over TCP too", async () => {
    const reply = await askTcp(port, question("web.default.svc.cluster.local", "A"));
    assert.equal(reply.answers?.length, 1);
    assert.ok(reply.flag_aa);
    const external = await askTcp(port, question("tcp.example.org", "A"));
    assert.equal(firstData(external), "192.0.2.53");
  });

  it("truncates a big UDP answer, which the client then gets whole over TCP", async () => {
    const { raw, reply } = await askUdp(port, question("big.default.svc.cluster.local", "A"));
    assert.ok(raw.length <= 512);
    assert.ok(reply.flag_tc);
    const tcp = await askTcp(port, question("big.default.svc.cluster.local", "A"));
    assert.equal(tcp.answers?.length, 30);
    assert.equal((await resolver.resolve4("big.default.svc.cluster.local")).length, 30);
  });

  it("answers a new service and a new endpoint within a second", async () => {
    await kubectlOk(kc(), ["create", "service", "clusterip", "late", "--tcp=81:81"]);
    const started = Date.now();
    const ip = (
      await kubectlOk(kc(), ["get", "svc", "late", "-o", "jsonpath={.spec.clusterIP}"])
    ).trim();
    await within("new service", 1000, async () =>
      assert.deepEqual(await resolver.resolve4("late.default.svc.cluster.local"), [ip]),
    );
    await kubectlOk(kc(), ["apply", "-f", "-"], { input: dbSlice(["db-0", "db-1", "db-2"]) });
    await within("new endpoint", 1000, async () =>
      assert.deepEqual(await resolver.resolve4("db-2.db.default.svc.cluster.local"), [
        "10.42.0.12",
      ]),
    );
    await kubectlOk(kc(), ["delete", "service", "late"]);
    await within("deleted service", 1000, async () =>
      assert.rejects(resolver.resolve4("late.default.svc.cluster.local"), { code: "ENOTFOUND" }),
    );
    assert.ok(Date.now() - started < 20_000);
  });
});

describe("k8ts dns (process)", () => {
  let api: TestApiServer;
  let child: ChildProcess | undefined;
  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await new Promise((r) => child?.once("exit", r));
    }
    await api?.stop();
  });

  it("serves cluster names and stops cleanly on SIGTERM", async () => {
    api = await startTestApiServer();
    const upstream = await startFakeUpstream({ address: "203.0.113.9" });
    try {
      const port = await freePort();
      const proc = spawnK8ts([
        "dns",
        "--kubeconfig",
        api.adminKubeconfig,
        "--listen",
        `127.0.0.1:${port}`,
        "--upstream",
        `127.0.0.1:${upstream.port}`,
      ]);
      child = proc.child;
      const resolver = new dns.Resolver({ timeout: 1000, tries: 1 });
      resolver.setServers([`127.0.0.1:${port}`]);
      const ip = (
        await kubectlOk(api.adminKubeconfig, [
          "get",
          "svc",
          "kubernetes",
          "-o",
          "jsonpath={.spec.clusterIP}",
        ])
      ).trim();
      await within("kubernetes.default", 30_000, async () =>
        assert.deepEqual(await resolver.resolve4("kubernetes.default.svc.cluster.local"), [ip]),
      ).catch((err) => {
        throw new Error(`${err}\n${proc.stderr()}`);
      });
      assert.deepEqual(await resolver.resolve4("example.com"), ["203.0.113.9"]);
      child.kill("SIGTERM");
      const code = await new Promise((r) => child?.once("exit", (c) => r(c)));
      assert.equal(code, 0, proc.stderr());
    } finally {
      await upstream.close();
    }
  });
});
