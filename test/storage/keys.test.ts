import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidKeyError } from "../../src/storage/errors.js";
import { checkContinueFrom, checkKey, keyAfter, prefixEnd } from "../../src/storage/keys.js";

describe("storage keys", () => {
  it("prefixEnd is the smallest key past every key with the prefix", () => {
    assert.equal(prefixEnd("/registry/pods/"), "/registry/pods0");
    assert.equal(prefixEnd("a"), "b");
    assert.equal(prefixEnd("a~"), "a\u007f");
    assert.equal(prefixEnd(""), undefined);
    for (const k of ["/registry/pods/", "/registry/pods/x", "/registry/pods/~~~"]) {
      assert.ok(k < (prefixEnd("/registry/pods/") as string));
    }
  });

  it("keyAfter sorts right after its key and before any longer key", () => {
    const k = "/registry/pods/a";
    assert.ok(keyAfter(k) > k);
    assert.ok(keyAfter(k) < `${k} `);
  });

  it("checkKey refuses empty keys and control characters", () => {
    assert.throws(() => checkKey(""), InvalidKeyError);
    assert.throws(() => checkKey("/a\nb"), InvalidKeyError);
    assert.throws(() => checkKey("/é"), InvalidKeyError);
    checkKey("/registry/pods/default/nginx-1");
  });

  it("a continue key must lie inside the listed prefix", () => {
    assert.throws(() => checkContinueFrom("/a/", "/b/x"), InvalidKeyError);
    checkContinueFrom("/a/", "/a/x\u0000");
  });
});
