import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseRequestInfo } from "../../../src/apiserver/http/request-info.js";
import {
  authorizationTarget,
  forbiddenError,
  selectedName,
} from "../../../src/apiserver/rbac/forbidden.js";

const jane = { name: "jane", groups: ["devs"] };
const target = (method: string, path: string, query = "") => {
  const q = new URLSearchParams(query);
  return authorizationTarget(parseRequestInfo(method, path, q), method, q);
};
const status = (method: string, path: string, query = "", reason = "") =>
  forbiddenError(jane, target(method, path, query), reason).status;

describe("forbidden (upstream responsewriters.Forbidden + NewForbidden)", () => {
  it("lists in a namespace", () => {
    assert.deepEqual(status("GET", "/api/v1/namespaces/default/pods"), {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message:
        'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"',
      reason: "Forbidden",
      details: { kind: "pods" },
      code: 403,
    });
  });

  it("names the object, its group, and the verb of the request", () => {
    const s = status("GET", "/api/v1/namespaces/default/pods/x");
    assert.equal(
      s.message,
      'pods "x" is forbidden: User "jane" cannot get resource "pods" in API group "" in the namespace "default"',
    );
    assert.deepEqual(s.details, { name: "x", kind: "pods" });
    const d = status("DELETE", "/apis/apps/v1/namespaces/prod/deployments/web");
    assert.equal(
      d.message,
      'deployments.apps "web" is forbidden: User "jane" cannot delete resource "deployments" in API group "apps" in the namespace "prod"',
    );
    assert.deepEqual(d.details, { name: "web", group: "apps", kind: "deployments" });
    assert.equal(
      status("GET", "/api/v1/namespaces/default/pods", "watch=true").message,
      'pods is forbidden: User "jane" cannot watch resource "pods" in API group "" in the namespace "default"',
    );
    assert.equal(
      status("POST", "/api/v1/namespaces/default/configmaps").message,
      'configmaps is forbidden: User "jane" cannot create resource "configmaps" in API group "" in the namespace "default"',
    );
  });

  it("says cluster scope for cluster-scoped and all-namespace requests", () => {
    assert.equal(
      status("GET", "/api/v1/nodes").message,
      'nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    assert.equal(
      status("GET", "/api/v1/pods").message,
      'pods is forbidden: User "jane" cannot list resource "pods" in API group "" at the cluster scope',
    );
    assert.equal(
      status("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/admin").message,
      'clusterroles.rbac.authorization.k8s.io "admin" is forbidden: User "jane" cannot get resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope',
    );
  });

  it("puts a namespace object in its own namespace", () => {
    assert.equal(
      status("GET", "/api/v1/namespaces/team").message,
      'namespaces "team" is forbidden: User "jane" cannot get resource "namespaces" in API group "" in the namespace "team"',
    );
  });

  it("names subresources, connect ones with their method's verb", () => {
    assert.equal(
      status("POST", "/api/v1/namespaces/default/pods/x/exec", "command=ls").message,
      'pods "x" is forbidden: User "jane" cannot create resource "pods/exec" in API group "" in the namespace "default"',
    );
    assert.equal(
      status("GET", "/api/v1/namespaces/default/pods/x/exec", "command=ls").message,
      'pods "x" is forbidden: User "jane" cannot get resource "pods/exec" in API group "" in the namespace "default"',
    );
    assert.equal(
      status("GET", "/api/v1/namespaces/default/pods/x/log").message,
      'pods "x" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "default"',
    );
    assert.equal(
      status("PUT", "/apis/apps/v1/namespaces/default/deployments/d/scale").message,
      'deployments.apps "d" is forbidden: User "jane" cannot update resource "deployments/scale" in API group "apps" in the namespace "default"',
    );
  });

  it("non-resource paths", () => {
    const s = status("GET", "/metrics");
    assert.equal(s.message, 'forbidden: User "jane" cannot get path "/metrics"');
    assert.deepEqual(s.details, {});
    assert.equal(
      status("POST", "/logs/<b>&").message,
      'forbidden: User "jane" cannot post path "/logs/&lt;b&gt;&amp;"',
    );
  });

  it("appends the authorizer's reason", () => {
    assert.equal(
      status(
        "GET",
        "/api/v1/nodes",
        "",
        'RBAC: clusterrole.rbac.authorization.k8s.io "x" not found',
      ).message,
      'nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope: RBAC: clusterrole.rbac.authorization.k8s.io "x" not found',
    );
  });

  it("a list or watch for one name (fieldSelector metadata.name) names it", () => {
    const t = target(
      "GET",
      "/api/v1/namespaces/default/pods",
      "fieldSelector=metadata.name%3Dweb&watch=1",
    );
    assert.ok(t.isResource && t.verb === "watch" && t.name === "web");
    assert.equal(
      forbiddenError(jane, t, "").message,
      'pods "web" is forbidden: User "jane" cannot watch resource "pods" in API group "" in the namespace "default"',
    );
    assert.equal(selectedName("metadata.name==a,status.phase=Running"), "a");
    assert.equal(selectedName("status.phase=Running,metadata.name=a"), "a");
    assert.equal(selectedName("metadata.name!=a"), undefined);
    assert.equal(selectedName("metadata.namespace=a"), undefined);
    assert.equal(selectedName("metadata.name=a/b"), undefined);
    assert.equal(selectedName(""), undefined);
    const deleteAll = target(
      "DELETE",
      "/api/v1/namespaces/default/pods",
      "fieldSelector=metadata.name%3Dweb",
    );
    assert.ok(deleteAll.isResource && deleteAll.name === "");
  });
});
