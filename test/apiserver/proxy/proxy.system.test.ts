// nodes/proxy, pods/proxy and services/proxy through the real kubectl
// (`get --raw` and `kubectl proxy`), to HTTP servers this test runs on
// loopback standing in for a pod, a Service's endpoint and a node's daemon.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.js";
import { KUBECTL, kubectl, kubectlOk } from "../../support/kubectl.js";
import { tempDir } from "../../support/tmp.js";

describe("proxy subresources", () => {
  let server: TestApiServer;
  let kc: string;
  let echo: Server;
  let port = 0;
  let proxy: ChildProcess | undefined;
  const files = tempDir("proxy-tokens");

  before(async () => {
    const tokens = join(files.path, "tokens.csv");
    writeFileSync(tokens, 'proxy-secret,alice,u-1,"system:masters"\n');
    server = await startTestApiServer({ tokenAuthFile: tokens });
    kc = server.adminKubeconfig;
    // Answers with what it was asked: method, path and query, and whether credentials came along.
    echo = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => {
        body += d.toString();
      });
      req.on("end", () => {
        res.writeHead(req.url?.startsWith("/missing") ? 404 : 200, {
          "content-type": "application/json",
        });
        res.end(
          JSON.stringify({
            method: req.method,
            url: req.url,
            body,
            authorization: req.headers.authorization ?? null,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    const addr = echo.address();
    port = typeof addr === "object" && addr ? addr.port : 0;
    await kubectlOk(kc, ["apply", "-f", "-"], {
      input: `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default}
spec:
  containers:
  - name: web
    image: nginx
    ports: [{containerPort: ${port}}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  ports:
  - {name: http, port: 80, targetPort: ${port}}
  - {name: other, port: 81}
---
apiVersion: v1
kind: Endpoints
metadata: {name: web, namespace: default}
subsets:
- addresses: [{ip: 127.0.0.1}]
  ports: [{name: http, port: ${port}}]
---
apiVersion: v1
kind: Node
metadata: {name: n1}
`,
    });
    await kubectlOk(kc, [
      "patch",
      "pod",
      "web",
      "--subresource=status",
      "--type=merge",
      "-p",
      '{"status":{"podIP":"127.0.0.1"}}',
    ]);
    await kubectlOk(kc, [
      "patch",
      "node",
      "n1",
      "--subresource=status",
      "--type=merge",
      "-p",
      '{"status":{"addresses":[{"type":"InternalIP","address":"127.0.0.1"}]}}',
    ]);
  });

  after(async () => {
    proxy?.kill("SIGKILL");
    await new Promise<void>((resolve) => (echo ? echo.close(() => resolve()) : resolve()));
    await server?.stop();
    files.remove();
  });

  const raw = async (path: string) => JSON.parse(await kubectlOk(kc, ["get", "--raw", path]));

  it("pods/proxy reaches the pod's IP on its container port, with path and query, without the caller's credentials", async () => {
    const out = await kubectlOk(kc, [
      "--token=proxy-secret",
      "get",
      "--raw",
      "/api/v1/namespaces/default/pods/web/proxy/hello/world?x=1&y=2",
    ]);
    const r = JSON.parse(out);
    assert.deepEqual(r, {
      method: "GET",
      url: "/hello/world?x=1&y=2",
      body: "",
      authorization: null,
    });
  });

  it("services/proxy reaches an endpoint of the named port; POST bodies pass through", async () => {
    assert.equal((await raw("/api/v1/namespaces/default/services/web:http/proxy/")).url, "/");
    const posted = await kubectlOk(
      kc,
      ["create", "--raw", "/api/v1/namespaces/default/services/web:80/proxy/submit", "-f", "-"],
      { input: '{"a":1}' },
    );
    assert.deepEqual(JSON.parse(posted), {
      method: "POST",
      url: "/submit",
      body: '{"a":1}',
      authorization: null,
    });
    const none = await kubectl(kc, [
      "get",
      "--raw",
      "/api/v1/namespaces/default/services/web:other/proxy/",
    ]);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /no endpoints available for service "web"/);
  });

  it("nodes/proxy reaches the node's address; the target's status codes come back", async () => {
    assert.equal((await raw(`/api/v1/nodes/http:n1:${port}/proxy/metrics`)).url, "/metrics");
    const missing = await kubectl(kc, [
      "get",
      "--raw",
      `/api/v1/nodes/http:n1:${port}/proxy/missing`,
    ]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NotFound|404|not found/i);
  });

  it("kubectl proxy serves a Service through the API server, and a bare .../proxy redirects to .../proxy/", async () => {
    proxy = spawn(KUBECTL, ["proxy", "--port=0"], { env: { ...process.env, KUBECONFIG: kc } });
    const local = await new Promise<string>((resolve, reject) => {
      let out = "";
      proxy?.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /Starting to serve on (\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      proxy?.once("exit", (code) => reject(new Error(`kubectl proxy exited ${code}`)));
    });
    const base = `http://${local}/api/v1/namespaces/default/services/web:http/proxy`;
    const page = await fetch(`${base}/index.html?q=1`);
    assert.equal(page.status, 200);
    assert.equal(((await page.json()) as { url: string }).url, "/index.html?q=1");
    const bare = await fetch(base, { redirect: "manual" });
    assert.equal(bare.status, 301);
    assert.equal(
      bare.headers.get("location"),
      "/api/v1/namespaces/default/services/web:http/proxy/",
    );
  });
});
