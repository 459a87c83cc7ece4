import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { apiPath, parseRoute, resourceHref } from "../../src/dashboard/routes.js";
import { hostAllowed } from "../../src/dashboard/server.js";

describe("dashboard routes", () => {
  it("parses the pages", () => {
    assert.deepEqual(parseRoute("GET", "/"), { kind: "overview" });
    assert.deepEqual(parseRoute("HEAD", "/healthz"), { kind: "healthz" });
    assert.deepEqual(parseRoute("GET", "/resources/core/v1/pods?namespace=kube-system"), {
      kind: "list",
      group: "",
      version: "v1",
      plural: "pods",
      namespace: "kube-system",
    });
    assert.deepEqual(parseRoute("GET", "/resources/apps/v1/deployments/web/"), {
      kind: "object",
      group: "apps",
      version: "v1",
      plural: "deployments",
      name: "web",
      namespace: undefined,
    });
    assert.deepEqual(parseRoute("GET", "/resources/core/v1/nodes/a%3Ab"), {
      kind: "object",
      group: "",
      version: "v1",
      plural: "nodes",
      name: "a:b",
      namespace: undefined,
    });
  });

  it("refuses anything but GET and HEAD with 405", () => {
    for (const m of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      const r = parseRoute(m, "/");
      assert.equal(r.kind === "error" && r.status, 405);
    }
  });

  it("gives 404 for bad paths instead of throwing", () => {
    for (const p of [
      "/nope",
      "/resources",
      "/resources/core/v1",
      "/resources/core/v1/pods/a/b",
      "/resources/core/v1/pods/%E0%A4%A",
      "/resources/core/v1/pods/..",
      "/resources/core/v1/pods/a%2Fb",
      "/resources/Bad_Group/v1/pods",
      "/resources/core/v1/<script>",
      "//evil.example/",
    ]) {
      const r = parseRoute("GET", p);
      assert.equal(r.kind === "error" && r.status, 404, p);
    }
  });

  it("honours a mount point", () => {
    assert.deepEqual(parseRoute("GET", "/dashboard", "/dashboard"), { kind: "overview" });
    assert.deepEqual(parseRoute("GET", "/dashboard/healthz", "/dashboard"), { kind: "healthz" });
    const r = parseRoute("GET", "/healthz", "/dashboard");
    assert.equal(r.kind, "error");
  });

  it("builds links and API paths with encoded parts", () => {
    const cm = { group: "", version: "v1", plural: "configmaps" };
    assert.equal(
      resourceHref("/d", cm, { name: "a b", namespace: "n&s" }),
      "/d/resources/core/v1/configmaps/a%20b?namespace=n%26s",
    );
    assert.equal(apiPath(cm, { namespace: "ns", name: "x" }), "/api/v1/namespaces/ns/configmaps/x");
    assert.equal(
      apiPath({ group: "apps", version: "v1", plural: "deployments" }),
      "/apis/apps/v1/deployments",
    );
    assert.equal(
      apiPath(
        { group: "", version: "v1", plural: "pods" },
        { namespace: "n", name: "p", subresource: "log" },
      ),
      "/api/v1/namespaces/n/pods/p/log",
    );
  });

  it("accepts only loopback Host headers on a loopback address", () => {
    assert.ok(hostAllowed("127.0.0.1:8001", "127.0.0.1"));
    assert.ok(hostAllowed("localhost:8001", "127.0.0.1"));
    assert.ok(hostAllowed("[::1]:8001", "::1"));
    assert.ok(!hostAllowed("evil.example:8001", "127.0.0.1"));
    assert.ok(!hostAllowed(undefined, "127.0.0.1"));
    assert.ok(hostAllowed("10.0.0.5:8001", "0.0.0.0"));
  });
});
