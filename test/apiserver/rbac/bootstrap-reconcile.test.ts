import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ClusterRole, ClusterRoleBinding, RoleBinding } from "kubernetes-types/rbac/v1.js";
import type { KubeObject } from "../../../src/api/strategy.js";
import { defaultClusterRoles } from "../../../src/apiserver/rbac/bootstrap-policy.js";
import {
  breakdownRule,
  reconcileBinding,
  reconcileBootstrapPolicy,
  reconcileRole,
  uncoveredRules,
} from "../../../src/apiserver/rbac/reconcile.js";
import { decodeObject, encodeObject } from "../../../src/apiserver/registry/codec.js";
import { SqliteStore } from "../../../src/storage/sqlite/store.js";
import { tempDir } from "../../support/tmp.js";

const CR = "/registry/rbac.authorization.k8s.io/clusterroles/";
const CRB = "/registry/rbac.authorization.k8s.io/clusterrolebindings/";

describe("rule coverage", () => {
  it("breaks rules down into single verb/group/resource/name atoms", () => {
    assert.equal(
      breakdownRule({ verbs: ["get", "list"], apiGroups: ["", "apps"], resources: ["a", "b"] })
        .length,
      8,
    );
    assert.deepEqual(breakdownRule({ verbs: ["get"], nonResourceURLs: ["/x", "/y"] }), [
      { verbs: ["get"], nonResourceURLs: ["/x"] },
      { verbs: ["get"], nonResourceURLs: ["/y"] },
    ]);
  });

  it("finds what the owner rules do not allow", () => {
    const owner = [
      { verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] },
      { verbs: ["*"], apiGroups: ["apps"], resources: ["*/scale"] },
      { verbs: ["get"], nonResourceURLs: ["/apis/*"] },
      { verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"] },
    ];
    assert.deepEqual(
      uncoveredRules(owner, [
        { verbs: ["get", "watch"], apiGroups: [""], resources: ["pods"] },
        { verbs: ["update"], apiGroups: ["apps"], resources: ["deployments/scale"] },
        { verbs: ["get"], nonResourceURLs: ["/apis/apps", "/api"] },
        { verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["a", "b"] },
        { verbs: ["get"], apiGroups: [""], resources: ["configmaps"] },
      ]),
      [
        { verbs: ["watch"], apiGroups: [""], resources: ["pods"] },
        { verbs: ["get"], nonResourceURLs: ["/api"] },
        { verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["b"] },
        { verbs: ["get"], apiGroups: [""], resources: ["configmaps"] },
      ],
    );
  });
});

describe("reconciling one object", () => {
  const expected: ClusterRole = {
    metadata: {
      name: "r",
      labels: { a: "1" },
      annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
    },
    rules: [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }],
  };

  it("adds missing rules, labels and annotations, keeping what is there", () => {
    const existing: ClusterRole = {
      metadata: { name: "r", labels: { a: "mine", b: "2" } },
      rules: [
        { verbs: ["get"], apiGroups: [""], resources: ["pods"] },
        { verbs: ["delete"], apiGroups: [""], resources: ["secrets"] },
      ],
    };
    const r = reconcileRole(existing, expected);
    assert.equal(r.changed, true);
    assert.equal(r.protected, false);
    assert.deepEqual(r.object.metadata?.labels, { a: "mine", b: "2" });
    assert.deepEqual(r.object.metadata?.annotations, {
      "rbac.authorization.kubernetes.io/autoupdate": "true",
    });
    assert.deepEqual(r.object.rules, [
      { verbs: ["get"], apiGroups: [""], resources: ["pods"] },
      { verbs: ["delete"], apiGroups: [""], resources: ["secrets"] },
      { verbs: ["list"], apiGroups: [""], resources: ["pods"] },
    ]);
    assert.equal(reconcileRole(r.object, expected).changed, false);
  });

  it("marks autoupdate=false objects protected", () => {
    const existing: ClusterRole = {
      metadata: {
        name: "r",
        annotations: { "rbac.authorization.kubernetes.io/autoupdate": "false" },
      },
      rules: [],
    };
    assert.equal(reconcileRole(existing, expected).protected, true);
  });

  it("restores aggregation selectors of an aggregated role and never touches its rules", () => {
    const admin = defaultClusterRoles().find((r) => r.metadata?.name === "admin");
    assert.ok(admin);
    const existing: ClusterRole = {
      ...structuredClone(admin),
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { extra: "true" } }] },
      rules: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }],
    };
    const r = reconcileRole(existing, admin);
    assert.deepEqual(r.object.aggregationRule?.clusterRoleSelectors, [
      { matchLabels: { extra: "true" } },
      { matchLabels: { "rbac.authorization.k8s.io/aggregate-to-admin": "true" } },
    ]);
    assert.deepEqual(r.object.rules, existing.rules);
  });

  it("adds missing subjects and recreates a binding whose roleRef changed", () => {
    const want: ClusterRoleBinding = {
      metadata: { name: "b" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "x" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "g" }],
    };
    const extra = { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "u" };
    const r = reconcileBinding({ ...want, subjects: [extra] }, want);
    assert.equal(r.recreate, false);
    assert.deepEqual(r.object.subjects, [extra, ...(want.subjects ?? [])]);
    const moved = reconcileBinding({ ...want, roleRef: { ...want.roleRef, name: "y" } }, want);
    assert.equal(moved.recreate, true);
    assert.equal(moved.object.roleRef.name, "x");
  });
});

describe("rbac/bootstrap-roles against a store", () => {
  const dir = tempDir("rbac-bootstrap");
  let store: SqliteStore;
  before(() => {
    store = new SqliteStore({ path: join(dir.path, "state.db"), compactionIntervalMs: 0 });
  });
  after(async () => {
    await store.close();
    dir.remove();
  });

  const read = async <T>(key: string): Promise<T> => {
    const kv = await store.get(key);
    assert.ok(kv, `${key} is missing`);
    return decodeObject(kv) as unknown as T;
  };
  const write = async (key: string, obj: unknown) => {
    const kv = await store.get(key);
    assert.ok(kv);
    await store.update(key, encodeObject(obj as KubeObject), kv.modRevision);
  };

  it("creates every default object with uid and creationTimestamp", async () => {
    const report = await reconcileBootstrapPolicy(store, { now: new Date("2026-01-02T03:04:05Z") });
    const actions = [...report.actions.values()];
    assert.ok(actions.length > 30);
    assert.ok(actions.every((a) => a === "created"));
    const admin = await read<ClusterRole>(`${CR}cluster-admin`);
    assert.equal(admin.kind, "ClusterRole");
    assert.equal(admin.apiVersion, "rbac.authorization.k8s.io/v1");
    assert.match(admin.metadata?.uid ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(admin.metadata?.creationTimestamp, "2026-01-02T03:04:05Z");
    // The store's revision is the resourceVersion: it is never stored.
    const raw = JSON.parse(
      new TextDecoder().decode((await store.get(`${CR}cluster-admin`))?.value),
    );
    assert.equal(raw.metadata.resourceVersion, undefined);
    const rb = await read<RoleBinding>(
      "/registry/rbac.authorization.k8s.io/rolebindings/kube-public/system:controller:bootstrap-signer",
    );
    assert.equal(rb.roleRef.kind, "Role");
  });

  it("writes nothing on a second start", async () => {
    const before = await store.currentRevision();
    const uid = (await read<ClusterRole>(`${CR}view`)).metadata?.uid;
    const report = await reconcileBootstrapPolicy(store, { now: new Date() });
    assert.ok([...report.actions.values()].every((a) => a === "unchanged"));
    assert.equal(await store.currentRevision(), before);
    assert.equal((await read<ClusterRole>(`${CR}view`)).metadata?.uid, uid);
  });

  it("adds back removed rules and subjects but keeps additions", async () => {
    const basic = await read<ClusterRole>(`${CR}system:basic-user`);
    const mine = { verbs: ["get"], apiGroups: [""], resources: ["configmaps"] };
    await write(`${CR}system:basic-user`, { ...basic, rules: [mine] });
    const crb = await read<ClusterRoleBinding>(`${CRB}system:public-info-viewer`);
    const extra = { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "alice" };
    await write(`${CRB}system:public-info-viewer`, { ...crb, subjects: [extra] });

    const report = await reconcileBootstrapPolicy(store, { now: new Date() });
    assert.equal(report.actions.get("clusterroles/system:basic-user"), "updated");
    assert.equal(report.actions.get("clusterrolebindings/system:public-info-viewer"), "updated");
    const after = await read<ClusterRole>(`${CR}system:basic-user`);
    assert.deepEqual(after.rules?.[0], mine);
    assert.deepEqual(uncoveredRules(after.rules ?? [], basic.rules ?? []), []);
    assert.equal(after.metadata?.uid, basic.metadata?.uid);
    const names = (await read<ClusterRoleBinding>(`${CRB}system:public-info-viewer`)).subjects?.map(
      (s) => s.name,
    );
    assert.deepEqual(names, ["alice", "system:authenticated", "system:unauthenticated"]);
  });

  it("leaves objects annotated autoupdate=false alone", async () => {
    const edit = await read<ClusterRole>(`${CR}system:aggregate-to-edit`);
    const pinned = {
      ...edit,
      metadata: {
        ...edit.metadata,
        annotations: { "rbac.authorization.kubernetes.io/autoupdate": "false" },
      },
      rules: [],
    };
    await write(`${CR}system:aggregate-to-edit`, pinned);
    const report = await reconcileBootstrapPolicy(store, { now: new Date() });
    assert.equal(report.actions.get("clusterroles/system:aggregate-to-edit"), "protected");
    assert.deepEqual((await read<ClusterRole>(`${CR}system:aggregate-to-edit`)).rules, []);
  });

  it("recreates deleted objects and a binding pointing at another role", async () => {
    await store.delete(`${CR}system:discovery`);
    const crb = await read<ClusterRoleBinding>(`${CRB}system:discovery`);
    await write(`${CRB}system:discovery`, { ...crb, roleRef: { ...crb.roleRef, name: "view" } });
    const report = await reconcileBootstrapPolicy(store, { now: new Date() });
    assert.equal(report.actions.get("clusterroles/system:discovery"), "created");
    assert.equal(report.actions.get("clusterrolebindings/system:discovery"), "recreated");
    const again = await read<ClusterRoleBinding>(`${CRB}system:discovery`);
    assert.equal(again.roleRef.name, "system:discovery");
    assert.notEqual(again.metadata?.uid, crb.metadata?.uid);
  });

  it("is safe when several API servers run it at once", async () => {
    const other = new SqliteStore({
      path: join(dir.path, "concurrent.db"),
      compactionIntervalMs: 0,
    });
    try {
      const runs = await Promise.all(
        [1, 2, 3].map(() => reconcileBootstrapPolicy(other, { now: new Date() })),
      );
      const created = runs.flatMap((r) => [...r.actions.values()]).filter((a) => a === "created");
      assert.equal(created.length, runs[0]?.actions.size);
      const list = await other.list(CR);
      assert.equal(list.items.length, defaultClusterRoles().length);
    } finally {
      await other.close();
    }
  });
});
