import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyDefaults } from "../../../src/apiserver/crd/schema-default.js";
import type { Schema } from "../../../src/apiserver/crd/schema-validate.js";
import { crVersion } from "./crontab.fixture.js";

const schema = crVersion().schema as Schema;

describe("defaulting", () => {
  it("fills an absent replicas with the schema's default", () => {
    const obj = { spec: { cronSpec: "* * * * */5" } };
    applyDefaults(obj, schema);
    assert.deepEqual(obj, { spec: { cronSpec: "* * * * */5", replicas: 1 } });
  });

  it("keeps a value that is set", () => {
    const obj = { spec: { replicas: 3 } };
    applyDefaults(obj, schema);
    assert.deepEqual(obj, { spec: { replicas: 3 } });
  });

  it("does not create a missing parent object", () => {
    const obj = { metadata: { name: "a" } };
    applyDefaults(obj, schema);
    assert.deepEqual(obj, { metadata: { name: "a" } });
  });

  it("defaults objects, then inside them; through items and additionalProperties", () => {
    const s: Schema = {
      type: "object",
      properties: {
        spec: {
          type: "object",
          default: {},
          properties: {
            mode: { type: "string", default: "auto" },
            list: {
              type: "array",
              items: { type: "object", properties: { port: { type: "integer", default: 80 } } },
            },
            map: {
              type: "object",
              additionalProperties: {
                type: "object",
                properties: { weight: { type: "integer", default: 1 } },
              },
            },
          },
        },
      },
    };
    const empty: Record<string, unknown> = {};
    applyDefaults(empty, s);
    assert.deepEqual(empty, { spec: { mode: "auto" } });
    const obj = { spec: { list: [{}, { port: 8080 }], map: { a: {}, b: { weight: 5 } } } };
    applyDefaults(obj, s);
    assert.deepEqual(obj, {
      spec: {
        mode: "auto",
        list: [{ port: 80 }, { port: 8080 }],
        map: { a: { weight: 1 }, b: { weight: 5 } },
      },
    });
  });

  it("replaces a null of a non-nullable field by its default, or drops it", () => {
    const s: Schema = {
      type: "object",
      properties: {
        a: { type: "string", default: "x" },
        b: { type: "string" },
        c: { type: "string", nullable: true, default: "y" },
      },
    };
    const obj = { a: null, b: null, c: null };
    applyDefaults(obj, s);
    assert.deepEqual(obj, { a: "x", c: null });
  });

  it("copies defaults (no sharing between objects)", () => {
    const s: Schema = {
      type: "object",
      properties: { tags: { type: "array", items: { type: "string" }, default: ["a"] } },
    };
    const one: Record<string, unknown> = {};
    const two: Record<string, unknown> = {};
    applyDefaults(one, s);
    applyDefaults(two, s);
    (one.tags as string[]).push("b");
    assert.deepEqual(two, { tags: ["a"] });
    assert.deepEqual(s.properties?.tags?.default, ["a"]);
  });

  it("does nothing without a schema", () => {
    const obj = { spec: {} };
    applyDefaults(obj, undefined);
    assert.deepEqual(obj, { spec: {} });
  });
});
