import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CUSTOM_RESOURCE_CLEANUP_FINALIZER } from "../../../src/api/defaults/apiextensions.js";
import { BUILTIN_RESOURCES } from "../../../src/api/resources.js";
import { strategyFor } from "../../../src/api/strategies.js";
import type { KubeObject } from "../../../src/api/strategy.js";
import { formatFieldError } from "../../../src/machinery/field-errors.js";
import { cronTabCrd } from "./fixtures.js";

const strategy = strategyFor("apiextensions.k8s.io", "v1", "CustomResourceDefinition");

/** Defaults and prepares a new CRD as the create path does, then validates it. */
function create(crd: KubeObject): { obj: KubeObject; errors: string[] } {
  const obj = structuredClone(crd);
  strategy.default?.(obj);
  strategy.prepareForCreate?.(obj);
  return { obj, errors: (strategy.validate?.(obj) ?? []).map(formatFieldError) };
}

describe("CustomResourceDefinition resource", () => {
  it("is served as apiextensions.k8s.io/v1, cluster-scoped, with crd/crds and a status subresource", () => {
    const d = BUILTIN_RESOURCES.find((r) => r.plural === "customresourcedefinitions");
    assert.ok(d);
    assert.equal(d.group, "apiextensions.k8s.io");
    assert.equal(d.version, "v1");
    assert.equal(d.kind, "CustomResourceDefinition");
    assert.equal(d.namespaced, false);
    assert.deepEqual(d.shortNames, ["crd", "crds"]);
    assert.deepEqual(d.categories, ["api-extensions"]);
    assert.deepEqual(d.subresources, ["status"]);
  });
});

describe("CustomResourceDefinition defaults and preparation", () => {
  it("defaults singular, listKind and conversion None; records the storage version", () => {
    const crd = cronTabCrd();
    delete (crd.spec.names as { singular?: string }).singular;
    const { obj, errors } = create(crd as unknown as KubeObject);
    assert.deepEqual(errors, []);
    const spec = obj.spec as { names: Record<string, unknown>; conversion: unknown };
    assert.equal(spec.names.singular, "crontab");
    assert.equal(spec.names.listKind, "CronTabList");
    assert.deepEqual(spec.conversion, { strategy: "None" });
    assert.deepEqual(obj.status, {
      acceptedNames: { plural: "", kind: "" },
      storedVersions: ["v1"],
    });
    assert.deepEqual(obj.metadata?.finalizers, [CUSTOM_RESOURCE_CLEANUP_FINALIZER]);
  });

  it("a new storage version joins storedVersions on update", () => {
    const { obj: old } = create(cronTabCrd() as unknown as KubeObject);
    const next = structuredClone(old);
    const versions = (next.spec as { versions: Record<string, unknown>[] }).versions;
    (versions[0] as Record<string, unknown>).storage = false;
    versions.push({ ...versions[0], name: "v2", storage: true });
    strategy.prepareForUpdate?.(next, old);
    assert.deepEqual((next.status as { storedVersions: string[] }).storedVersions, ["v1", "v2"]);
    assert.deepEqual(strategy.validate?.(next), []);
  });
});

describe("CustomResourceDefinition validation", () => {
  it("requires the name to be <plural>.<group>", () => {
    const crd = cronTabCrd();
    crd.metadata = { name: "crontab.stable.example.com" };
    assert.deepEqual(create(crd as unknown as KubeObject).errors, [
      'metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group',
    ]);
  });

  it("requires a group with a dot, a known scope and exactly one storage version", () => {
    const crd = cronTabCrd({ group: "example" }) as unknown as KubeObject;
    const spec = crd.spec as Record<string, unknown>;
    spec.scope = "Global";
    (spec.versions as Record<string, unknown>[]).push({
      name: "v2",
      served: true,
      storage: true,
      schema: { openAPIV3Schema: { type: "object" } },
    });
    const { errors } = create(crd);
    assert.ok(
      errors.includes(
        'spec.group: Invalid value: "example": should be a domain with at least one dot',
      ),
      errors.join("\n"),
    );
    assert.ok(
      errors.includes(
        'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
      ),
      errors.join("\n"),
    );
    assert.ok(
      errors.some(
        (e) =>
          e.startsWith("spec.versions: Invalid value:") &&
          e.endsWith("must have exactly one version marked as storage version"),
      ),
      errors.join("\n"),
    );
  });

  it("checks names: lowercase plural and short names, kind in any case, listKind distinct", () => {
    const crd = cronTabCrd() as unknown as KubeObject;
    const names = (crd.spec as { names: Record<string, unknown> }).names;
    names.shortNames = ["CT"];
    names.listKind = "CronTab";
    names.kind = "Cron_Tab";
    const { errors } = create(crd);
    assert.ok(
      errors.some((e) => e.startsWith('spec.names.shortNames[0]: Invalid value: "CT"')),
      errors.join("\n"),
    );
    assert.ok(
      errors.some((e) =>
        e.startsWith(
          'spec.names.kind: Invalid value: "Cron_Tab": may have mixed case, but should otherwise match:',
        ),
      ),
      errors.join("\n"),
    );
  });

  it("requires a structural schema in every version", () => {
    const crd = cronTabCrd() as unknown as KubeObject;
    const versions = (crd.spec as { versions: Record<string, unknown>[] }).versions;
    versions.push({ name: "v1beta1", served: true, storage: false });
    versions.push({
      name: "v1alpha1",
      served: true,
      storage: false,
      schema: {
        openAPIV3Schema: { properties: { spec: { properties: { a: { type: "string" } } } } },
      },
    });
    const { errors } = create(crd);
    assert.deepEqual(errors, [
      "spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required",
      "spec.versions[2].schema.openAPIV3Schema.type: Required value: must not be empty at the root",
      "spec.versions[2].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields",
    ]);
  });

  it("refuses a bad version name and duplicate versions", () => {
    const crd = cronTabCrd() as unknown as KubeObject;
    const versions = (crd.spec as { versions: Record<string, unknown>[] }).versions;
    versions.push({ ...versions[0], storage: false });
    versions.push({ ...versions[0], name: "V_2", storage: false });
    const { errors } = create(crd);
    assert.ok(
      errors.some((e) => e.startsWith('spec.versions[2].name: Invalid value: "V_2"')),
      errors.join("\n"),
    );
    assert.ok(
      errors.some((e) => e.endsWith("must contain unique version names")),
      errors.join("\n"),
    );
  });

  it("storedVersions must hold the storage version and only known versions", () => {
    const { obj } = create(cronTabCrd() as unknown as KubeObject);
    const next = structuredClone(obj);
    (next.status as Record<string, unknown>).storedVersions = ["v0"];
    const errors = (strategy.validateStatusUpdate?.(next, obj) ?? []).map(formatFieldError);
    assert.equal(errors.length, 2, errors.join("\n"));
    assert.ok(errors[0]?.endsWith("must have the storage version v1"));
    assert.equal(
      errors[1],
      'status.storedVersions[0]: Invalid value: "v0": must appear in spec.versions',
    );
  });

  it("keeps group and plural, and once Established scope and kind", () => {
    const { obj: old } = create(cronTabCrd() as unknown as KubeObject);
    const next = structuredClone(old);
    const spec = next.spec as { scope: string; names: Record<string, unknown> };
    spec.scope = "Cluster";
    spec.names.kind = "CronTable";
    assert.deepEqual(strategy.validateUpdate?.(next, old), []);
    (old.status as Record<string, unknown>).conditions = [{ type: "Established", status: "True" }];
    assert.deepEqual((strategy.validateUpdate?.(next, old) ?? []).map(formatFieldError), [
      'spec.scope: Invalid value: "Cluster": field is immutable',
      'spec.names.kind: Invalid value: "CronTable": field is immutable',
    ]);
    const renamed = structuredClone(old);
    (renamed.spec as { group: string }).group = "other.example.com";
    assert.deepEqual((strategy.validateUpdate?.(renamed, old) ?? []).map(formatFieldError), [
      'spec.group: Invalid value: "other.example.com": field is immutable',
    ]);
  });
});

describe("CustomResourceDefinition schema knowledge", () => {
  it("keeps the x-kubernetes-* schema extensions (unknown-field checks and pruning)", async () => {
    const { defaultHooks } = await import("../../../src/apiserver/wiring.js");
    const hooks = defaultHooks();
    const crd = cronTabCrd() as unknown as KubeObject;
    const schema = (
      crd.spec as { versions: { schema: { openAPIV3Schema: Record<string, unknown> } }[] }
    ).versions[0]?.schema.openAPIV3Schema;
    assert.ok(schema);
    schema["x-kubernetes-preserve-unknown-fields"] = true;
    schema["x-kubernetes-validations"] = [{ rule: "self.a > 0", message: "m" }];
    (schema.properties as Record<string, Record<string, unknown>>).spec = {
      type: "object",
      "x-kubernetes-map-type": "atomic",
      properties: {
        port: { "x-kubernetes-int-or-string": true },
        items: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
          items: { type: "object", "x-kubernetes-embedded-resource": true },
        },
      },
    };
    const gvk = { group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition" };
    assert.deepEqual(hooks.unknownFields(crd, gvk), []);
    const pruned = structuredClone(crd);
    hooks.pruneUnknownFields(pruned, gvk);
    assert.deepEqual(pruned, crd);
  });
});
