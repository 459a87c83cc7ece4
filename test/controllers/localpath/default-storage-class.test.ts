import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/api/strategy.js";
import type { AdmissionAttributes } from "../../../src/apiserver/admission/chain.js";
import {
  defaultStorageClass,
  pickDefaultClass,
} from "../../../src/apiserver/admission/default-storage-class.js";
import type { Store } from "../../../src/storage/types.js";

const DEFAULT = { "storageclass.kubernetes.io/is-default-class": "true" };
const sc = (
  name: string,
  created: string,
  annotations: Record<string, string> = DEFAULT,
): KubeObject => ({
  metadata: { name, creationTimestamp: created, annotations },
});

/** A store holding only these classes (all the plugin reads). */
function storeOf(classes: KubeObject[]): Store {
  const encoder = new TextEncoder();
  return {
    list: async () => ({
      items: classes.map((c) => ({ value: encoder.encode(JSON.stringify(c)) })),
    }),
  } as unknown as Store;
}

function create(claim: KubeObject): AdmissionAttributes {
  return {
    operation: "CREATE",
    resource: { group: "", plural: "persistentvolumeclaims" } as AdmissionAttributes["resource"],
    subresource: "",
    namespace: "default",
    name: "data",
    object: claim,
    oldObject: undefined,
    user: { username: "admin", groups: [] } as unknown as AdmissionAttributes["user"],
    dryRun: false,
  };
}

describe("DefaultStorageClass admission", () => {
  it("picks the newest default class, then the first name", () => {
    const classes = [
      sc("old", "2024-01-01T00:00:00Z"),
      sc("plain", "2024-06-01T00:00:00Z", {}),
      sc("b", "2024-03-01T00:00:00Z"),
      sc("a", "2024-03-01T00:00:00Z"),
    ];
    assert.equal(pickDefaultClass(classes)?.metadata?.name, "a");
    assert.equal(pickDefaultClass([sc("plain", "2024-06-01T00:00:00Z", {})]), undefined);
  });

  it("gives a claim without a class the default one", async () => {
    const plugin = defaultStorageClass(storeOf([sc("local-path", "2024-01-01T00:00:00Z")]));
    const claim: KubeObject = {
      metadata: { name: "data" },
      spec: { accessModes: ["ReadWriteOnce"] },
    };
    const attrs = create(claim);
    assert.equal(plugin.handles(attrs), true);
    await plugin.admit?.(attrs);
    assert.equal((claim.spec as { storageClassName?: string }).storageClassName, "local-path");
  });

  it("leaves an explicit class, an explicit empty class and the beta annotation alone", async () => {
    const plugin = defaultStorageClass(storeOf([sc("local-path", "2024-01-01T00:00:00Z")]));
    for (const claim of [
      { metadata: { name: "a" }, spec: { storageClassName: "fast" } },
      { metadata: { name: "b" }, spec: { storageClassName: "" } },
      {
        metadata: { name: "c", annotations: { "volume.beta.kubernetes.io/storage-class": "x" } },
        spec: {},
      },
    ] as KubeObject[]) {
      const before = JSON.stringify(claim);
      await plugin.admit?.(create(claim));
      assert.equal(JSON.stringify(claim), before);
    }
  });

  it("changes nothing when no class is the default", async () => {
    const plugin = defaultStorageClass(storeOf([sc("x", "2024-01-01T00:00:00Z", {})]));
    const claim: KubeObject = { metadata: { name: "data" }, spec: {} };
    await plugin.admit?.(create(claim));
    assert.deepEqual(claim.spec, {});
  });
});
