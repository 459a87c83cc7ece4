import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ClusterRole } from "kubernetes-types/rbac/v1.js";
import { ClusterRoleAggregationController } from "../../../src/controllers/clusterroleaggregation/controller.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

describe("clusterrole-aggregation controller", () => {
  let h: ControllerHarness;
  before(async () => {
    h = await startControllers((ctx) => [new ClusterRoleAggregationController(ctx)]);
  });
  after(() => h?.stop());

  const get = async (name: string): Promise<ClusterRole> =>
    JSON.parse(await h.kubectl(["get", "clusterrole", name, "-o", "json"])) as ClusterRole;
  const grants = (cr: ClusterRole, verb: string, group: string, resource: string) =>
    (cr.rules ?? []).some(
      (x) =>
        x.verbs.includes(verb) &&
        (x.apiGroups ?? []).includes(group) &&
        (x.resources ?? []).includes(resource),
    );

  it("runs after the API server's rbac/bootstrap-roles hook, which /readyz lists", async () => {
    const ready = await h.kubectl(["get", "--raw", "/readyz?verbose"]);
    assert.match(ready, /^\[\+\]poststarthook\/rbac\/bootstrap-roles ok$/m);
    const bindings = await h.kubectl(["get", "clusterrolebindings", "-o", "name"]);
    for (const name of ["cluster-admin", "system:basic-user", "system:public-info-viewer"])
      assert.match(
        bindings,
        new RegExp(`^clusterrolebinding.rbac.authorization.k8s.io/${name}$`, "m"),
      );
  });

  it("fills the default admin, edit and view roles", async () => {
    await until("admin aggregated", async () =>
      grants(await get("admin"), "create", "apps", "deployments"),
    );
    const yaml = await h.kubectl(["get", "clusterrole", "admin", "-o", "yaml"]);
    assert.match(yaml, /aggregate-to-admin: "true"/);
    assert.match(yaml, /- rolebindings/);
    assert.match(yaml, /- deployments/);
    const view = await get("view");
    assert.ok(grants(view, "watch", "", "pods"));
    assert.ok(!grants(view, "get", "", "secrets"));
    assert.ok(grants(await get("edit"), "get", "", "secrets"));
  });

  it("follows labelled roles as they come and go", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: {
          name: "widgets-view",
          labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" },
        },
        rules: [{ apiGroups: ["example.com"], resources: ["widgets"], verbs: ["get", "list"] }],
      }),
    );
    for (const name of ["view", "edit", "admin"])
      await until(`${name} has widgets`, async () =>
        grants(await get(name), "list", "example.com", "widgets"),
      );
    await h.kubectl(["delete", "clusterrole", "widgets-view"]);
    await until(
      "widgets gone from admin",
      async () => !grants(await get("admin"), "list", "example.com", "widgets"),
    );
  });
});
