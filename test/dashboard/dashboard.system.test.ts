// System test: the dashboard against an in-process API server, checked with plain HTTP.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { RestClient } from "../../src/client/rest/client.js";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { type RunningDashboard, startDashboard } from "../../src/dashboard/server.js";
import { cronTabCRD } from "../apiserver/crd/crontab.fixture.js";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { tempDir } from "../support/tmp.js";

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function fetchPage(url: string, method = "GET"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The text of each <th> of the first table on a page. */
function headers(page: string): string[] {
  const table = /<table>([\s\S]*?)<\/tr>/.exec(page)?.[1] ?? "";
  return [...table.matchAll(/<th>([^<]*)<\/th>/g)].map((m) => m[1] ?? "");
}

describe("k8ts dashboard", () => {
  let server: TestApiServer;
  let rest: RestClient;
  let dash: RunningDashboard;
  const ns = "dash-test";
  const evil = `<script>alert("pwned")</script>`;
  const files = tempDir("dashboard");

  before(async () => {
    writeFileSync(join(files.path, "tokens.csv"), "nobody-token,nobody,2001\n");
    server = await startTestApiServer({ tokenAuthFile: join(files.path, "tokens.csv") });
    rest = new RestClient(loadKubeconfig({ path: server.adminKubeconfig }));
    const post = (path: string, body: unknown) => rest.request({ method: "POST", path, body });
    await post("/api/v1/namespaces", { metadata: { name: ns } });
    await post(`/api/v1/namespaces/${ns}/configmaps`, {
      metadata: { name: "settings", annotations: { note: evil } },
      data: { "greeting.txt": "hello", snippet: evil },
    });
    await post(`/apis/apps/v1/namespaces/${ns}/deployments`, {
      metadata: { name: "web" },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: "nginx:1.7.9" }] },
        },
      },
    });
    await post("/api/v1/nodes", {
      metadata: { name: "dash-node-1" },
      status: { conditions: [{ type: "Ready", status: "True" }] },
    });
    const cm = await rest.request<{ metadata: { uid: string } }>({
      method: "GET",
      path: `/api/v1/namespaces/${ns}/configmaps/settings`,
    });
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    await post(`/api/v1/namespaces/${ns}/events`, {
      metadata: { name: "settings.warn1" },
      involvedObject: {
        kind: "ConfigMap",
        apiVersion: "v1",
        namespace: ns,
        name: "settings",
        uid: cm.metadata.uid,
      },
      type: "Warning",
      reason: "BadThing",
      message: "something went wrong here",
      source: { component: "dashboard-test" },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    });
    await post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", cronTabCRD());
    const crd = cronTabCRD();
    const crPath = `/apis/${crd.spec.group}/${crd.spec.versions[0]?.name}`;
    for (let i = 0; ; i++) {
      const ok = await rest.request({ method: "GET", path: crPath }).then(
        () => true,
        () => false,
      );
      if (ok) break;
      if (i > 100) throw new Error("CRD never served");
      await new Promise((r) => setTimeout(r, 100));
    }
    dash = await startDashboard({ rest, port: 0 });
  });

  after(async () => {
    await dash?.stop();
    rest?.close();
    await server?.stop();
    files.remove();
  });

  it("serves /healthz", async () => {
    const r = await fetchPage(`${dash.url}healthz`);
    assert.equal(r.status, 200);
    assert.equal(r.body, "ok");
  });

  it("overview shows version, the node, pods by phase and the warning event", async () => {
    const r = await fetchPage(dash.url);
    assert.equal(r.status, 200, r.body);
    assert.match(r.body, /Kubernetes v1\.\d+/);
    assert.ok(r.body.includes('href="/resources/core/v1/nodes/dash-node-1"'), r.body);
    assert.ok(r.body.includes("dash-node-1"));
    assert.ok(r.body.includes("something went wrong here"));
    assert.ok(r.body.includes("BadThing"));
    assert.ok(r.headers["content-security-policy"]);
  });

  it("sidebar lists discovered resources, custom resources included", async () => {
    const r = await fetchPage(dash.url);
    const crd = cronTabCRD();
    assert.ok(r.body.includes('href="/resources/core/v1/configmaps"'));
    assert.ok(r.body.includes('href="/resources/apps/v1/deployments"'));
    assert.ok(
      r.body.includes(
        `href="/resources/${crd.spec.group}/${crd.spec.versions[0]?.name}/${crd.spec.names.plural}"`,
      ),
      "CRD in sidebar",
    );
  });

  it("lists configmaps with kubectl's columns, each row linking to the object", async () => {
    const r = await fetchPage(`${dash.url}resources/core/v1/configmaps?namespace=${ns}`);
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(headers(r.body), ["NAME", "DATA", "AGE"]);
    assert.ok(r.body.includes(`href="/resources/core/v1/configmaps/settings?namespace=${ns}"`));
    assert.match(r.body, /<td>2<\/td>/);
    const all = await fetchPage(`${dash.url}resources/core/v1/configmaps`);
    assert.deepEqual(headers(all.body), ["NAMESPACE", "NAME", "DATA", "AGE"]);
    const deps = await fetchPage(`${dash.url}resources/apps/v1/deployments?namespace=${ns}`);
    assert.deepEqual(headers(deps.body), ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
    assert.ok(deps.body.includes("web"));
  });

  it("object page shows the YAML, escaped, and its events", async () => {
    const r = await fetchPage(`${dash.url}resources/core/v1/configmaps/settings?namespace=${ns}`);
    assert.equal(r.status, 200, r.body);
    assert.ok(r.body.includes("greeting.txt: hello"), r.body);
    assert.ok(r.body.includes("kind: ConfigMap"));
    assert.ok(!r.body.includes("<script>"), "no raw script tag");
    assert.ok(r.body.includes("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;"));
    assert.ok(r.body.includes("something went wrong here"), "its events");
  });

  it("node object page works for a cluster-scoped resource", async () => {
    const r = await fetchPage(`${dash.url}resources/core/v1/nodes/dash-node-1`);
    assert.equal(r.status, 200, r.body);
    assert.ok(r.body.includes("name: dash-node-1"));
  });

  it("pod page shows each container's log section, or why there is none", async () => {
    await rest.request({
      method: "POST",
      path: `/api/v1/namespaces/${ns}/pods`,
      body: {
        metadata: { name: "lonely" },
        spec: { containers: [{ name: "main", image: "busybox" }] },
      },
    });
    const r = await fetchPage(`${dash.url}resources/core/v1/pods/lonely?namespace=${ns}`);
    assert.equal(r.status, 200, r.body);
    assert.ok(r.body.includes("Logs (last 200 lines)"));
    assert.ok(r.body.includes("<h3>main</h3>"));
    const overview = await fetchPage(dash.url);
    assert.ok(overview.body.includes(`href="/resources/core/v1/pods?namespace=${ns}"`));
  });

  it("404s for unknown resources, missing objects and bad paths", async () => {
    const unknown = await fetchPage(`${dash.url}resources/core/v1/widgets`);
    assert.equal(unknown.status, 404);
    assert.ok(unknown.body.includes("no resource widgets"));
    const missing = await fetchPage(`${dash.url}resources/core/v1/configmaps/nope?namespace=${ns}`);
    assert.equal(missing.status, 404);
    assert.ok(missing.body.includes("not found"), missing.body);
    for (const p of ["nope", "resources/core/v1/pods/%E0%A4%A", "resources/x/y"]) {
      const r = await fetchPage(`${dash.url}${p}`);
      assert.equal(r.status, 404, p);
    }
  });

  it("refuses writes with 405", async () => {
    for (const m of ["POST", "PUT", "DELETE", "PATCH"]) {
      const r = await fetchPage(`${dash.url}resources/core/v1/configmaps`, m);
      assert.equal(r.status, 405, m);
      assert.equal(r.headers.allow, "GET, HEAD");
    }
  });

  it("mounts under /dashboard/ as `k8ts server --dashboard-port` serves it", async () => {
    const d = await startDashboard({ rest, port: 0, basePath: "/dashboard" });
    try {
      assert.match(d.url, /\/dashboard\/$/);
      const r = await fetchPage(d.url);
      assert.equal(r.status, 200);
      assert.ok(r.body.includes('href="/dashboard/resources/core/v1/nodes/dash-node-1"'));
      const list = await fetchPage(`${d.url}resources/core/v1/configmaps?namespace=${ns}`);
      assert.ok(
        list.body.includes(
          `href="/dashboard/resources/core/v1/configmaps/settings?namespace=${ns}"`,
        ),
      );
      assert.equal((await fetchPage(d.url.replace(/dashboard\/$/, "healthz"))).status, 404);
    } finally {
      await d.stop();
    }
  });

  it("shows API errors (403) with the Status message", async () => {
    // A user RBAC grants nothing but discovery.
    const { cert: _c, key: _k, ...admin } = loadKubeconfig({ path: server.adminKubeconfig });
    const client = new RestClient({ ...admin, token: "nobody-token" });
    const d = await startDashboard({ rest: client, port: 0 });
    try {
      const r = await fetchPage(`${d.url}resources/core/v1/configmaps?namespace=${ns}`);
      assert.equal(r.status, 403, r.body);
      assert.ok(r.body.includes("Forbidden"), r.body);
      assert.match(r.body, /configmaps is forbidden: User &quot;nobody&quot; cannot list/);
    } finally {
      await d.stop();
      client.close();
    }
  });
});
