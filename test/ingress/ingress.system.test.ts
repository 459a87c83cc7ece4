// System suite: the ingress controller in process against a real API
// server. Services, EndpointSlices (written by hand, pointing at small
// Node backends on 127.0.0.1), TLS Secrets and Ingresses are made with the
// real kubectl; requests go through the controller's loopback listeners.
// Also `k8ts ingress` as its own process.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { RestClient } from "../../src/client/rest/client.js";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { IngressController } from "../../src/ingress/controller.js";
import { createCA, issue } from "../../src/pki/certs.js";
import { silentLogger } from "../../src/util/log.js";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { spawnK8ts } from "../support/cli.js";
import { kubectlOk } from "../support/kubectl.js";
import { freePort } from "../support/ports.js";
import { tempDir } from "../support/tmp.js";
import { startBackend, type TestBackend } from "./test-backends.js";
import { httpGet, httpsGet, within } from "./test-client.js";

/** A Service with one named port 80 and a hand-written slice of 127.0.0.1 endpoints. */
function serviceWithSlice(name: string, ports: number[], portName = "http"): string {
  const slice =
    ports.length === 0
      ? ""
      : `---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${name}-hand
  labels: {kubernetes.io/service-name: ${name}}
addressType: IPv4
ports: [{name: ${portName}, port: ${ports[0]}, protocol: TCP}]
endpoints: [{addresses: ["127.0.0.1"], conditions: {ready: true}}]
`;
  return `apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  ports: [{name: ${portName}, port: 80, targetPort: ${ports[0] ?? 80}}]
${slice}`;
}

/** Two endpoints of one service: the same address on two ports needs one slice per port. */
function twoPortSlices(name: string, ports: [number, number]): string {
  return ports
    .map(
      (p, i) => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${name}-hand-${i}
  labels: {kubernetes.io/service-name: ${name}}
addressType: IPv4
ports: [{name: web, port: ${p}, protocol: TCP}]
endpoints: [{addresses: ["127.0.0.1"]}]
`,
    )
    .join("---\n");
}

const ROUTES = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: routes}
spec:
  ingressClassName: k8ts
  tls:
  - hosts: [secure.example.com]
    secretName: secure-tls
  rules:
  - host: alpha.test
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: alpha, port: {number: 80}}}}]
  - host: paths.test
    http:
      paths:
      - {path: /exact, pathType: Exact, backend: {service: {name: alpha, port: {number: 80}}}}
      - {path: /api, pathType: Prefix, backend: {service: {name: beta, port: {name: web}}}}
  - host: "*.wild.test"
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: beta, port: {name: web}}}}]
  - host: empty.test
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: empty, port: {number: 80}}}}]
  - host: broken.test
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: broken, port: {number: 80}}}}]
  - host: secure.example.com
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: alpha, port: {number: 80}}}}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: other-class}
spec:
  ingressClassName: nginx
  rules:
  - host: other.test
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: alpha, port: {number: 80}}}}]
`;

function simpleIngress(name: string, host: string, extra = ""): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}}
spec:
  ${extra}rules:
  - host: ${host}
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: alpha, port: {number: 80}}}}]
`;
}

describe("ingress controller (system)", () => {
  let api: TestApiServer;
  let rest: RestClient;
  let controller: IngressController;
  let alpha: TestBackend;
  let beta1: TestBackend;
  let beta2: TestBackend;
  let http: number;
  let https: number;
  let caPem: string;
  const dir = tempDir("ingress");
  const kc = () => api.adminKubeconfig;
  const apply = (yaml: string) => kubectlOk(kc(), ["apply", "-f", "-"], { input: yaml });

  before(async () => {
    api = await startTestApiServer();
    [alpha, beta1, beta2] = await Promise.all([
      startBackend("alpha"),
      startBackend("beta-1"),
      startBackend("beta-2"),
    ]);
    const closedPort = await freePort();
    await apply(serviceWithSlice("alpha", [alpha.port]));
    await apply(`apiVersion: v1
kind: Service
metadata: {name: beta}
spec:
  ports: [{name: web, port: 80, targetPort: 8080}]
---
${twoPortSlices("beta", [beta1.port, beta2.port])}`);
    await apply(serviceWithSlice("empty", []));
    await apply(serviceWithSlice("broken", [closedPort]));
    const ca = await createCA({ commonName: "ingress test CA" });
    caPem = ca.cert;
    const leaf = await issue(ca, {
      commonName: "secure.example.com",
      dnsNames: ["secure.example.com"],
      usage: "server",
    });
    writeFileSync(join(dir.path, "tls.crt"), leaf.cert);
    writeFileSync(join(dir.path, "tls.key"), leaf.key);
    await kubectlOk(kc(), [
      "create",
      "secret",
      "tls",
      "secure-tls",
      `--cert=${join(dir.path, "tls.crt")}`,
      `--key=${join(dir.path, "tls.key")}`,
    ]);
    await apply(ROUTES);
    rest = new RestClient(loadKubeconfig({ path: kc() }));
    controller = new IngressController(rest, {
      httpPort: 0,
      httpsPort: 0,
      bindAddress: "127.0.0.1",
      log: silentLogger,
    });
    const bound = await controller.start();
    http = bound.http.port;
    https = bound.https.port;
  });
  after(async () => {
    await controller?.stop();
    rest?.close();
    await Promise.all([alpha, beta1, beta2].map((b) => b?.close()));
    await api?.stop();
    dir.remove();
  });

  it("creates its IngressClass for its controller, not as the default", async () => {
    const out = await kubectlOk(kc(), ["get", "ingressclass", "k8ts", "-o", "json"]);
    const ic = JSON.parse(out);
    assert.equal(ic.spec.controller, "k8ts.io/ingress-controller");
    assert.equal(
      ic.metadata.annotations?.["ingressclass.kubernetes.io/is-default-class"],
      undefined,
    );
  });

  it("routes by host and path: precise hosts, wildcards, Exact and Prefix paths", async () => {
    const to = async (host: string, path = "/") => {
      const a = await httpGet(http, { host, path });
      return a.status === 200 ? (a.json?.backend ?? "?") : String(a.status);
    };
    assert.equal(await to("alpha.test", "/anything"), "alpha");
    assert.equal(await to("ALPHA.test:80"), "alpha");
    assert.equal(await to("paths.test", "/exact"), "alpha");
    assert.equal(await to("paths.test", "/exact/more"), "404");
    assert.match(await to("paths.test", "/api/v1?x=1"), /^beta-/);
    assert.equal(await to("paths.test", "/apiv1"), "404");
    assert.match(await to("x.wild.test"), /^beta-/);
    assert.equal(await to("x.y.wild.test"), "404");
    assert.equal(await to("other.test"), "404", "an Ingress of another class is not served");
    const answer = await httpGet(http, { host: "alpha.test", path: "/p?q=1" });
    assert.equal(answer.json?.url, "/p?q=1");
    assert.deepEqual(answer.headers["set-cookie"], ["a=1", "b=2"]);
  });

  it("round-robins over a service's ready endpoints", async () => {
    const seen: string[] = [];
    for (let i = 0; i < 4; i++)
      seen.push((await httpGet(http, { host: "paths.test", path: "/api" })).json?.backend ?? "?");
    assert.deepEqual(seen.slice().sort(), ["beta-1", "beta-1", "beta-2", "beta-2"]);
    assert.notEqual(seen[0], seen[1]);
  });

  it("tells the backend who asked: X-Forwarded-For, -Proto, -Host and the original Host", async () => {
    const a = await httpGet(http, {
      host: "alpha.test",
      headers: { "x-forwarded-for": "203.0.113.5" },
    });
    const h = a.json?.headers ?? {};
    assert.equal(h.host, "alpha.test");
    assert.equal(h["x-forwarded-for"], "203.0.113.5, 127.0.0.1");
    assert.equal(h["x-forwarded-proto"], "http");
    assert.equal(h["x-forwarded-host"], "alpha.test");
    assert.equal(h["x-real-ip"], "127.0.0.1");
  });

  it("answers 503 for a backend without endpoints and 502 when the upstream refuses", async () => {
    const empty = await httpGet(http, { host: "empty.test" });
    assert.equal(empty.status, 503);
    assert.match(empty.body, /default\/empty:80/);
    const broken = await httpGet(http, { host: "broken.test" });
    assert.equal(broken.status, 502);
  });

  it("streams request and response bodies without waiting for either to end", async () => {
    const echoed = await new Promise<string>((resolve, reject) => {
      const req = request({
        host: "127.0.0.1",
        port: http,
        method: "POST",
        path: "/echo",
        headers: { host: "alpha.test", "transfer-encoding": "chunked" },
        agent: false,
      });
      req.on("error", reject);
      req.on("response", (res) => {
        let got = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          got += d;
          // The second chunk goes only once the first came back through the proxy.
          if (got === "first;") req.end("second;");
        });
        res.on("end", () => resolve(got));
      });
      req.write("first;");
      req.flushHeaders();
    });
    assert.equal(echoed, "first;second;");
  });

  it("passes protocol upgrades through and relays bytes both ways", async () => {
    const reply = await new Promise<{ backend: string; host: string; echo: string }>(
      (resolve, reject) => {
        const req = request({
          host: "127.0.0.1",
          port: http,
          path: "/ws",
          headers: { host: "alpha.test", connection: "Upgrade", upgrade: "echo" },
          agent: false,
        });
        req.on("error", reject);
        req.on("response", (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
        req.on("upgrade", (res, socket) => {
          socket.once("data", (d: Buffer) => {
            socket.destroy();
            resolve({
              backend: String(res.headers["x-backend"]),
              host: String(res.headers["x-seen-host"]),
              echo: d.toString(),
            });
          });
          socket.write("ping");
        });
        req.end();
      },
    );
    assert.deepEqual(reply, { backend: "alpha", host: "alpha.test", echo: "ping" });
  });

  it("serves HTTPS with the certificate of the Ingress TLS Secret chosen by SNI", async () => {
    const ok = await httpsGet(https, { servername: "secure.example.com", ca: caPem });
    assert.equal(ok.status, 200);
    assert.equal(ok.certCN, "secure.example.com");
    assert.equal(ok.json?.backend, "alpha");
    assert.equal(ok.json?.headers?.["x-forwarded-proto"], "https");
    const other = await httpsGet(https, { servername: "alpha.test" });
    assert.equal(other.certCN, "k8ts ingress default certificate");
    assert.equal(other.json?.backend, "alpha");
    await assert.rejects(httpsGet(https, { servername: "alpha.test", ca: caPem }));
  });

  it("writes the published address into the status of the Ingresses it serves only", async () => {
    const ip = (ing: string) =>
      kubectlOk(kc(), [
        "get",
        "ingress",
        ing,
        "-o",
        "jsonpath={.status.loadBalancer.ingress[*].ip}",
      ]);
    await within("status of routes", 5000, async () =>
      assert.equal(await ip("routes"), "127.0.0.1"),
    );
    assert.equal(await ip("other-class"), "");
    const wide = await kubectlOk(kc(), ["get", "ingress", "routes"]);
    assert.match(wide, /k8ts\s+.*127\.0\.0\.1/);
  });

  it("applies new Ingresses, endpoint changes and deletions within a second", async () => {
    await apply(simpleIngress("late", "late.test", "ingressClassName: k8ts\n  "));
    await within("new ingress", 1000, async () =>
      assert.equal((await httpGet(http, { host: "late.test" })).json?.backend, "alpha"),
    );
    // Move beta's endpoints onto alpha's port: every request now reaches alpha.
    await apply(`apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: beta-hand-1
  labels: {kubernetes.io/service-name: beta}
addressType: IPv4
ports: [{name: web, port: ${alpha.port}, protocol: TCP}]
endpoints: [{addresses: ["127.0.0.1"]}]
`);
    await kubectlOk(kc(), ["delete", "endpointslice", "beta-hand-0"]);
    await within("endpoint change", 1000, async () => {
      for (let i = 0; i < 2; i++)
        assert.equal(
          (await httpGet(http, { host: "paths.test", path: "/api" })).json?.backend,
          "alpha",
        );
    });
    await kubectlOk(kc(), ["delete", "endpointslice", "beta-hand-1"]);
    await within("endpoints gone", 1000, async () =>
      assert.equal((await httpGet(http, { host: "paths.test", path: "/api" })).status, 503),
    );
    await kubectlOk(kc(), ["delete", "ingress", "late"]);
    await within("deleted ingress", 1000, async () =>
      assert.equal((await httpGet(http, { host: "late.test" })).status, 404),
    );
  });

  it("serves Ingresses without a class once its IngressClass is marked the default", async () => {
    await apply(simpleIngress("classless", "classless.test"));
    assert.equal((await httpGet(http, { host: "classless.test" })).status, 404);
    await kubectlOk(kc(), [
      "annotate",
      "ingressclass",
      "k8ts",
      "ingressclass.kubernetes.io/is-default-class=true",
    ]);
    await within("default class", 1000, async () =>
      assert.equal((await httpGet(http, { host: "classless.test" })).json?.backend, "alpha"),
    );
    await within("status of classless", 5000, async () =>
      assert.equal(
        await kubectlOk(kc(), [
          "get",
          "ingress",
          "classless",
          "-o",
          "jsonpath={.status.loadBalancer.ingress[0].ip}",
        ]),
        "127.0.0.1",
      ),
    );
    await kubectlOk(kc(), ["delete", "ingress", "classless"]);
  });

  it("runs as `k8ts ingress` and stops cleanly on SIGTERM", async () => {
    let child: ChildProcess | undefined;
    try {
      const port = await freePort();
      const proc = spawnK8ts([
        "ingress",
        "--kubeconfig",
        kc(),
        "--http-port",
        String(port),
        "--https-port",
        String(await freePort()),
        "--bind-address",
        "127.0.0.1",
        "--ingress-class",
        "proc",
        "--publish-ip",
        "192.0.2.10",
      ]);
      child = proc.child;
      await apply(simpleIngress("by-proc", "proc.test", "ingressClassName: proc\n  "));
      await within("k8ts ingress routing", 30_000, async () =>
        assert.equal((await httpGet(port, { host: "proc.test" })).json?.backend, "alpha"),
      ).catch((err) => {
        throw new Error(`${err}\n${proc.stderr()}`);
      });
      await within("status from the process", 5000, async () =>
        assert.equal(
          await kubectlOk(kc(), [
            "get",
            "ingress",
            "by-proc",
            "-o",
            "jsonpath={.status.loadBalancer.ingress[0].ip}",
          ]),
          "192.0.2.10",
        ),
      );
      // The in-process controller (class k8ts) leaves it alone.
      assert.equal((await httpGet(http, { host: "proc.test" })).status, 404);
      child.kill("SIGTERM");
      const code = await new Promise((r) => child?.once("exit", (c) => r(c)));
      assert.equal(code, 0, proc.stderr());
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await new Promise((r) => child?.once("exit", r));
      }
    }
  });
});
