import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  pruneObject,
  pruneValue,
  unknownFieldPaths,
} from "../../../src/apiserver/crd/schema-prune.js";
import type { Schema } from "../../../src/apiserver/crd/schema-validate.js";
import { cronTab, crVersion } from "./crontab.fixture.js";

const schema = crVersion().schema as Schema;

describe("pruning", () => {
  it("drops fields the schema does not specify and lists their paths", () => {
    const obj = cronTab({ foo: 1, nested: { a: 1 } }, { extra: true });
    obj.status = { replicas: 1, bar: "x", conditions: [{ type: "Ready", status: "True", why: 1 }] };
    assert.deepEqual(unknownFieldPaths(obj, schema), [
      "spec.foo",
      "spec.nested",
      "extra",
      "status.bar",
      "status.conditions[0].why",
    ]);
    const pruned = pruneObject(obj, schema);
    assert.equal(pruned.length, 5);
    assert.deepEqual(obj, {
      ...cronTab(),
      status: { replicas: 1, conditions: [{ type: "Ready", status: "True" }] },
    });
  });

  it("keeps apiVersion, kind and ObjectMeta at the root, dropping unknown metadata", () => {
    const obj = {
      apiVersion: "stable.example.com/v1",
      kind: "CronTab",
      metadata: { name: "a", labels: { x: "y" }, bogus: 1 },
    };
    assert.deepEqual(pruneObject(obj, { type: "object" }), ["metadata.bogus"]);
    assert.deepEqual(obj, {
      apiVersion: "stable.example.com/v1",
      kind: "CronTab",
      metadata: { name: "a", labels: { x: "y" } },
    });
  });

  it("x-kubernetes-preserve-unknown-fields keeps unknown fields but prunes below known ones", () => {
    const s: Schema = {
      type: "object",
      properties: {
        spec: {
          type: "object",
          "x-kubernetes-preserve-unknown-fields": true,
          properties: { known: { type: "object", properties: { a: { type: "string" } } } },
        },
      },
    };
    const obj = { spec: { free: { deep: 1 }, known: { a: "x", b: "y" } } };
    assert.deepEqual(pruneObject(obj, s), ["spec.known.b"]);
    assert.deepEqual(obj, { spec: { free: { deep: 1 }, known: { a: "x" } } });
  });

  it("additionalProperties: a schema prunes each value, true keeps everything", () => {
    const s: Schema = {
      type: "object",
      properties: {
        m: {
          type: "object",
          additionalProperties: { type: "object", properties: { a: { type: "string" } } },
        },
        any: { type: "object", additionalProperties: true },
      },
    };
    const obj = { m: { k1: { a: "1", b: "2" } }, any: { x: { y: 1 } } };
    assert.deepEqual(pruneObject(obj, s), ["m.k1.b"]);
    assert.deepEqual(obj, { m: { k1: { a: "1" } }, any: { x: { y: 1 } } });
  });

  it("embedded resources keep apiVersion, kind and metadata", () => {
    const s: Schema = {
      type: "object",
      properties: {
        template: {
          type: "object",
          "x-kubernetes-embedded-resource": true,
          properties: { spec: { type: "object", properties: { n: { type: "integer" } } } },
        },
      },
    };
    const obj = {
      template: {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "p", junk: 1 },
        spec: { n: 1, m: 2 },
        other: 3,
      },
    };
    assert.deepEqual(pruneObject(obj, s), [
      "template.metadata.junk",
      "template.spec.m",
      "template.other",
    ]);
    assert.deepEqual(obj, {
      template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { n: 1 } },
    });
  });

  it("prunes nothing without a schema, and values on their own", () => {
    const obj = { spec: { anything: 1 } };
    assert.deepEqual(pruneObject(obj, undefined), []);
    assert.deepEqual(unknownFieldPaths(obj, undefined), []);
    const status = { replicas: 1, x: 2 };
    assert.deepEqual(
      pruneValue(status, { type: "object", properties: { replicas: { type: "integer" } } }),
      ["x"],
    );
    assert.deepEqual(status, { replicas: 1 });
  });
});
