import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultSecret } from "../../../src/api/defaults/core.js";
import type { KubeObject } from "../../../src/api/strategy.js";
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateSecret,
  validateSecretUpdate,
} from "../../../src/api/validation/config.js";
import { messages } from "./helpers.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("ConfigMap", () => {
  it("rejects a key with a slash", () => {
    assert.deepEqual(messages(validateConfigMap({ data: { "a/b": "x" } })), [
      `data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    ]);
  });

  it("rejects more than 1 MiB of data", () => {
    assert.deepEqual(messages(validateConfigMap({ data: { big: "x".repeat(1024 * 1024 + 1) } })), [
      ": Too long: may not be more than 1048576 bytes",
    ]);
  });

  it("freezes data once immutable is set", () => {
    const old: KubeObject = { immutable: true, data: { a: "1" } };
    assert.deepEqual(
      messages(validateConfigMapUpdate({ immutable: true, data: { a: "2" } }, old)),
      ["data: Forbidden: field is immutable when `immutable` is set"],
    );
  });
});

describe("Secret", () => {
  it("requires tls.crt and tls.key for kubernetes.io/tls", () => {
    assert.deepEqual(messages(validateSecret({ type: "kubernetes.io/tls", data: {} })), [
      "data[tls.crt]: Required value",
      "data[tls.key]: Required value",
    ]);
  });

  it("defaults the type to Opaque and folds stringData into data", () => {
    const s: KubeObject = { stringData: { password: "hunter2" } };
    defaultSecret(s);
    assert.deepEqual(s, { type: "Opaque", data: { password: b64("hunter2") } });
  });

  it("keeps the type immutable", () => {
    assert.deepEqual(
      messages(
        validateSecretUpdate(
          { type: "kubernetes.io/basic-auth", data: { username: b64("u") } },
          { type: "Opaque" },
        ),
      ),
      ['type: Invalid value: "kubernetes.io/basic-auth": field is immutable'],
    );
  });
});
