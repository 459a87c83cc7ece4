import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Schema,
  validateAgainstSchema,
  validateValue,
} from "../../../src/apiserver/crd/schema-validate.js";
import { invalid } from "../../../src/apiserver/status.js";
import { formatFieldError, formatFieldErrors } from "../../../src/machinery/field-errors.js";
import { CRON_PATTERN, cronTab, crVersion } from "./crontab.fixture.js";

const schema = crVersion().schema as Schema;
const messages = (obj: unknown, s: Schema = schema) =>
  validateAgainstSchema(obj, s).map(formatFieldError);
const at = (value: unknown, s: Schema) => validateValue(value, s, "spec.x").map(formatFieldError);

describe("validateAgainstSchema: the CronTab example", () => {
  it("accepts a valid object", () => {
    assert.deepEqual(messages(cronTab()), []);
  });

  it("reports a type mismatch as upstream does", () => {
    const errors = validateAgainstSchema(cronTab({ replicas: "three" }), schema);
    assert.deepEqual(errors.map(formatFieldError), [
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ]);
    assert.equal(errors[0]?.type, "FieldValueTypeInvalid");
  });

  it("checks minimum and maximum", () => {
    assert.deepEqual(messages(cronTab({ replicas: 0 })), [
      "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1",
    ]);
    assert.deepEqual(messages(cronTab({ replicas: 11 })), [
      "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
    ]);
  });

  it("checks patterns", () => {
    assert.deepEqual(messages(cronTab({ cronSpec: "* * * *" })), [
      `spec.cronSpec: Invalid value: "* * * *": spec.cronSpec in body should match '${CRON_PATTERN}'`,
    ]);
  });

  it("reports several errors, as the 422 message shows them", () => {
    const errors = validateAgainstSchema(cronTab({ replicas: 20, image: 5 }), schema);
    assert.equal(
      invalid({ group: "stable.example.com", kind: "CronTab" }, "my-new-cron-object", errors)
        .message,
      'CronTab.stable.example.com "my-new-cron-object" is invalid: [spec.image: Invalid value: "integer": spec.image in body must be of type string: "integer", spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10]',
    );
  });

  it("leaves the root apiVersion, kind and metadata alone", () => {
    const s: Schema = {
      type: "object",
      required: ["apiVersion", "spec"],
      properties: {
        metadata: { type: "object", properties: { name: { type: "string", maxLength: 3 } } },
        spec: { type: "object" },
      },
    };
    assert.deepEqual(messages({ kind: 5, metadata: { name: "longname" }, spec: {} }, s), []);
    assert.deepEqual(messages({ metadata: {} }, s), ["spec: Required value"]);
  });

  it("accepts anything without a schema", () => {
    assert.deepEqual(validateAgainstSchema({ spec: 1 }, undefined), []);
  });
});

describe("validateAgainstSchema: keywords", () => {
  it("required", () => {
    const s: Schema = {
      type: "object",
      required: ["a", "b"],
      properties: { a: { type: "string" } },
    };
    assert.deepEqual(at({ a: "x" }, s), ["spec.x.b: Required value"]);
  });

  it("enum", () => {
    const s: Schema = { type: "string", enum: ["Always", "Never"] };
    assert.deepEqual(at("Sometimes", s), [
      'spec.x: Unsupported value: "Sometimes": supported values: "Always", "Never"',
    ]);
    assert.deepEqual(at("Never", s), []);
    assert.deepEqual(at(3, { type: "integer", enum: [1, 2] }), [
      'spec.x: Unsupported value: 3: supported values: "1", "2"',
    ]);
  });

  it("string lengths", () => {
    assert.deepEqual(at("abcd", { type: "string", maxLength: 3 }), [
      "spec.x: Too long: may not be more than 3 bytes",
    ]);
    assert.deepEqual(at("ab", { type: "string", minLength: 3 }), [
      'spec.x: Invalid value: "ab": spec.x in body should be at least 3 chars long',
    ]);
  });

  it("exclusive bounds and multipleOf", () => {
    assert.deepEqual(at(5, { type: "number", maximum: 5, exclusiveMaximum: true }), [
      "spec.x: Invalid value: 5: spec.x in body should be less than 5",
    ]);
    assert.deepEqual(at(1, { type: "number", minimum: 1, exclusiveMinimum: true }), [
      "spec.x: Invalid value: 1: spec.x in body should be greater than 1",
    ]);
    assert.deepEqual(at(7, { type: "integer", multipleOf: 2 }), [
      "spec.x: Invalid value: 7: spec.x in body should be a multiple of 2",
    ]);
    assert.deepEqual(at(0.3, { type: "number", multipleOf: 0.1 }), []);
  });

  it("number accepts integers, integer refuses fractions", () => {
    assert.deepEqual(at(3, { type: "number" }), []);
    assert.deepEqual(at(1.5, { type: "integer" }), [
      'spec.x: Invalid value: "number": spec.x in body must be of type integer: "number"',
    ]);
    assert.deepEqual(at(true, { type: "string" }), [
      'spec.x: Invalid value: "boolean": spec.x in body must be of type string: "boolean"',
    ]);
    assert.deepEqual(at([], { type: "object" }), [
      'spec.x: Invalid value: "array": spec.x in body must be of type object: "array"',
    ]);
  });

  it("null and nullable", () => {
    assert.deepEqual(at(null, { type: "string" }), [
      'spec.x: Invalid value: "null": spec.x in body must be of type string: "null"',
    ]);
    assert.deepEqual(at(null, { type: "string", nullable: true }), []);
  });

  it("arrays: items, minItems, maxItems, uniqueItems", () => {
    const s: Schema = { type: "array", items: { type: "integer" }, maxItems: 2 };
    assert.deepEqual(at([1, "a"], s), [
      'spec.x[1]: Invalid value: "string": spec.x[1] in body must be of type integer: "string"',
    ]);
    assert.deepEqual(at([1, 2, 3], s), ["spec.x: Too many: must have at most 2 items"]);
    assert.deepEqual(at([], { type: "array", minItems: 1 }), [
      "spec.x: Invalid value: []: spec.x in body should have at least 1 items",
    ]);
    assert.deepEqual(at([1, 1], { type: "array", uniqueItems: true }), [
      "spec.x: Invalid value: [1,1]: spec.x in body shouldn't contain duplicates",
    ]);
  });

  it("x-kubernetes-list-type set and map", () => {
    assert.deepEqual(
      at(["a", "b", "a"], {
        type: "array",
        "x-kubernetes-list-type": "set",
        items: { type: "string" },
      }),
      ['spec.x[2]: Duplicate value: "a"'],
    );
    const map: Schema = {
      type: "array",
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["name"],
      items: { type: "object", properties: { name: { type: "string" }, v: { type: "integer" } } },
    };
    assert.deepEqual(at([{ name: "a", v: 1 }, { name: "b" }, { name: "a", v: 2 }], map), [
      'spec.x[2]: Duplicate value: {"name":"a"}',
    ]);
  });

  it("objects: additionalProperties schemas and property counts", () => {
    const s: Schema = {
      type: "object",
      additionalProperties: { type: "string" },
      maxProperties: 2,
    };
    assert.deepEqual(at({ a: "x", b: 1 }, s), [
      'spec.x.b: Invalid value: "integer": spec.x.b in body must be of type string: "integer"',
    ]);
    assert.deepEqual(at({ a: "1", b: "2", c: "3" }, s), [
      "spec.x: Too many: must have at most 2 items",
    ]);
    assert.deepEqual(at({}, { type: "object", minProperties: 1 }), [
      "spec.x: Invalid value: {}: spec.x in body should have at least 1 properties",
    ]);
  });

  it("formats: date-time, int32", () => {
    const dt: Schema = { type: "string", format: "date-time" };
    assert.deepEqual(at("2024-01-02T03:04:05Z", dt), []);
    assert.deepEqual(at("2024-01-02T03:04:05.123+02:00", dt), []);
    assert.deepEqual(at("2024-01-02T03:04:05", dt), []);
    assert.equal(at("2024-02-30T03:04:05Z", dt).length, 1);
    assert.equal(at("2024-01-02T25:04:05Z", dt).length, 1);
    assert.deepEqual(at("yesterday", dt), [
      'spec.x: Invalid value: "yesterday": spec.x in body must be of type date-time: "yesterday"',
    ]);
    assert.deepEqual(at(2 ** 31, { type: "integer", format: "int32" }), [
      'spec.x: Invalid value: 2147483648: spec.x in body must be of type int32: "2147483648"',
    ]);
    assert.deepEqual(at(2 ** 31, { type: "integer", format: "int64" }), []);
  });

  it("x-kubernetes-int-or-string", () => {
    const s: Schema = { "x-kubernetes-int-or-string": true };
    assert.deepEqual(at(80, s), []);
    assert.deepEqual(at("http", s), []);
    assert.deepEqual(at(true, s), [
      'spec.x: Invalid value: "boolean": spec.x in body must be of type integer,string: "boolean"',
    ]);
  });

  it("x-kubernetes-preserve-unknown-fields keeps checking known fields", () => {
    const s: Schema = {
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
      properties: { n: { type: "integer" } },
    };
    assert.deepEqual(at({ anything: { at: "all" } }, s), []);
    assert.equal(at({ n: "x" }, s).length, 1);
  });

  it("x-kubernetes-embedded-resource needs apiVersion and kind", () => {
    const s: Schema = {
      type: "object",
      "x-kubernetes-embedded-resource": true,
      "x-kubernetes-preserve-unknown-fields": true,
    };
    assert.deepEqual(at({ metadata: {} }, s), [
      "spec.x.apiVersion: Required value: must not be empty",
      "spec.x.kind: Required value: must not be empty",
    ]);
    assert.deepEqual(at({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" } }, s), []);
    assert.equal(formatFieldErrors([]), "[]");
  });
});
