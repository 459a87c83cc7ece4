import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { definitionForKind, resolveSchema } from "../../../src/api/schema/index.js";
import {
  applyMetaFromSchema,
  decodeManagedFields,
  fieldManagerFor,
  fieldManagerProblems,
  fieldPaths,
  formatTime,
  type ManagedFieldsEntry,
  ManagedFieldsError,
  managerIdentity,
  prefixFromUserAgent,
  updateManagedFields,
} from "../../../src/machinery/apply/index.js";
import type { JsonObject } from "../../../src/machinery/patch/json-value.js";

const deployMeta = applyMetaFromSchema(
  definitionForKind({ group: "apps", version: "v1", kind: "Deployment" }),
  resolveSchema,
);
const cmMeta = applyMetaFromSchema(
  definitionForKind({ group: "", version: "v1", kind: "ConfigMap" }),
  resolveSchema,
);
const T0 = new Date("2024-05-01T10:00:00Z");
const T1 = new Date("2024-05-01T11:00:00Z");

function configMap(data: Record<string, string>, managedFields?: ManagedFieldsEntry[]): JsonObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: "settings",
      namespace: "default",
      uid: "u-1",
      resourceVersion: "1",
      ...(managedFields ? { managedFields } : {}),
    },
    data,
  };
}

function update(
  live: JsonObject | undefined,
  next: JsonObject,
  manager: string,
  now = T1,
  subresource = "",
): ManagedFieldsEntry[] | undefined {
  return updateManagedFields({
    live,
    next,
    manager,
    apiVersion: "v1",
    subresource,
    now,
    meta: cmMeta,
  });
}

describe("managedFields on create", () => {
  it("gives the creating manager an Update entry for every field it set", () => {
    const created = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "default", labels: { app: "web" } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        strategy: {
          type: "RollingUpdate",
          rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" },
        },
        template: {
          metadata: { labels: { app: "web" } },
          spec: {
            containers: [{ name: "web", image: "nginx", resources: {} }],
            dnsPolicy: "ClusterFirst",
            securityContext: {},
          },
        },
      },
    };
    const fields = updateManagedFields({
      live: undefined,
      next: created,
      manager: "kubectl-create",
      apiVersion: "apps/v1",
      now: T0,
      meta: deployMeta,
    });
    // The shape a v1.32 API server records for `kubectl create`.
    assert.deepEqual(fields, [
      {
        manager: "kubectl-create",
        operation: "Update",
        apiVersion: "apps/v1",
        time: "2024-05-01T10:00:00Z",
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
          "f:spec": {
            "f:replicas": {},
            "f:selector": {},
            "f:strategy": {
              "f:rollingUpdate": { ".": {}, "f:maxSurge": {}, "f:maxUnavailable": {} },
              "f:type": {},
            },
            "f:template": {
              "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
              "f:spec": {
                "f:containers": {
                  'k:{"name":"web"}': { ".": {}, "f:image": {}, "f:name": {}, "f:resources": {} },
                },
                "f:dnsPolicy": {},
                "f:securityContext": {},
              },
            },
          },
        },
      },
    ]);
  });

  it('names an anonymous writer "unknown"', () => {
    assert.equal(update(undefined, configMap({ a: "1" }), "")?.[0]?.manager, "unknown");
  });
});

describe("managedFields on update", () => {
  const created = (): JsonObject => {
    const obj = configMap({ a: "1", b: "2" });
    (obj.metadata as JsonObject).managedFields = update(undefined, obj, "creator", T0);
    return obj;
  };

  const cases: Array<{
    name: string;
    data: Record<string, string>;
    want: Array<[string, unknown]>;
  }> = [
    {
      name: "an Update silently takes over the fields it changes",
      data: { a: "1", b: "changed" },
      want: [
        ["creator", { "f:data": { ".": {}, "f:a": {} } }],
        ["editor", { "f:data": { "f:b": {} } }],
      ],
    },
    {
      name: "a removed field leaves every owner",
      data: { a: "1" },
      want: [["creator", { "f:data": { ".": {}, "f:a": {} } }]],
    },
    {
      name: "an added field belongs to the writer alone",
      data: { a: "1", b: "2", c: "3" },
      want: [
        ["creator", { "f:data": { ".": {}, "f:a": {}, "f:b": {} } }],
        ["editor", { "f:data": { "f:c": {} } }],
      ],
    },
    {
      name: "an unchanged object leaves the entries as they were",
      data: { a: "1", b: "2" },
      want: [["creator", { "f:data": { ".": {}, "f:a": {}, "f:b": {} } }]],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const live = created();
      const fields = update(live, { ...live, data: c.data }, "editor");
      assert.deepEqual(
        fields?.map((e) => [e.manager, e.fieldsV1]),
        c.want,
      );
    });
  }

  it("drops an entry left without fields and stamps only the writer", () => {
    const live = created();
    const fields = update(live, { ...live, data: { a: "x", b: "y" } }, "editor");
    assert.deepEqual(
      fields?.map((e) => [e.manager, e.time]),
      [
        ["creator", "2024-05-01T10:00:00Z"],
        ["editor", "2024-05-01T11:00:00Z"],
      ],
    );
    const again: JsonObject = { ...structuredClone(live), data: { c: "z" } };
    (again.metadata as JsonObject).managedFields = fields;
    // editor's a and b are taken; creator keeps only the data map itself.
    assert.deepEqual(
      update(again, { ...again, data: { a: "x", b: "y" } }, "janitor")?.map((e) => [
        e.manager,
        e.fieldsV1,
      ]),
      [
        ["creator", { "f:data": {} }],
        ["janitor", { "f:data": { "f:a": {}, "f:b": {} } }],
      ],
    );
  });

  it("merges a writer's repeated updates into one entry", () => {
    const live = created();
    const first: JsonObject = { ...structuredClone(live), data: { a: "1", b: "2", c: "3" } };
    (first.metadata as JsonObject).managedFields = update(live, first, "editor");
    const fields = update(first, { ...first, data: { a: "1", b: "2", c: "3", d: "4" } }, "editor");
    assert.deepEqual(entryOf(fields, "editor")?.fieldsV1, { "f:data": { "f:c": {}, "f:d": {} } });
    assert.equal(fields?.length, 2);
  });

  it("keeps status writers apart by subresource", () => {
    const live = created();
    const fields = update(
      live,
      { ...live, data: { a: "1", b: "2", s: "ok" } },
      "creator",
      T1,
      "status",
    );
    assert.deepEqual(
      fields?.map((e) =>
        managerIdentity({
          manager: e.manager ?? "",
          operation: e.operation,
          apiVersion: e.apiVersion,
          subresource: e.subresource ?? "",
        }),
      ),
      [
        '{"manager":"creator","operation":"Update","apiVersion":"v1"}',
        '{"manager":"creator","operation":"Update","apiVersion":"v1","subresource":"status"}',
      ],
    );
  });

  it("leaves objects created without tracking untracked", () => {
    const legacy = configMap({ a: "1" });
    assert.equal(update(legacy, { ...legacy, data: { a: "2" } }, "editor"), undefined);
  });

  it("lets a client reset managedFields with an empty list", () => {
    const live = created();
    const next = {
      ...live,
      data: { a: "2", b: "2" },
      metadata: { ...(live.metadata as JsonObject), managedFields: [] },
    };
    assert.equal(update(live, next, "editor"), undefined);
  });

  it("starts from managedFields the client sent, falling back to the live ones", () => {
    const live = created();
    const sent: ManagedFieldsEntry[] = [
      {
        manager: "someone",
        operation: "Update",
        apiVersion: "v1",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:data": { "f:a": {} } },
      },
    ];
    const next = { ...live, metadata: { ...(live.metadata as JsonObject), managedFields: sent } };
    assert.deepEqual(
      update(live, next, "editor")?.map((e) => e.manager),
      ["someone"],
    );
    const garbage = {
      ...live,
      metadata: { ...(live.metadata as JsonObject), managedFields: [{ operation: "Nope" }] },
    };
    assert.deepEqual(
      update(live, garbage, "editor")?.map((e) => e.manager),
      ["creator"],
    );
  });

  it("ignores fields the strategy resets", () => {
    const live = created();
    const fields = updateManagedFields({
      live,
      next: { ...live, data: { a: "1", b: "2" }, status: { note: "x" } },
      manager: "editor",
      apiVersion: "v1",
      now: T1,
      meta: cmMeta,
      ignored: fieldPaths([["status"]]),
    });
    assert.equal(entryOf(fields, "editor"), undefined);
  });

  it("merges the oldest of more than ten Update managers into ancient-changes", () => {
    let obj = configMap({});
    (obj.metadata as JsonObject).managedFields = update(
      undefined,
      { ...obj, data: { k0: "v" } },
      "m0",
      new Date(Date.UTC(2024, 0, 1)),
    );
    obj = { ...obj, data: { k0: "v" } };
    for (let i = 1; i <= 11; i++) {
      const next: JsonObject = { ...obj, data: { ...(obj.data as JsonObject), [`k${i}`]: "v" } };
      next.metadata = {
        ...(obj.metadata as JsonObject),
        managedFields: update(obj, next, `m${i}`, new Date(Date.UTC(2024, 0, 1 + i))),
      };
      obj = next;
    }
    const fields = (obj.metadata as JsonObject).managedFields as ManagedFieldsEntry[];
    assert.equal(fields.length, 10);
    const ancient = entryOf(fields, "ancient-changes");
    assert.deepEqual(ancient?.fieldsV1, {
      "f:data": { ".": {}, "f:k0": {}, "f:k1": {}, "f:k2": {} },
    });
    assert.equal(ancient?.time, "2024-01-03T00:00:00Z");
  });
});

describe("managedFields decoding", () => {
  const bad: Array<[string, unknown]> = [
    [
      "an unknown operation",
      [{ operation: "Patch", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: {} }],
    ],
    [
      "an empty apiVersion",
      [{ operation: "Update", apiVersion: "", fieldsType: "FieldsV1", fieldsV1: {} }],
    ],
    ["a missing fieldsType", [{ operation: "Update", apiVersion: "v1", fieldsV1: {} }]],
    [
      "another fieldsType",
      [{ operation: "Update", apiVersion: "v1", fieldsType: "FieldsV2", fieldsV1: {} }],
    ],
    [
      "undecodable fields",
      [{ operation: "Update", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: { oops: {} } }],
    ],
  ];
  for (const [name, entries] of bad) {
    it(`refuses ${name}`, () =>
      assert.throws(() => decodeManagedFields(entries), ManagedFieldsError));
  }
});

describe("field manager names", () => {
  const cases: Array<[{ fieldManager?: string; userAgent?: string }, string]> = [
    [
      { fieldManager: "helm", userAgent: "kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9" },
      "helm",
    ],
    [{ userAgent: "kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9" }, "kubectl"],
    [
      { userAgent: "kubectl-client-side-apply/v1.32.0 (linux/amd64) kubernetes/70d3cc9" },
      "kubectl-client-side-apply",
    ],
    [
      {
        userAgent:
          "kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/70d3cc9/system:serviceaccount:kube-system:deployment-controller",
      },
      "kube-controller-manager",
    ],
    [{ userAgent: "bad\u0007agent/1.0" }, "badagent"],
    [{}, ""],
  ];
  for (const [request, want] of cases) {
    it(`${JSON.stringify(request)} → ${JSON.stringify(want)}`, () =>
      assert.equal(fieldManagerFor(request), want));
  }

  it("cuts a long user agent to 128 bytes", () => {
    assert.equal(prefixFromUserAgent("x".repeat(200)).length, 128);
  });

  it("flags invalid fieldManager parameters", () => {
    assert.deepEqual(fieldManagerProblems("kubectl"), []);
    assert.equal(fieldManagerProblems("y".repeat(129)).length, 1);
    assert.match(
      fieldManagerProblems("a\tb")[0] ?? "",
      /invalid character U\+0009 \(at position 1\)/,
    );
  });

  it("formats times as RFC 3339 seconds", () => {
    assert.equal(formatTime(new Date("2024-05-01T10:00:00.999Z")), "2024-05-01T10:00:00Z");
  });
});

function entryOf(
  fields: ManagedFieldsEntry[] | undefined,
  manager: string,
): ManagedFieldsEntry | undefined {
  return fields?.find((e) => e.manager === manager);
}
