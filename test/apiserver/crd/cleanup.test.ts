import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { CustomResourceDefinition } from "kubernetes-types/apiextensions/v1.js";
import { BUILTIN_RESOURCES } from "../../../src/api/resources.js";
import { strategyFor } from "../../../src/api/strategies.js";
import type { KubeObject } from "../../../src/api/strategy.js";
import { AdmissionChain } from "../../../src/apiserver/admission/chain.js";
import {
  CrdCleanupController,
  CUSTOM_RESOURCE_CLEANUP_FINALIZER,
  deleteCustomResources,
} from "../../../src/apiserver/crd/cleanup.js";
import { CustomResourceRegistry, crdKey } from "../../../src/apiserver/crd/registry.js";
import { CrdStatusController, findCondition } from "../../../src/apiserver/crd/status.js";
import type { ApiHooks } from "../../../src/apiserver/hooks.js";
import { decodeObject, encodeObject } from "../../../src/apiserver/registry/codec.js";
import type { RegistryContext, ResourceLookup } from "../../../src/apiserver/registry/context.js";
import { prefixFor } from "../../../src/apiserver/registry/keys.js";
import { SqliteStore } from "../../../src/storage/sqlite/store.js";
import type { WatchEvent } from "../../../src/storage/types.js";
import { tempDir } from "../../support/tmp.js";
import { cronTabCrd, until } from "./fixtures.js";

const NAME = "crontabs.stable.example.com";
const CR_PREFIX = prefixFor({ group: "stable.example.com", plural: "crontabs" });

function prepared(crd: object): KubeObject {
  const s = strategyFor("apiextensions.k8s.io", "v1", "CustomResourceDefinition");
  const obj = structuredClone(crd) as KubeObject;
  s.default?.(obj);
  s.prepareForCreate?.(obj);
  return obj;
}

const cr = (ns: string, name: string) =>
  encodeObject({
    apiVersion: "stable.example.com/v1",
    kind: "CronTab",
    metadata: { name, namespace: ns },
  });

describe("CRD cleanup (embedded SQLite store)", () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let registry: CustomResourceRegistry;
  let status: CrdStatusController;
  let cleanup: CrdCleanupController;

  beforeEach(() => {
    dir = tempDir("crd-cleanup");
    store = new SqliteStore({ path: join(dir.path, "state.db"), compactionIntervalMs: 0 });
    registry = new CustomResourceRegistry(store);
    status = new CrdStatusController(store, registry, { builtins: BUILTIN_RESOURCES });
    cleanup = new CrdCleanupController(store, registry, { builtins: BUILTIN_RESOURCES });
  });
  afterEach(async () => {
    await cleanup.stop();
    await status.stop();
    await registry.stop();
    await store.close();
    dir.remove();
  });

  it("deleteCustomResources removes every object under the resource's prefix, all namespaces", async () => {
    await store.create(`${CR_PREFIX}default/a`, cr("default", "a"));
    await store.create(`${CR_PREFIX}team/b`, cr("team", "b"));
    await store.create("/registry/stable.example.com/crontabsx/default/c", cr("default", "c"));
    const crd = prepared(cronTabCrd()) as unknown as CustomResourceDefinition;
    assert.equal(await deleteCustomResources(store, crd), 2);
    assert.equal((await store.list(CR_PREFIX)).items.length, 0);
    assert.equal((await store.list("/registry/stable.example.com/crontabsx/")).items.length, 1);
  });

  it("a CRD marked for deletion: Terminating, its objects deleted, then the finalizer and the CRD go", async () => {
    status.start();
    cleanup.start();
    await registry.start();
    await store.create(crdKey(NAME), encodeObject(prepared(cronTabCrd())));
    await until("established", () => registry.versions().length === 1);
    await status.idle();
    await store.create(
      `${CR_PREFIX}default/my-new-cron-object`,
      cr("default", "my-new-cron-object"),
    );
    await store.create(`${CR_PREFIX}other/x`, cr("other", "x"));

    const events: WatchEvent[] = [];
    const watch = await store.watch(crdKey(NAME));
    const seen = (async () => {
      for await (const ev of watch) {
        events.push(ev);
        if (ev.type === "delete") break;
      }
    })();

    // What the generic DELETE does to an object with finalizers: mark it.
    const kv = await store.get(crdKey(NAME));
    assert.ok(kv);
    const marked = decodeObject(kv);
    assert.deepEqual(marked.metadata?.finalizers, [CUSTOM_RESOURCE_CLEANUP_FINALIZER]);
    (marked.metadata as Record<string, unknown>).deletionTimestamp = "2026-01-01T00:00:00Z";
    await store.update(crdKey(NAME), encodeObject(marked), kv.modRevision);

    await seen;
    watch.close();
    assert.equal(await store.get(crdKey(NAME)), undefined);
    assert.equal((await store.list(CR_PREFIX)).items.length, 0);
    const states = events
      .filter((e) => e.type === "put")
      .map((e) => decodeObject(e.kv) as unknown as CustomResourceDefinition)
      .map((c) => {
        const t = findCondition(c, "Terminating");
        return t ? `${t.status}/${t.reason}` : "none";
      });
    assert.deepEqual(states, [
      "none",
      "True/InstanceDeletionInProgress",
      "False/InstanceDeletionCompleted",
    ]);
    await until("not served", () => registry.versions().length === 0);
  });

  it("a never established CRD goes without touching objects; other finalizers hold it", async () => {
    cleanup.start();
    await registry.start();
    const crd = prepared(cronTabCrd());
    (crd.metadata as Record<string, unknown>).deletionTimestamp = "2026-01-01T00:00:00Z";
    (crd.metadata as { finalizers: string[] }).finalizers.push("example.com/hold");
    await store.create(`${CR_PREFIX}default/a`, cr("default", "a"));
    await store.create(crdKey(NAME), encodeObject(crd));
    await until("finalizer removed", () => {
      const c = registry.definition(NAME);
      return (
        c !== undefined &&
        !(c.metadata?.finalizers ?? []).includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER)
      );
    });
    const left = registry.definition(NAME);
    assert.ok(left);
    assert.deepEqual(left.metadata?.finalizers, ["example.com/hold"]);
    assert.equal(findCondition(left, "Terminating")?.reason, "NeverEstablished");
    assert.equal((await store.list(CR_PREFIX)).items.length, 1);
  });

  it("deletes objects through the registry: one with a finalizer holds the CRD until it is removed", async () => {
    const ctx = {
      store,
      hooks: { strategyFor: () => ({}) } as unknown as ApiHooks,
      admission: new AdmissionChain([]),
      now: () => new Date(),
      resources: {} as ResourceLookup,
    } as RegistryContext;
    await cleanup.stop();
    cleanup = new CrdCleanupController(store, registry, {
      builtins: BUILTIN_RESOURCES,
      registryContext: () => ctx,
      recheckMs: 50,
    });
    status.start();
    cleanup.start();
    await registry.start();
    await store.create(crdKey(NAME), encodeObject(prepared(cronTabCrd())));
    await until("established", () => registry.versions().length === 1);
    await status.idle();
    const held = decodeObject(
      await store.create(`${CR_PREFIX}default/held`, cr("default", "held")),
    );
    (held.metadata as { finalizers?: string[] }).finalizers = ["example.com/hold"];
    const heldKv = await store.get(`${CR_PREFIX}default/held`);
    assert.ok(heldKv);
    await store.update(`${CR_PREFIX}default/held`, encodeObject(held), heldKv.modRevision);
    await store.create(`${CR_PREFIX}other/plain`, cr("other", "plain"));
    const crEvents: WatchEvent[] = [];
    const crWatch = await store.watch(CR_PREFIX);
    const crSeen = (async () => {
      for await (const ev of crWatch) {
        crEvents.push(ev);
        if (crEvents.filter((e) => e.type === "delete").length === 2) break;
      }
    })();

    const kv = await store.get(crdKey(NAME));
    assert.ok(kv);
    const marked = decodeObject(kv);
    (marked.metadata as Record<string, unknown>).deletionTimestamp = "2026-01-01T00:00:00Z";
    await store.update(crdKey(NAME), encodeObject(marked), kv.modRevision);

    await until("waiting on the held object", () => {
      const c = registry.definition(NAME);
      return c !== undefined && findCondition(c, "Terminating")?.reason === "InstanceDeletionCheck";
    });
    const terminating = registry.definition(NAME);
    assert.ok(terminating);
    const cond = findCondition(terminating, "Terminating");
    assert.equal(cond?.status, "True");
    assert.equal(
      cond?.message,
      "could not confirm zero CustomResources remaining: timed out waiting for the condition",
    );
    assert.ok((terminating.metadata?.finalizers ?? []).includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER));
    assert.equal(await store.get(`${CR_PREFIX}other/plain`), undefined);
    const kept = await store.get(`${CR_PREFIX}default/held`);
    assert.ok(kept);
    const keptObj = decodeObject(kept);
    assert.ok(keptObj.metadata?.deletionTimestamp);
    assert.deepEqual(keptObj.metadata?.finalizers, ["example.com/hold"]);
    // Still waiting a few rechecks later.
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(await store.get(crdKey(NAME)));

    // The finalizer removed: what the generic update then does is delete it.
    await store.delete(`${CR_PREFIX}default/held`, { expectedModRevision: kept.modRevision });
    await until("CRD gone", () => registry.definition(NAME) === undefined);
    assert.equal(await store.get(crdKey(NAME)), undefined);
    await crSeen;
    crWatch.close();
    const deleted = crEvents.flatMap((e) => (e.type === "delete" ? [e.key] : []));
    assert.deepEqual(deleted.sort(), [`${CR_PREFIX}default/held`, `${CR_PREFIX}other/plain`]);
  });
});
