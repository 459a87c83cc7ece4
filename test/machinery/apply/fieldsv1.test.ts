import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { definitionForKind, resolveSchema } from "../../../src/api/schema/index.js";
import {
  applyMetaFromSchema,
  changedFields,
  DEDUCED_META,
  type FieldSet,
  FieldsV1FormatError,
  fieldsOf,
  fromFieldsV1,
  pathString,
  toFieldsV1,
} from "../../../src/machinery/apply/index.js";
import { NO_PATCH_META } from "../../../src/machinery/patch/meta.js";

const podMeta = applyMetaFromSchema(
  definitionForKind({ group: "", version: "v1", kind: "Pod" }),
  resolveSchema,
);

/** A kube-controller-manager entry as a v1.32 cluster stores it for a ReplicaSet's pod. */
const CONTROLLER_POD_FIELDS = {
  "f:metadata": {
    "f:generateName": {},
    "f:labels": { ".": {}, "f:app": {}, "f:pod-template-hash": {} },
    "f:ownerReferences": { ".": {}, 'k:{"uid":"e806ff3e-33cf-450c-9b79-7e73582ab9bb"}': {} },
  },
  "f:spec": {
    "f:containers": {
      'k:{"name":"echoserver"}': {
        ".": {},
        "f:image": {},
        "f:imagePullPolicy": {},
        "f:name": {},
        "f:ports": {
          ".": {},
          'k:{"containerPort":80,"protocol":"TCP"}': {
            ".": {},
            "f:containerPort": {},
            "f:protocol": {},
          },
        },
        "f:resources": {},
        "f:terminationMessagePath": {},
        "f:terminationMessagePolicy": {},
      },
    },
    "f:dnsPolicy": {},
    "f:enableServiceLinks": {},
    "f:restartPolicy": {},
    "f:schedulerName": {},
    "f:securityContext": {},
    "f:terminationGracePeriodSeconds": {},
  },
};

describe("FieldsV1", () => {
  it("round-trips an upstream entry byte for byte", () => {
    const set = fromFieldsV1(CONTROLLER_POD_FIELDS);
    assert.equal(JSON.stringify(toFieldsV1(set)), JSON.stringify(CONTROLLER_POD_FIELDS));
  });

  it("reads the JSON text form too", () => {
    const set = fromFieldsV1('{"f:spec":{"f:replicas":{}}}');
    assert.deepEqual(set.paths().map(pathString), [".spec.replicas"]);
  });

  it("lists member paths in upstream's iteration order with upstream's path strings", () => {
    const set = fromFieldsV1(CONTROLLER_POD_FIELDS);
    const paths = set.paths().map(pathString);
    assert.equal(paths[0], ".metadata.generateName");
    assert.ok(
      paths.includes('.metadata.ownerReferences[uid="e806ff3e-33cf-450c-9b79-7e73582ab9bb"]'),
    );
    assert.ok(
      paths.includes(
        '.spec.containers[name="echoserver"].ports[containerPort=80,protocol="TCP"].protocol',
      ),
    );
    assert.ok(paths.includes(".metadata.labels"), "the '.' of labels is a member");
    assert.ok(!paths.includes(".spec"), "spec without '.' is only a prefix");
  });

  it("sorts keys fields < keys < values and serializes key fields sorted", () => {
    const set = fromFieldsV1({
      "f:list": { 'v:"b"': {}, "v:1": {}, 'v:"a"': {} },
      'k:{"protocol":"TCP","port":53}': {},
      "f:a": {},
    });
    assert.deepEqual(Object.keys(toFieldsV1(set)), [
      "f:a",
      "f:list",
      'k:{"port":53,"protocol":"TCP"}',
    ]);
    assert.deepEqual(Object.keys(toFieldsV1(set)["f:list"] ?? {}), ["v:1", 'v:"a"', 'v:"b"']);
  });

  it("drops unknown element types and rejects malformed ones", () => {
    assert.deepEqual(toFieldsV1(fromFieldsV1({ "x:future": {}, "f:a": {} })), { "f:a": {} });
    assert.throws(() => fromFieldsV1({ nocolon: {} }), FieldsV1FormatError);
    assert.throws(() => fromFieldsV1({ "k:{bad": {} }), FieldsV1FormatError);
    assert.throws(() => fromFieldsV1({ "f:a": 1 }), FieldsV1FormatError);
    assert.throws(() => fromFieldsV1("[]"), FieldsV1FormatError);
  });

  it("escapes HTML characters in key values as Go does", () => {
    const set = fieldsOf({ spec: { containers: [{ name: "a<b>&c" }] } }, podMeta);
    const key = Object.keys(toFieldsV1(set)["f:spec"]?.["f:containers"] ?? {})[0];
    assert.equal(key, 'k:{"name":"a\\u003cb\\u003e\\u0026c"}');
    assert.equal(toFieldsV1(fromFieldsV1(toFieldsV1(set))) !== undefined, true);
  });
});

describe("FieldSet arithmetic", () => {
  const a = fromFieldsV1({
    "f:spec": { "f:replicas": {}, "f:paused": {} },
    "f:metadata": { "f:labels": { ".": {}, "f:x": {} } },
  });
  const b = fromFieldsV1({
    "f:spec": { "f:replicas": {} },
    "f:metadata": { "f:labels": { "f:x": {} } },
  });
  const cases: Array<[string, FieldSet, unknown]> = [
    [
      "union",
      a.union(b),
      {
        "f:metadata": { "f:labels": { ".": {}, "f:x": {} } },
        "f:spec": { "f:paused": {}, "f:replicas": {} },
      },
    ],
    [
      "intersection",
      a.intersection(b),
      { "f:metadata": { "f:labels": { "f:x": {} } }, "f:spec": { "f:replicas": {} } },
    ],
    [
      "difference",
      a.difference(b),
      { "f:metadata": { "f:labels": {} }, "f:spec": { "f:paused": {} } },
    ],
    [
      "recursive difference",
      a.recursiveDifference(fromFieldsV1({ "f:metadata": { "f:labels": {} } })),
      { "f:spec": { "f:paused": {}, "f:replicas": {} } },
    ],
  ];
  for (const [name, got, want] of cases) {
    it(name, () => assert.deepEqual(toFieldsV1(got), want));
  }

  it("knows membership and emptiness", () => {
    assert.equal(a.size, 4);
    assert.ok(b.difference(a).isEmpty());
    assert.ok(a.equals(fromFieldsV1(toFieldsV1(a))));
  });
});

describe("fieldsOf", () => {
  it("owns a pod's leaves, container items whole and by field, label entries, the atomic nodeSelector", () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web", labels: { app: "web" }, finalizers: ["example.com/keep"] },
      spec: {
        containers: [{ name: "web", image: "nginx", args: ["-g", "daemon off;"], resources: {} }],
        nodeSelector: { disk: "ssd" },
        securityContext: {},
      },
    };
    assert.deepEqual(toFieldsV1(fieldsOf(pod, podMeta)), {
      "f:apiVersion": {},
      "f:kind": {},
      "f:metadata": {
        "f:finalizers": { 'v:"example.com/keep"': {} },
        "f:labels": { "f:app": {} },
        "f:name": {},
      },
      "f:spec": {
        "f:containers": {
          'k:{"name":"web"}': {
            ".": {},
            "f:args": {},
            "f:image": {},
            "f:name": {},
            "f:resources": {},
          },
        },
        "f:nodeSelector": {},
        "f:securityContext": {},
      },
    });
  });

  it("treats atomic maps (label selectors) as one field", () => {
    const deployMeta = applyMetaFromSchema(
      definitionForKind({ group: "apps", version: "v1", kind: "Deployment" }),
      resolveSchema,
    );
    const set = fieldsOf({ spec: { selector: { matchLabels: { app: "x" } } } }, deployMeta);
    assert.deepEqual(toFieldsV1(set), { "f:spec": { "f:selector": {} } });
  });

  it("keeps lists atomic and fields named for schemaless objects", () => {
    const cr = { spec: { size: 3, tags: ["a", "b"], nested: { deep: true } } };
    assert.deepEqual(toFieldsV1(fieldsOf(cr, NO_PATCH_META)), {
      "f:spec": { "f:nested": { "f:deep": {} }, "f:size": {}, "f:tags": {} },
    });
    assert.deepEqual(toFieldsV1(fieldsOf(cr, DEDUCED_META)), {
      "f:spec": { ".": {}, "f:nested": { ".": {}, "f:deep": {} }, "f:size": {}, "f:tags": {} },
    });
  });
});

describe("changedFields", () => {
  it("reports added, modified and removed fields", () => {
    const prev = { metadata: { labels: { a: "1", b: "2" } }, spec: { replicas: 1 } };
    const next = { metadata: { labels: { a: "1", c: "3" } }, spec: { replicas: 2, paused: true } };
    const got = changedFields(prev, next, NO_PATCH_META);
    assert.deepEqual(got.added.paths().map(pathString), [".metadata.labels.c", ".spec.paused"]);
    assert.deepEqual(got.modified.paths().map(pathString), [".spec.replicas"]);
    assert.deepEqual(got.removed.paths().map(pathString), [".metadata.labels.b"]);
    assert.equal(got.all.size, 4);
  });

  it("counts a map that appears as added itself", () => {
    const got = changedFields({ metadata: {} }, { metadata: { annotations: { x: "y" } } }, podMeta);
    assert.deepEqual(got.added.paths().map(pathString), [
      ".metadata.annotations",
      ".metadata.annotations.x",
    ]);
  });

  it("compares container items by name, not position", () => {
    const prev = {
      spec: {
        containers: [
          { name: "a", image: "1" },
          { name: "b", image: "1" },
        ],
      },
    };
    const next = {
      spec: {
        containers: [
          { name: "b", image: "2" },
          { name: "a", image: "1" },
        ],
      },
    };
    const got = changedFields(prev, next, podMeta);
    assert.deepEqual(got.all.paths().map(pathString), ['.spec.containers[name="b"].image']);
  });
});
