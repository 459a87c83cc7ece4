import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { CustomResourceDefinition } from "kubernetes-types/apiextensions/v1.js";
import { BUILTIN_RESOURCES } from "../../../src/api/resources.js";
import { strategyFor } from "../../../src/api/strategies.js";
import type { KubeObject } from "../../../src/api/strategy.js";
import { CustomResourceRegistry, crdKey } from "../../../src/apiserver/crd/registry.js";
import {
  CrdStatusController,
  computeStatus,
  findCondition,
} from "../../../src/apiserver/crd/status.js";
import { decodeObject, encodeObject } from "../../../src/apiserver/registry/codec.js";
import { SqliteStore } from "../../../src/storage/sqlite/store.js";
import { tempDir } from "../../support/tmp.js";
import { cronTabCrd, until } from "./fixtures.js";

const NOW = new Date("2026-01-02T03:04:05Z");
const LATER = new Date("2026-01-02T04:00:00Z");

function prepared(crd: object): CustomResourceDefinition {
  const s = strategyFor("apiextensions.k8s.io", "v1", "CustomResourceDefinition");
  const obj = structuredClone(crd) as KubeObject;
  s.default?.(obj);
  s.prepareForCreate?.(obj);
  return obj as unknown as CustomResourceDefinition;
}

describe("computeStatus (naming and establishing)", () => {
  it("accepts fresh names: NamesAccepted and Established True, storedVersions kept", () => {
    const out = computeStatus(prepared(cronTabCrd()), [], BUILTIN_RESOURCES, NOW);
    assert.deepEqual(out.status, {
      acceptedNames: {
        plural: "crontabs",
        singular: "crontab",
        shortNames: ["ct"],
        kind: "CronTab",
        listKind: "CronTabList",
      },
      storedVersions: ["v1"],
      conditions: [
        {
          type: "NamesAccepted",
          status: "True",
          reason: "NoConflicts",
          message: "no conflicts found",
          lastTransitionTime: "2026-01-02T03:04:05Z",
        },
        {
          type: "Established",
          status: "True",
          reason: "InitialNamesAccepted",
          message: "the initial names have been accepted",
          lastTransitionTime: "2026-01-02T03:04:05Z",
        },
      ],
    });
    // Again later: nothing changes, transition times stay.
    assert.deepEqual(computeStatus(out, [], BUILTIN_RESOURCES, LATER).status, out.status);
  });

  it("refuses a plural another CRD of the group holds (PluralConflict), not established", () => {
    const first = computeStatus(prepared(cronTabCrd()), [], [], NOW);
    const second = prepared(
      cronTabCrd({ kind: "OtherTab" }) as unknown as CustomResourceDefinition,
    );
    (second.metadata as { name: string }).name = "crontabs.stable.example.com-2";
    second.spec.names.shortNames = [];
    second.spec.names.singular = "othertab";
    const out = computeStatus(second, [first], [], NOW);
    const cond = findCondition(out, "NamesAccepted");
    assert.equal(cond?.status, "False");
    assert.equal(cond?.reason, "PluralConflict");
    assert.equal(cond?.message, '"crontabs" is already in use');
    assert.equal(out.status?.acceptedNames?.plural, "");
    assert.equal(out.status?.acceptedNames?.kind, "OtherTab");
    const est = findCondition(out, "Established");
    assert.deepEqual(
      { status: est?.status, reason: est?.reason, message: est?.message },
      { status: "False", reason: "NotAccepted", message: "not all names are accepted" },
    );
  });

  it("short names and kinds conflict within the group only", () => {
    const first = computeStatus(prepared(cronTabCrd()), [], [], NOW);
    const same = prepared(cronTabCrd({ plural: "crontables", kind: "CronTab" }));
    const out = computeStatus(same, [first], [], NOW);
    // The last conflict found names the condition (list kind after kind), as upstream.
    assert.equal(findCondition(out, "NamesAccepted")?.reason, "ListKindConflict");
    assert.equal(findCondition(out, "NamesAccepted")?.message, '"CronTabList" is already in use');
    assert.equal(out.status?.acceptedNames?.kind, "");
    assert.equal(out.status?.acceptedNames?.shortNames, undefined);
    const other = prepared(cronTabCrd({ group: "other.example.com" }));
    assert.equal(
      findCondition(computeStatus(other, [first], [], NOW), "NamesAccepted")?.status,
      "True",
    );
  });

  it("a built-in resource of the same group holds its names", () => {
    const crd = prepared(
      cronTabCrd({ group: "networking.k8s.io", plural: "ingresses", kind: "Ingress" }),
    );
    crd.spec.names.shortNames = ["ing2"];
    const out = computeStatus(crd, [], BUILTIN_RESOURCES, NOW);
    assert.equal(findCondition(out, "NamesAccepted")?.status, "False");
    assert.equal(findCondition(out, "Established")?.status, "False");
  });
});

describe("CrdStatusController (embedded SQLite store)", () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let registry: CustomResourceRegistry;
  let controller: CrdStatusController;

  beforeEach(() => {
    dir = tempDir("crd-status");
    store = new SqliteStore({ path: join(dir.path, "state.db"), compactionIntervalMs: 0 });
    registry = new CustomResourceRegistry(store);
    controller = new CrdStatusController(store, registry, { builtins: BUILTIN_RESOURCES });
  });
  afterEach(async () => {
    await controller.stop();
    await registry.stop();
    await store.close();
    dir.remove();
  });

  it("writes the status through the store, bumping resourceVersion; the loser of a name waits", async () => {
    controller.start();
    await registry.start();
    const a = prepared(cronTabCrd());
    const created = await store.create(
      crdKey("crontabs.stable.example.com"),
      encodeObject(a as unknown as KubeObject),
    );
    await until("established", () => registry.versions().length === 1);
    await controller.idle();
    const kv = await store.get(crdKey("crontabs.stable.example.com"));
    assert.ok(kv && kv.modRevision > created.modRevision);
    const obj = decodeObject(kv) as unknown as CustomResourceDefinition;
    assert.equal(obj.metadata?.resourceVersion, String(kv.modRevision));
    assert.equal(findCondition(obj, "Established")?.status, "True");

    // A second CRD of the group asking for the same short name.
    const b = prepared(cronTabCrd({ plural: "cronjobs", kind: "CronJob" }));
    await store.create(
      crdKey("cronjobs.stable.example.com"),
      encodeObject(b as unknown as KubeObject),
    );
    await until(
      "b named",
      () => registry.definition("cronjobs.stable.example.com")?.status?.conditions !== undefined,
    );
    await controller.idle();
    const bNow = registry.definition("cronjobs.stable.example.com");
    assert.ok(bNow);
    assert.equal(findCondition(bNow, "NamesAccepted")?.reason, "ShortNamesConflict");
    assert.equal(findCondition(bNow, "NamesAccepted")?.message, '"ct" is already in use');
    assert.equal(findCondition(bNow, "Established")?.status, "False");
    assert.equal(registry.byResource("stable.example.com", "v1", "cronjobs"), undefined);

    // The holder goes: the short name is free, the other is accepted and established.
    await store.delete(crdKey("crontabs.stable.example.com"));
    await until(
      "b established",
      () => registry.byResource("stable.example.com", "v1", "cronjobs") !== undefined,
    );
    assert.deepEqual(
      registry.byResource("stable.example.com", "v1", "cronjobs")?.descriptor.shortNames,
      ["ct"],
    );
  });
});
