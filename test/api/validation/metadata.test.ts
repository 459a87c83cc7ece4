import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  validateObjectMeta,
  validateObjectMetaUpdate,
} from "../../../src/api/validation/metadata.js";
import { messages } from "./helpers.js";

describe("validateObjectMeta", () => {
  const cases: Array<
    [
      string,
      Record<string, unknown>,
      { namespaced: boolean; nameRule: "subdomain" | "label" | "path-segment" },
      string[],
    ]
  > = [
    [
      "requires a name or generateName",
      { namespace: "default" },
      { namespaced: true, nameRule: "subdomain" },
      ["metadata.name: Required value: name or generateName is required"],
    ],
    [
      "requires a namespace for namespaced kinds",
      { name: "web" },
      { namespaced: true, nameRule: "subdomain" },
      ["metadata.namespace: Required value"],
    ],
    [
      "forbids a namespace for cluster-scoped kinds",
      { name: "web", namespace: "default" },
      { namespaced: false, nameRule: "subdomain" },
      ["metadata.namespace: Forbidden: not allowed on this type"],
    ],
    [
      "checks label keys and values",
      { name: "web", namespace: "default", labels: { "bad key": "ok" } },
      { namespaced: true, nameRule: "subdomain" },
      [
        `metadata.labels: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
    ],
    [
      "lets path-segment names contain capitals",
      { name: "System:Admin" },
      { namespaced: false, nameRule: "path-segment" },
      [],
    ],
    [
      "rejects a domain-less finalizer that is not a standard one",
      { name: "web", namespace: "default", finalizers: ["custom"] },
      { namespaced: true, nameRule: "subdomain" },
      [
        'metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
      ],
    ],
    [
      "requires owner references to name their owner",
      {
        name: "web",
        namespace: "default",
        ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "" }],
      },
      { namespaced: true, nameRule: "subdomain" },
      ['metadata.ownerReferences.uid: Invalid value: "": uid must not be empty'],
    ],
  ];
  for (const [name, metadata, opts, want] of cases) {
    it(name, () => assert.deepEqual(messages(validateObjectMeta({ metadata }, opts)), want));
  }

  it("allows a trailing dash in generateName", () => {
    const errs = validateObjectMeta(
      { metadata: { generateName: "web-", name: "web-x1" } },
      { namespaced: false, nameRule: "subdomain" },
    );
    assert.deepEqual(errs, []);
  });

  it("reports at most one controller owner reference", () => {
    const ref = (name: string) => ({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      name,
      uid: name,
      controller: true,
    });
    const errs = validateObjectMeta(
      { metadata: { name: "p", namespace: "d", ownerReferences: [ref("a"), ref("b")] } },
      { namespaced: true, nameRule: "subdomain" },
    );
    assert.equal(errs.length, 1);
    assert.match(
      String(errs[0]?.detail),
      /Only one reference can have Controller set to true. Found "true" in references for ReplicaSet\/a and ReplicaSet\/b/,
    );
  });
});

describe("validateObjectMetaUpdate", () => {
  const old = {
    metadata: {
      name: "web",
      namespace: "default",
      uid: "u1",
      resourceVersion: "5",
      creationTimestamp: "2024-01-01T00:00:00Z",
    },
  };

  it("accepts an unchanged identity", () => {
    assert.deepEqual(validateObjectMetaUpdate(structuredClone(old), old), []);
  });

  it("reports name, namespace, uid and creationTimestamp as immutable", () => {
    const next = {
      metadata: {
        name: "web2",
        namespace: "other",
        uid: "u2",
        resourceVersion: "5",
        creationTimestamp: "2025-01-01T00:00:00Z",
      },
    };
    assert.deepEqual(messages(validateObjectMetaUpdate(next, old)), [
      'metadata.name: Invalid value: "web2": field is immutable',
      'metadata.namespace: Invalid value: "other": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
      'metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable',
    ]);
  });

  it("forbids new finalizers while the object is being deleted", () => {
    const deleting = { metadata: { ...old.metadata, deletionTimestamp: "2024-02-02T00:00:00Z" } };
    const next = { metadata: { ...deleting.metadata, finalizers: ["example.com/x"] } };
    assert.deepEqual(messages(validateObjectMetaUpdate(next, deleting)), [
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/x"}',
    ]);
  });
});
