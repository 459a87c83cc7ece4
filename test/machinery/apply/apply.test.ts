import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { definitionForKind, resolveSchema } from "../../../src/api/schema/index.js";
import {
  ApplyBadRequestError,
  ApplyConflictError,
  ApplySchemaError,
  applyConfiguration,
  applyMetaFromSchema,
  fieldPaths,
  type ManagedFieldsEntry,
  updateManagedFields,
} from "../../../src/machinery/apply/index.js";
import type { JsonObject } from "../../../src/machinery/patch/json-value.js";
import { NO_PATCH_META } from "../../../src/machinery/patch/meta.js";

const meta = applyMetaFromSchema(
  definitionForKind({ group: "apps", version: "v1", kind: "Deployment" }),
  resolveSchema,
);
const T0 = new Date("2024-05-01T10:00:00.250Z");
const T1 = new Date("2024-05-01T10:05:00Z");
const T2 = new Date("2024-05-01T10:10:00Z");

/** kubectl's nginx Deployment example, as `kubectl apply --server-side` sends it. */
function nginx(
  options: { image?: string; replicas?: number; labels?: Record<string, string> } = {},
): JsonObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "nginx-deployment", labels: options.labels ?? { app: "nginx" } },
    spec: {
      replicas: options.replicas ?? 3,
      selector: { matchLabels: { app: "nginx" } },
      template: {
        metadata: { labels: { app: "nginx" } },
        spec: {
          containers: [
            {
              name: "nginx",
              image: options.image ?? "nginx:1.14.2",
              ports: [{ containerPort: 80 }],
            },
          ],
        },
      },
    },
  };
}

/** What the registry would store: the applied result plus server-set identity. */
function stored(obj: JsonObject): JsonObject {
  const copy = structuredClone(obj);
  copy.metadata = {
    ...(copy.metadata as JsonObject),
    uid: "6f1c2d0e-1111-4a4a-9b9b-000000000001",
    resourceVersion: "7",
  };
  return copy;
}

function spec(obj: JsonObject): JsonObject {
  return obj.spec as JsonObject;
}

function containers(obj: JsonObject): JsonObject[] {
  return ((spec(obj).template as JsonObject).spec as JsonObject).containers as JsonObject[];
}

function labels(obj: JsonObject): Record<string, string> | undefined {
  return (obj.metadata as JsonObject).labels as Record<string, string> | undefined;
}

function entry(
  fields: ManagedFieldsEntry[] | undefined,
  manager: string,
): ManagedFieldsEntry | undefined {
  return fields?.find((e) => e.manager === manager);
}

/** kubectl applies the example, then kubectl-edit sets replicas to 5. */
function appliedThenEdited(): JsonObject {
  const created = applyConfiguration({
    live: undefined,
    applied: nginx(),
    manager: "kubectl",
    meta,
    now: T0,
  }).object;
  const live = stored(created);
  const next = structuredClone(live);
  spec(next).replicas = 5;
  const managedFields = updateManagedFields({
    live,
    next,
    manager: "kubectl-edit",
    apiVersion: "apps/v1",
    now: T1,
    meta,
  });
  (next.metadata as JsonObject).managedFields = managedFields;
  return next;
}

describe("server-side apply of kubectl's nginx Deployment", () => {
  it("creates the object with one Apply entry for kubectl", () => {
    const { object, managedFields, changed } = applyConfiguration({
      live: undefined,
      applied: nginx(),
      manager: "kubectl",
      meta,
      now: T0,
    });
    assert.equal(changed, true);
    assert.equal(containers(object)[0]?.image, "nginx:1.14.2");
    assert.deepEqual(managedFields, [
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "apps/v1",
        time: "2024-05-01T10:00:00Z",
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { "f:app": {} } },
          "f:spec": {
            "f:replicas": {},
            "f:selector": {},
            "f:template": {
              "f:metadata": { "f:labels": { "f:app": {} } },
              "f:spec": {
                "f:containers": {
                  'k:{"name":"nginx"}': {
                    ".": {},
                    "f:image": {},
                    "f:name": {},
                    "f:ports": {
                      'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ]);
    assert.deepEqual((object.metadata as JsonObject).managedFields, managedFields);
  });

  it("re-applied with a new image changes the image and keeps one entry", () => {
    const live = stored(
      applyConfiguration({ live: undefined, applied: nginx(), manager: "kubectl", meta, now: T0 })
        .object,
    );
    const { object, managedFields } = applyConfiguration({
      live,
      applied: nginx({ image: "nginx:1.16.1" }),
      manager: "kubectl",
      meta,
      now: T1,
    });
    assert.equal(containers(object)[0]?.image, "nginx:1.16.1");
    assert.equal((object.metadata as JsonObject).uid, "6f1c2d0e-1111-4a4a-9b9b-000000000001");
    assert.equal(managedFields?.length, 1);
    const fields = managedFields?.[0]?.fieldsV1 as JsonObject;
    const container = JSON.stringify(fields).includes('"f:image":{}');
    assert.ok(container);
    assert.deepEqual(
      Object.keys(
        (
          (((fields["f:spec"] as JsonObject)["f:template"] as JsonObject)["f:spec"] as JsonObject)[
            "f:containers"
          ] as JsonObject
        )['k:{"name":"nginx"}'] as JsonObject,
      ),
      [".", "f:image", "f:name", "f:ports"],
    );
    assert.equal(managedFields?.[0]?.time, "2024-05-01T10:05:00Z");
  });

  it("re-applying the same configuration changes nothing, not even the time", () => {
    const live = stored(
      applyConfiguration({ live: undefined, applied: nginx(), manager: "kubectl", meta, now: T0 })
        .object,
    );
    const again = applyConfiguration({ live, applied: nginx(), manager: "kubectl", meta, now: T2 });
    assert.equal(again.changed, false);
    assert.equal(again.managedFields?.[0]?.time, "2024-05-01T10:00:00Z");
    assert.deepEqual(again.object, live);
  });

  it("refuses a replicas change owned by kubectl-edit, in upstream's words", () => {
    const live = appliedThenEdited();
    assert.deepEqual(
      entry((live.metadata as JsonObject).managedFields as ManagedFieldsEntry[], "kubectl-edit")
        ?.fieldsV1,
      { "f:spec": { "f:replicas": {} } },
    );
    assert.throws(
      () =>
        applyConfiguration({
          live,
          applied: nginx({ replicas: 4 }),
          manager: "kubectl",
          meta,
          now: T2,
        }),
      (err: unknown) => {
        assert.ok(err instanceof ApplyConflictError);
        assert.equal(err.code, 409);
        assert.equal(
          err.message,
          'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas',
        );
        assert.deepEqual(err.causes, [
          {
            reason: "FieldManagerConflict",
            message: 'conflict with "kubectl-edit" using apps/v1',
            field: ".spec.replicas",
          },
        ]);
        assert.deepEqual(err.status.details, { causes: [...err.causes] });
        assert.equal(err.status.reason, "Conflict");
        return true;
      },
    );
  });

  it("with force takes replicas over from kubectl-edit", () => {
    const live = appliedThenEdited();
    const { object, managedFields } = applyConfiguration({
      live,
      applied: nginx({ replicas: 4 }),
      manager: "kubectl",
      force: true,
      meta,
      now: T2,
    });
    assert.equal(spec(object).replicas, 4);
    assert.equal(
      entry(managedFields, "kubectl-edit"),
      undefined,
      "kubectl-edit owned only replicas, so its entry is gone",
    );
    assert.ok(
      JSON.stringify(entry(managedFields, "kubectl")?.fieldsV1).includes('"f:replicas":{}'),
    );
  });

  it("applying the value the other manager set is shared ownership, not a conflict", () => {
    const live = appliedThenEdited();
    const { managedFields } = applyConfiguration({
      live,
      applied: nginx({ replicas: 5 }),
      manager: "kubectl",
      meta,
      now: T2,
    });
    assert.deepEqual(entry(managedFields, "kubectl-edit")?.fieldsV1, {
      "f:spec": { "f:replicas": {} },
    });
    assert.ok(
      JSON.stringify(entry(managedFields, "kubectl")?.fieldsV1).includes('"f:replicas":{}'),
    );
  });

  it("lists several conflicts grouped by manager", () => {
    const live = appliedThenEdited();
    const next = structuredClone(live);
    containers(next)[0] = { ...containers(next)[0], image: "nginx:edited" };
    (next.metadata as JsonObject).labels = { app: "nginx", tier: "web" };
    (next.metadata as JsonObject).managedFields = updateManagedFields({
      live,
      next,
      manager: "kubectl-client-side-apply",
      apiVersion: "apps/v1",
      now: T2,
      meta,
    });
    const config = nginx({
      replicas: 2,
      image: "nginx:1.25",
      labels: { app: "nginx", tier: "db" },
    });
    assert.throws(
      () => applyConfiguration({ live: next, applied: config, manager: "kubectl", meta, now: T2 }),
      (err: unknown) => {
        assert.ok(err instanceof ApplyConflictError);
        assert.equal(
          err.message,
          [
            'Apply failed with 3 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:',
            "- .metadata.labels.tier",
            '- .spec.template.spec.containers[name="nginx"].image',
            'conflicts with "kubectl-edit" using apps/v1:',
            "- .spec.replicas",
          ].join("\n"),
        );
        assert.deepEqual(
          err.causes.map((c) => c.field),
          [
            ".metadata.labels.tier",
            '.spec.template.spec.containers[name="nginx"].image',
            ".spec.replicas",
          ],
        );
        return true;
      },
    );
  });

  it("names Apply managers without a version in conflicts", () => {
    const live = stored(
      applyConfiguration({ live: undefined, applied: nginx(), manager: "kubectl", meta, now: T0 })
        .object,
    );
    assert.throws(
      () =>
        applyConfiguration({
          live,
          applied: nginx({ replicas: 9 }),
          manager: "helm",
          meta,
          now: T1,
        }),
      { message: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas' },
    );
  });
});

describe("removing fields from the applied configuration", () => {
  it("removes a label the applier no longer applies", () => {
    const live = stored(
      applyConfiguration({
        live: undefined,
        applied: nginx({ labels: { app: "nginx", env: "dev" } }),
        manager: "kubectl",
        meta,
        now: T0,
      }).object,
    );
    const { object, managedFields } = applyConfiguration({
      live,
      applied: nginx(),
      manager: "kubectl",
      meta,
      now: T1,
    });
    assert.deepEqual(labels(object), { app: "nginx" });
    assert.ok(!JSON.stringify(managedFields).includes("f:env"));
  });

  it("keeps a label another manager also owns", () => {
    const live = stored(
      applyConfiguration({
        live: undefined,
        applied: nginx({ labels: { app: "nginx", env: "dev" } }),
        manager: "kubectl",
        meta,
        now: T0,
      }).object,
    );
    const shared = applyConfiguration({
      live,
      applied: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "nginx-deployment", labels: { env: "dev" } },
      },
      manager: "team-labeler",
      meta,
      now: T1,
    }).object;
    const { object, managedFields } = applyConfiguration({
      live: stored(shared),
      applied: nginx(),
      manager: "kubectl",
      meta,
      now: T2,
    });
    assert.deepEqual(labels(object), { app: "nginx", env: "dev" });
    assert.deepEqual(entry(managedFields, "team-labeler")?.fieldsV1, {
      "f:metadata": { "f:labels": { "f:env": {} } },
    });
  });

  it("keeps fields an Update manager set, even ones the applier once applied", () => {
    const live = appliedThenEdited();
    const { object } = applyConfiguration({
      live,
      applied: { ...nginx(), spec: { ...spec(nginx()), replicas: undefined } },
      manager: "kubectl",
      meta,
      now: T2,
    });
    assert.equal(spec(object).replicas, 5);
  });

  it("removes a whole container the applier stopped applying, keeping a sidecar someone else added", () => {
    const twoContainers = nginx();
    containers(twoContainers).push({ name: "log", image: "busybox" });
    const live = stored(
      applyConfiguration({
        live: undefined,
        applied: twoContainers,
        manager: "kubectl",
        meta,
        now: T0,
      }).object,
    );
    const withSidecar = structuredClone(live);
    containers(withSidecar).push({ name: "mesh", image: "envoy" });
    (withSidecar.metadata as JsonObject).managedFields = updateManagedFields({
      live,
      next: withSidecar,
      manager: "injector",
      apiVersion: "apps/v1",
      now: T1,
      meta,
    });
    const { object } = applyConfiguration({
      live: withSidecar,
      applied: nginx(),
      manager: "kubectl",
      meta,
      now: T2,
    });
    assert.deepEqual(
      containers(object).map((c) => c.name),
      ["nginx", "mesh"],
    );
  });
});

describe("apply merge semantics", () => {
  it("merges containers by name and ports by containerPort and protocol", () => {
    const live = stored(
      applyConfiguration({ live: undefined, applied: nginx(), manager: "kubectl", meta, now: T0 })
        .object,
    );
    const other = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "nginx-deployment" },
      spec: {
        template: {
          spec: {
            containers: [
              { name: "nginx", ports: [{ containerPort: 443 }], env: [{ name: "A", value: "1" }] },
            ],
          },
        },
      },
    };
    const { object } = applyConfiguration({
      live,
      applied: other,
      manager: "tls-operator",
      meta,
      now: T1,
    });
    const [c] = containers(object);
    assert.equal(c?.image, "nginx:1.14.2");
    assert.deepEqual(c?.ports, [{ containerPort: 80 }, { containerPort: 443 }]);
    assert.deepEqual(c?.env, [{ name: "A", value: "1" }]);
  });

  it("replaces atomic lists and atomic maps whole", () => {
    const withArgs = nginx();
    containers(withArgs)[0] = { ...containers(withArgs)[0], args: ["-a", "-b"] };
    const live = stored(
      applyConfiguration({ live: undefined, applied: withArgs, manager: "kubectl", meta, now: T0 })
        .object,
    );
    const changed = nginx();
    containers(changed)[0] = { ...containers(changed)[0], args: ["-c"] };
    spec(changed).selector = { matchExpressions: [{ key: "app", operator: "Exists" }] };
    const { object } = applyConfiguration({
      live,
      applied: changed,
      manager: "kubectl",
      meta,
      now: T1,
    });
    assert.deepEqual(containers(object)[0]?.args, ["-c"]);
    assert.deepEqual(spec(object).selector, {
      matchExpressions: [{ key: "app", operator: "Exists" }],
    });
  });

  it("merges maps and replaces lists of a custom resource without a schema", () => {
    const live = stored(
      applyConfiguration({
        live: undefined,
        applied: {
          apiVersion: "example.com/v1",
          kind: "Widget",
          metadata: { name: "w" },
          spec: { size: 1, tags: ["a"] },
        },
        manager: "kubectl",
        meta: NO_PATCH_META,
        now: T0,
      }).object,
    );
    const { object, managedFields } = applyConfiguration({
      live,
      applied: {
        apiVersion: "example.com/v1",
        kind: "Widget",
        metadata: { name: "w" },
        spec: { color: "red", tags: ["b"] },
      },
      manager: "painter",
      force: true,
      meta: NO_PATCH_META,
      now: T1,
    });
    assert.deepEqual(object.spec, { size: 1, tags: ["b"], color: "red" });
    assert.deepEqual(entry(managedFields, "kubectl")?.fieldsV1, { "f:spec": { "f:size": {} } });
  });

  it("ignores fields the strategy resets (status on the main resource)", () => {
    const withStatus = { ...nginx(), status: { replicas: 3 } };
    const { managedFields } = applyConfiguration({
      live: undefined,
      applied: withStatus,
      manager: "kubectl",
      meta,
      now: T0,
      ignored: fieldPaths([["status"]]),
    });
    assert.ok(!JSON.stringify(managedFields).includes("f:status"));
  });
});

describe("apply bookkeeping", () => {
  it("attributes an untracked object's fields to before-first-apply", () => {
    const legacy = stored(nginx());
    const { managedFields } = applyConfiguration({
      live: legacy,
      applied: nginx(),
      manager: "kubectl",
      meta,
      now: T1,
    });
    assert.deepEqual(
      managedFields?.map((e) => [e.manager, e.operation]),
      [
        ["kubectl", "Apply"],
        ["before-first-apply", "Update"],
      ],
    );
    assert.throws(
      () =>
        applyConfiguration({
          live: legacy,
          applied: nginx({ replicas: 1 }),
          manager: "kubectl",
          meta,
          now: T1,
        }),
      {
        message:
          'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas',
      },
    );
  });

  it("rejects a configuration carrying managedFields or another version", () => {
    const bad = nginx();
    (bad.metadata as JsonObject).managedFields = [];
    assert.throws(
      () =>
        applyConfiguration({ live: undefined, applied: bad, manager: "kubectl", meta, now: T0 }),
      ApplyBadRequestError,
    );
    assert.throws(
      () =>
        applyConfiguration({
          live: undefined,
          applied: nginx(),
          manager: "kubectl",
          apiVersion: "apps/v1beta2",
          meta,
          now: T0,
        }),
      {
        message:
          "Incorrect version specified in apply patch. Specified patch version: apps/v1, expected: apps/v1beta2",
      },
    );
  });

  it("rejects duplicate container names and items without their key", () => {
    const dup = nginx();
    containers(dup).push({ name: "nginx", image: "again" });
    assert.throws(
      () =>
        applyConfiguration({ live: undefined, applied: dup, manager: "kubectl", meta, now: T0 }),
      ApplySchemaError,
    );
    const keyless = nginx();
    containers(keyless).push({ image: "nameless" });
    assert.throws(
      () =>
        applyConfiguration({
          live: undefined,
          applied: keyless,
          manager: "kubectl",
          meta,
          now: T0,
        }),
      ApplySchemaError,
    );
  });

  it("keeps subresource appliers apart from main-resource ones", () => {
    const live = stored(
      applyConfiguration({ live: undefined, applied: nginx(), manager: "kubectl", meta, now: T0 })
        .object,
    );
    const { managedFields } = applyConfiguration({
      live,
      applied: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "nginx-deployment" },
        status: { replicas: 3 },
      },
      manager: "kubectl",
      subresource: "status",
      meta,
      now: T1,
    });
    assert.deepEqual(
      managedFields?.map((e) => [e.manager, e.subresource ?? ""]),
      [
        ["kubectl", ""],
        ["kubectl", "status"],
      ],
    );
  });
});
