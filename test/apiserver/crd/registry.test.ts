import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { strategyFor } from "../../../src/api/strategies.js";
import type { KubeObject } from "../../../src/api/strategy.js";
import {
  CRD_PREFIX,
  CustomResourceRegistry,
  compareVersionPriority,
  crdKey,
} from "../../../src/apiserver/crd/registry.js";
import { CrdStatusController } from "../../../src/apiserver/crd/status.js";
import { encodeObject } from "../../../src/apiserver/registry/codec.js";
import { SqliteStore } from "../../../src/storage/sqlite/store.js";
import { tempDir } from "../../support/tmp.js";
import { cronTabCrd, until } from "./fixtures.js";

/** A CRD as the create path stores it: defaulted and prepared. */
function stored(crd: KubeObject): KubeObject {
  const s = strategyFor("apiextensions.k8s.io", "v1", "CustomResourceDefinition");
  const obj = structuredClone(crd);
  s.default?.(obj);
  s.prepareForCreate?.(obj);
  obj.metadata = { ...(obj.metadata ?? {}), uid: "uid-1" };
  return obj;
}

describe("CustomResourceRegistry (embedded SQLite store)", () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let registry: CustomResourceRegistry;
  let controller: CrdStatusController;

  beforeEach(() => {
    dir = tempDir("crd-registry");
    store = new SqliteStore({ path: join(dir.path, "state.db"), compactionIntervalMs: 0 });
    registry = new CustomResourceRegistry(store);
    controller = new CrdStatusController(store, registry);
  });
  afterEach(async () => {
    await controller.stop();
    await registry.stop();
    await store.close();
    dir.remove();
  });

  it("serves nothing until the CRD is Established, then a descriptor per served version", async () => {
    await registry.start();
    const crd = stored(cronTabCrd() as unknown as KubeObject);
    await store.create(crdKey("crontabs.stable.example.com"), encodeObject(crd));
    await until(
      "the CRD is seen",
      () => registry.definition("crontabs.stable.example.com") !== undefined,
    );
    assert.deepEqual(registry.versions(), []);

    let changes = 0;
    registry.onChange(() => changes++);
    controller.start();
    await until("established", () => registry.versions().length === 1);
    const v = registry.byResource("stable.example.com", "v1", "crontabs");
    assert.ok(v);
    assert.equal(v.storageVersion, "v1");
    assert.deepEqual(v.descriptor, {
      group: "stable.example.com",
      version: "v1",
      kind: "CronTab",
      plural: "crontabs",
      singular: "crontab",
      shortNames: ["ct"],
      categories: [],
      namespaced: true,
      verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      subresources: [],
    });
    assert.equal(registry.byKind("stable.example.com", "v1", "CronTab"), v);
    assert.equal(registry.descriptors()[0], v.descriptor);
    assert.ok(changes >= 1);
    assert.ok(v.schema?.properties?.spec);

    await controller.idle();
    await store.delete(crdKey("crontabs.stable.example.com"));
    await until("gone", () => registry.versions().length === 0);
    assert.equal(registry.byResource("stable.example.com", "v1", "crontabs"), undefined);
  });

  it("lists established CRDs already stored before it is ready; subresources per version", async () => {
    const crd = stored(cronTabCrd() as unknown as KubeObject);
    const spec = crd.spec as { versions: Record<string, unknown>[] };
    spec.versions[0] = { ...spec.versions[0], storage: false, name: "v1beta1" };
    spec.versions.push({
      name: "v1",
      served: true,
      storage: true,
      schema: { openAPIV3Schema: { type: "object" } },
      subresources: {
        status: {},
        scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" },
      },
    });
    spec.versions.push({ name: "v2alpha1", served: false, storage: false });
    (crd.status as Record<string, unknown>).conditions = [{ type: "Established", status: "True" }];
    await store.create(`${CRD_PREFIX}crontabs.stable.example.com`, encodeObject(crd));
    await registry.start();
    assert.deepEqual(
      registry.descriptors().map((d) => [d.version, d.subresources]),
      [
        ["v1", ["status", "scale"]],
        ["v1beta1", []],
      ],
    );
  });

  it("orders versions the kube-aware way", () => {
    const sorted = ["v1alpha1", "foo", "v2", "v1beta2", "v1", "v1beta1", "abc", "v11alpha2"].sort(
      compareVersionPriority,
    );
    assert.deepEqual(sorted, [
      "v2",
      "v1",
      "v1beta2",
      "v1beta1",
      "v11alpha2",
      "v1alpha1",
      "abc",
      "foo",
    ]);
  });
});
