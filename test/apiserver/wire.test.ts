// Wire behaviours of the API server checked against upstream: watch timeouts
// and bookmarks, exact-revision lists, generation, content negotiation,
// Tables, delete preconditions, pod admission defaults, ClusterIP release,
// health endpoints and aggregated discovery.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type AdminTls, adminTls, apiCall, type CallOptions } from "../support/api-call.js";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";

type Obj = Record<string, unknown>;
type Meta = {
  name: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  labels?: Record<string, string>;
};

const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";
const DISCOVERY = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

describe("API server wire behaviour", () => {
  let server: TestApiServer;
  let tls: AdminTls;

  const call = (method: string, path: string, opts: CallOptions = {}) =>
    apiCall({ port: server.port, tls }, method, path, opts);

  const metaOf = (o: Obj) => o.metadata as Meta;

  async function create(path: string, body: unknown): Promise<Obj> {
    const r = await call("POST", path, { body });
    assert.equal(r.status, 201, r.text);
    return r.json();
  }

  before(async () => {
    server = await startTestApiServer();
    tls = adminTls(server.adminKubeconfig);
  });
  after(async () => {
    await server?.stop();
  });

  it("ends a watch after timeoutSeconds and shapes its bookmarks like upstream", async () => {
    await create("/api/v1/namespaces/default/configmaps", { metadata: { name: "watched" } });
    const started = Date.now();
    const w = await call(
      "GET",
      "/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&timeoutSeconds=1",
    );
    const took = Date.now() - started;
    assert.equal(w.status, 200, w.text);
    assert.ok(took >= 900 && took < 5000, `the watch lasted ${took} ms`);
    const events = w.text
      .trim()
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as { type: string; object: Obj });
    assert.ok(
      events.some((e) => e.type === "ADDED" && metaOf(e.object).name === "watched"),
      "the initial state comes first as ADDED events",
    );
    // Upstream sends periodic bookmarks about once a minute, so none is due
    // within a second; any bookmark sent must carry only a resourceVersion.
    for (const e of events.filter((x) => x.type === "BOOKMARK")) {
      assert.equal(e.object.kind, "ConfigMap");
      assert.deepEqual(Object.keys(e.object.metadata as Obj), ["resourceVersion"]);
    }

    // With sendInitialEvents the initial state ends with an annotated bookmark.
    const listed = await call(
      "GET",
      "/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&timeoutSeconds=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan",
    );
    assert.equal(listed.status, 200, listed.text);
    const initial = listed.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; object: Obj });
    const end = initial.find((e) => e.type === "BOOKMARK");
    assert.ok(end, listed.text);
    assert.equal(end.object.kind, "ConfigMap");
    assert.equal(end.object.apiVersion, "v1");
    const endMeta = end.object.metadata as {
      resourceVersion: string;
      annotations: Record<string, string>;
    };
    assert.match(endMeta.resourceVersion, /^\d+$/);
    assert.deepEqual(endMeta.annotations, { "k8s.io/initial-events-end": "true" });
    assert.ok(
      initial.findIndex((e) => e.type === "BOOKMARK") >
        initial.findIndex((e) => e.type === "ADDED" && metaOf(e.object).name === "watched"),
    );
  });

  it("lists the state at an exact resourceVersion and refuses a match without one", async () => {
    await call("POST", "/api/v1/namespaces", { body: { metadata: { name: "exact" } } });
    const a = await create("/api/v1/namespaces/exact/configmaps", { metadata: { name: "a" } });
    const rv = metaOf(a).resourceVersion;
    await create("/api/v1/namespaces/exact/configmaps", { metadata: { name: "b" } });
    const now = (await call("GET", "/api/v1/namespaces/exact/configmaps")).json();
    assert.deepEqual(
      (now.items as Obj[]).map((o) => metaOf(o).name),
      ["a", "b"],
    );
    const then = await call(
      "GET",
      `/api/v1/namespaces/exact/configmaps?resourceVersion=${rv}&resourceVersionMatch=Exact`,
    );
    assert.equal(then.status, 200, then.text);
    const list = then.json();
    assert.deepEqual(
      (list.items as Obj[]).map((o) => metaOf(o).name),
      ["a"],
    );
    assert.equal((list.metadata as { resourceVersion: string }).resourceVersion, rv);

    // Upstream validates ListOptions and answers 422 Invalid on ListOptions.meta.k8s.io.
    const bad = await call("GET", "/api/v1/namespaces/exact/configmaps?resourceVersionMatch=Exact");
    assert.equal(bad.status, 422, bad.text);
    assert.deepEqual(bad.json(), {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message:
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      reason: "Invalid",
      details: {
        group: "meta.k8s.io",
        kind: "ListOptions",
        causes: [
          {
            reason: "FieldValueForbidden",
            message:
              "Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
            field: "resourceVersionMatch",
          },
        ],
      },
      code: 422,
    });
  });

  it("bumps a Deployment's generation on spec changes only, and splits spec from status", async () => {
    const base = "/apis/apps/v1/namespaces/default/deployments";
    const created = await create(base, {
      metadata: { name: "gen" },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "gen" } },
        template: {
          metadata: { labels: { app: "gen" } },
          spec: { containers: [{ name: "c", image: "busybox" }] },
        },
      },
    });
    assert.equal(metaOf(created).generation, 1);
    const patch = (path: string, body: unknown) =>
      call("PATCH", path, { contentType: "application/merge-patch+json", body });

    const labelled = await patch(`${base}/gen`, { metadata: { labels: { tier: "web" } } });
    assert.equal(labelled.status, 200, labelled.text);
    assert.equal(metaOf(labelled.json()).generation, 1, "a label change keeps the generation");

    const scaled = await patch(`${base}/gen`, { spec: { replicas: 2 } });
    assert.equal(scaled.status, 200, scaled.text);
    assert.equal(metaOf(scaled.json()).generation, 2, "a spec change bumps the generation");

    const viaStatus = await patch(`${base}/gen/status`, {
      spec: { replicas: 5 },
      status: { observedGeneration: 2, replicas: 2 },
    });
    assert.equal(viaStatus.status, 200, viaStatus.text);
    const s = viaStatus.json();
    assert.equal((s.spec as { replicas: number }).replicas, 2, "/status ignores spec");
    assert.equal((s.status as { replicas: number }).replicas, 2, "/status applies status");
    assert.equal((s.status as { observedGeneration: number }).observedGeneration, 2);
    assert.equal(metaOf(s).generation, 2);

    const viaMain = await patch(`${base}/gen`, { status: { replicas: 7 } });
    assert.equal(viaMain.status, 200, viaMain.text);
    assert.equal(
      (viaMain.json().status as { replicas: number }).replicas,
      2,
      "the main resource ignores status",
    );
    assert.equal(metaOf(viaMain.json()).generation, 2);
  });

  it("answers unknown media types with 415 and 406 Status bodies", async () => {
    const r = await call("POST", "/api/v1/namespaces/default/configmaps", {
      rawBody: "metadata: {name: plain}",
      contentType: "text/plain",
    });
    assert.equal(r.status, 415, r.text);
    const s = r.json();
    assert.equal(s.kind, "Status");
    assert.equal(s.apiVersion, "v1");
    assert.deepEqual(s.metadata, {});
    assert.equal(s.status, "Failure");
    assert.equal(s.reason, "UnsupportedMediaType");
    assert.equal(s.code, 415);
    assert.match(
      String(s.message),
      /^the body of the request was in an unknown format - accepted media types include: application\/json, application\/yaml/,
    );
    assert.equal((await call("GET", "/api/v1/namespaces/default/configmaps/plain")).status, 404);

    const n = await call("GET", "/api/v1/namespaces/default/configmaps", {
      accept: "application/foo",
    });
    assert.equal(n.status, 406, n.text);
    const ns = n.json();
    assert.equal(ns.kind, "Status");
    assert.equal(ns.apiVersion, "v1");
    assert.deepEqual(ns.metadata, {});
    assert.equal(ns.status, "Failure");
    assert.equal(ns.reason, "NotAcceptable");
    assert.equal(ns.code, 406);
    assert.match(
      String(ns.message),
      /^only the following media types are accepted: application\/json, application\/yaml/,
    );
  });

  it("embeds objects in Table rows as includeObject asks", async () => {
    await create("/api/v1/namespaces/default/configmaps", {
      metadata: { name: "tabled", labels: { t: "1" } },
      data: { k: "v" },
    });
    const path = "/api/v1/namespaces/default/configmaps?labelSelector=t%3D1";
    const row = async (q: string) => {
      const r = await call("GET", `${path}${q}`, { accept: TABLE });
      assert.equal(r.status, 200, r.text);
      const t = r.json();
      assert.equal(t.kind, "Table");
      assert.equal(t.apiVersion, "meta.k8s.io/v1");
      const rows = t.rows as Array<{ cells: unknown[]; object?: Obj | null }>;
      assert.equal(rows.length, 1);
      return rows[0] as { cells: unknown[]; object?: Obj | null };
    };
    const full = await row("&includeObject=Object");
    assert.equal(full.object?.kind, "ConfigMap");
    assert.equal(full.object?.apiVersion, "v1");
    assert.deepEqual(full.object?.data, { k: "v" });
    assert.equal(metaOf(full.object as Obj).name, "tabled");

    const none = await row("&includeObject=None");
    assert.ok(none.object === undefined || none.object === null, JSON.stringify(none));
    assert.equal(none.cells[0], "tabled");

    const meta = await row("");
    assert.equal(meta.object?.kind, "PartialObjectMetadata");
    assert.equal(meta.object?.apiVersion, "meta.k8s.io/v1");
    assert.equal(metaOf(meta.object as Obj).name, "tabled");
    assert.equal(meta.object?.data, undefined);
  });

  it("honours delete preconditions", async () => {
    const cm = await create("/api/v1/namespaces/default/configmaps", {
      metadata: { name: "guarded" },
    });
    const stale = metaOf(cm).resourceVersion;
    const updated = await call("PATCH", "/api/v1/namespaces/default/configmaps/guarded", {
      contentType: "application/merge-patch+json",
      body: { data: { x: "y" } },
    });
    assert.equal(updated.status, 200, updated.text);
    const current = metaOf(updated.json()).resourceVersion;
    const refused = await call("DELETE", "/api/v1/namespaces/default/configmaps/guarded", {
      body: {
        kind: "DeleteOptions",
        apiVersion: "v1",
        preconditions: { resourceVersion: stale },
      },
    });
    assert.equal(refused.status, 409, refused.text);
    const s = refused.json();
    assert.equal(s.kind, "Status");
    assert.equal(s.reason, "Conflict");
    assert.equal(s.code, 409);
    assert.equal(
      s.message,
      `Operation cannot be fulfilled on ConfigMap "guarded": the ResourceVersion in the precondition (${stale}) does not match the ResourceVersion in record (${current}). The object might have been modified`,
    );
    assert.equal((await call("GET", "/api/v1/namespaces/default/configmaps/guarded")).status, 200);

    const ok = await call("DELETE", "/api/v1/namespaces/default/configmaps/guarded", {
      body: { kind: "DeleteOptions", apiVersion: "v1", preconditions: { uid: metaOf(cm).uid } },
    });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await call("GET", "/api/v1/namespaces/default/configmaps/guarded")).status, 404);
  });

  it("defaults pod tolerations and resolves priority classes", async () => {
    const pod = (name: string, extra: Obj = {}) => ({
      metadata: { name },
      spec: { containers: [{ name: "c", image: "busybox" }], ...extra },
    });
    const plain = await create("/api/v1/namespaces/default/pods", pod("tolerant"));
    assert.deepEqual((plain.spec as { tolerations: unknown }).tolerations, [
      {
        key: "node.kubernetes.io/not-ready",
        operator: "Exists",
        effect: "NoExecute",
        tolerationSeconds: 300,
      },
      {
        key: "node.kubernetes.io/unreachable",
        operator: "Exists",
        effect: "NoExecute",
        tolerationSeconds: 300,
      },
    ]);
    assert.equal((plain.spec as { priority: number }).priority, 0);

    const critical = await create(
      "/api/v1/namespaces/kube-system/pods",
      pod("critical", { priorityClassName: "system-cluster-critical" }),
    );
    assert.equal((critical.spec as { priority: number }).priority, 2000000000);

    const unknown = await call("POST", "/api/v1/namespaces/default/pods", {
      body: pod("nobody", { priorityClassName: "no-such-class" }),
    });
    assert.equal(unknown.status, 403, unknown.text);
    assert.equal(unknown.json().reason, "Forbidden");
    assert.equal(
      unknown.json().message,
      'pods "nobody" is forbidden: no PriorityClass with name no-such-class was found',
    );
  });

  it("frees a Service's ClusterIP when the Service is deleted", async () => {
    const ip = "10.43.77.77";
    const svc = (name: string) => ({
      metadata: { name },
      spec: { clusterIP: ip, ports: [{ port: 80 }], selector: { app: name } },
    });
    const first = await create("/api/v1/namespaces/default/services", svc("first"));
    assert.equal((first.spec as { clusterIP: string }).clusterIP, ip);
    const clash = await call("POST", "/api/v1/namespaces/default/services", {
      body: svc("second"),
    });
    assert.equal(clash.status, 422, clash.text);
    assert.equal(clash.json().reason, "Invalid");
    assert.match(
      String(clash.json().message),
      /^Service "second" is invalid: spec\.clusterIPs: Invalid value: \[\]string\{"10\.43\.77\.77"\}: failed to allocate IP 10\.43\.77\.77: provided IP is already allocated$/,
    );
    const del = await call("DELETE", "/api/v1/namespaces/default/services/first");
    assert.equal(del.status, 200, del.text);
    const again = await create("/api/v1/namespaces/default/services", svc("second"));
    assert.equal((again.spec as { clusterIP: string }).clusterIP, ip);
  });

  it("answers anonymous health and version checks but not /api", async () => {
    for (const path of ["/livez", "/readyz", "/healthz", "/version"]) {
      const r = await call("GET", path, { auth: "none" });
      assert.equal(r.status, 200, `${path}: ${r.text}`);
    }
    const api = await call("GET", "/api", { auth: "none" });
    assert.equal(api.status, 401, api.text);
    assert.deepEqual(api.json(), {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Unauthorized",
      reason: "Unauthorized",
      code: 401,
    });
  });

  it("serves aggregated discovery consistent with the legacy documents", async () => {
    type Resource = {
      resource: string;
      responseKind: { kind: string };
      scope: string;
      verbs: string[];
      shortNames?: string[];
      categories?: string[];
    };
    type Legacy = {
      name: string;
      kind: string;
      namespaced: boolean;
      verbs: string[];
      shortNames?: string[];
      categories?: string[];
    };
    const check = async (path: string, groupName: string, version: string) => {
      const agg = await call("GET", path, { accept: DISCOVERY });
      assert.equal(agg.status, 200, agg.text);
      const doc = agg.json();
      assert.equal(doc.kind, "APIGroupDiscoveryList");
      assert.equal(doc.apiVersion, "apidiscovery.k8s.io/v2");
      const group = (
        doc.items as Array<{
          metadata: { name?: string };
          versions: Array<{ version: string; resources: Resource[] }>;
        }>
      ).find((g) => (g.metadata.name ?? "") === groupName);
      assert.ok(group, `group "${groupName}" in ${path}`);
      const v = group.versions.find((x) => x.version === version);
      assert.ok(v, `${groupName}/${version}`);
      const legacyPath = groupName === "" ? `/api/${version}` : `/apis/${groupName}/${version}`;
      const legacy = (await call("GET", legacyPath)).json().resources as Legacy[];
      const top = legacy.filter((r) => !r.name.includes("/"));
      assert.deepEqual(
        v.resources.map((r) => r.resource).sort(),
        top.map((r) => r.name).sort(),
        `${legacyPath} resources`,
      );
      for (const r of v.resources) {
        const l = top.find((x) => x.name === r.resource) as Legacy;
        const what = `${legacyPath} ${r.resource}`;
        assert.deepEqual([...r.verbs].sort(), [...l.verbs].sort(), `${what} verbs`);
        assert.deepEqual(r.shortNames ?? [], l.shortNames ?? [], `${what} shortNames`);
        assert.deepEqual(r.categories ?? [], l.categories ?? [], `${what} categories`);
        assert.equal(r.scope, l.namespaced ? "Namespaced" : "Cluster", `${what} scope`);
        assert.equal(r.responseKind.kind, l.kind, `${what} kind`);
      }
      return v.resources;
    };
    const apps = await check("/apis", "apps", "v1");
    const deployments = apps.find((r) => r.resource === "deployments");
    assert.deepEqual(deployments?.shortNames, ["deploy"]);
    assert.deepEqual(deployments?.categories, ["all"]);
    const core = await check("/api", "", "v1");
    assert.equal(core.find((r) => r.resource === "pods")?.scope, "Namespaced");
    assert.equal(core.find((r) => r.resource === "nodes")?.scope, "Cluster");
  });
});
