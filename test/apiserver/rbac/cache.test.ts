import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { ClusterRoleBinding, RoleBinding } from "kubernetes-types/rbac/v1.js";
import { RbacCache } from "../../../src/apiserver/rbac/cache.js";
import { prefixFor } from "../../../src/apiserver/registry/keys.js";
import { CompactedError } from "../../../src/storage/errors.js";
import { SqliteStore } from "../../../src/storage/sqlite/store.js";
import type { Store, Watch } from "../../../src/storage/types.js";
import { tempDir } from "../../support/tmp.js";

const RBAC = "rbac.authorization.k8s.io";
const key = (plural: string, name: string, namespace?: string) =>
  `${prefixFor({ group: RBAC, plural }, namespace)}${name}`;

function clusterRole(name: string, verbs: string[]) {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: "ClusterRole",
    metadata: { name },
    rules: [{ verbs, apiGroups: [""], resources: ["pods"] }],
  };
}
function roleBinding(name: string, namespace: string, user: string): RoleBinding {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: "RoleBinding",
    metadata: { name, namespace },
    roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "view" },
    subjects: [{ kind: "User", apiGroup: RBAC, name: user }],
  };
}
function clusterRoleBinding(name: string, user: string): ClusterRoleBinding {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: "ClusterRoleBinding",
    metadata: { name },
    roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "view" },
    subjects: [{ kind: "User", apiGroup: RBAC, name: user }],
  };
}

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The stored form (JSON), as the registry writes it. */
const encode = (obj: object) => new TextEncoder().encode(JSON.stringify(obj));

const names = (xs: readonly { metadata?: { name?: string } }[]) =>
  xs.map((x) => x.metadata?.name).sort();

describe("RbacCache (embedded SQLite store)", () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let cache: RbacCache | undefined;

  beforeEach(() => {
    dir = tempDir("rbac-cache");
    store = new SqliteStore({ path: join(dir.path, "state.db"), compactionIntervalMs: 0 });
  });
  afterEach(async () => {
    await cache?.stop();
    cache = undefined;
    await store.close();
    dir.remove();
  });

  const put = (k: string, obj: object) => store.create(k, encode(obj));

  it("lists what is stored before it is ready", async () => {
    await put(key("clusterroles", "view"), clusterRole("view", ["get"]));
    await put(key("clusterrolebindings", "jane-view"), clusterRoleBinding("jane-view", "jane"));
    await put(key("roles", "r", "default"), {
      kind: "Role",
      metadata: { name: "r", namespace: "default" },
      rules: [],
    });
    await put(key("rolebindings", "a", "default"), roleBinding("a", "default", "jane"));
    await put(key("rolebindings", "b", "default"), roleBinding("b", "default", "bob"));
    await put(key("rolebindings", "c", "team"), roleBinding("c", "team", "bob"));
    // Not RBAC: ignored.
    await put("/registry/pods/default/p", { kind: "Pod", metadata: { name: "p" } });
    cache = new RbacCache(store);
    await cache.start();
    assert.deepEqual(cache.clusterRole("view")?.rules, [
      { verbs: ["get"], apiGroups: [""], resources: ["pods"] },
    ]);
    assert.equal(cache.clusterRole("edit"), undefined);
    assert.equal(cache.role("default", "r")?.metadata?.name, "r");
    assert.equal(cache.role("team", "r"), undefined);
    assert.deepEqual(names(cache.clusterRoleBindings()), ["jane-view"]);
    assert.deepEqual(names(cache.roleBindings("default")), ["a", "b"]);
    assert.deepEqual(names(cache.roleBindings("team")), ["c"]);
    assert.deepEqual(cache.roleBindings("nowhere"), []);
    assert.equal(cache.revision, await store.currentRevision());
  });

  it("follows creates, updates and deletes through its watch", async () => {
    cache = new RbacCache(store);
    await cache.start();
    const c = cache;
    assert.deepEqual(c.clusterRoleBindings(), []);
    const crb = await put(key("clusterrolebindings", "x"), clusterRoleBinding("x", "jane"));
    await until("the binding", () => c.clusterRoleBindings().length === 1);
    await put(key("rolebindings", "a", "default"), roleBinding("a", "default", "jane"));
    await until("the role binding", () => c.roleBindings("default").length === 1);
    const role = await put(key("clusterroles", "view"), clusterRole("view", ["get"]));
    await until("the role", () => c.clusterRole("view") !== undefined);

    await store.update(
      key("clusterrolebindings", "x"),
      encode(clusterRoleBinding("x", "bob")),
      crb.modRevision,
    );
    await until("the update", () => c.clusterRoleBindings()[0]?.subjects?.[0]?.name === "bob");
    await store.update(
      key("clusterroles", "view"),
      encode(clusterRole("view", ["get", "list"])),
      role.modRevision,
    );
    await until("the rules", () => c.clusterRole("view")?.rules?.[0]?.verbs.length === 2);

    await store.delete(key("clusterrolebindings", "x"));
    await store.delete(key("rolebindings", "a", "default"));
    await store.delete(key("clusterroles", "view"));
    await until(
      "the deletes",
      () =>
        c.clusterRoleBindings().length === 0 &&
        c.roleBindings("default").length === 0 &&
        c.clusterRole("view") === undefined,
    );
    assert.equal(c.revision, await store.currentRevision());
  });

  it("starts over with a new list when its watch fails (compacted history)", async () => {
    let failWatches = 1;
    let watches = 0;
    // The store as the cache sees it: the first watch ends with CompactedError.
    const flaky: Store = Object.create(store, {
      watch: {
        value: async (prefix: string, opts?: { afterRevision?: number }): Promise<Watch> => {
          watches++;
          const inner = await store.watch(prefix, opts);
          if (failWatches-- <= 0) return inner;
          return {
            close: () => inner.close(),
            // biome-ignore lint/correctness/useYield: a watch that fails at once
            async *[Symbol.asyncIterator]() {
              inner.close();
              // Written while no watch runs: only a new list finds it.
              await put(key("clusterrolebindings", "late"), clusterRoleBinding("late", "jane"));
              throw new CompactedError(opts?.afterRevision ?? 0, await store.currentRevision());
            },
          };
        },
      },
    });
    cache = new RbacCache(flaky, { retryMs: 10 });
    await cache.start();
    const c = cache;
    await until("the relisted binding", () => c.clusterRoleBindings().length === 1);
    assert.equal(watches, 2);
    // And the new watch follows changes.
    await put(key("clusterrolebindings", "later"), clusterRoleBinding("later", "jane"));
    await until("the watched binding", () => c.clusterRoleBindings().length === 2);
  });

  it("stops: no more updates, and a stop before the first list rejects ready", async () => {
    cache = new RbacCache(store);
    await cache.start();
    await cache.stop();
    await put(key("clusterrolebindings", "x"), clusterRoleBinding("x", "jane"));
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(cache.clusterRoleBindings(), []);

    const never = new RbacCache(store);
    await never.stop();
    await assert.rejects(never.ready, /stopped before its first list/);
  });
});
