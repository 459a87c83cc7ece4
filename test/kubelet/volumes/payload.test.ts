import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  cleanPayload,
  invalidPathReason,
  type Payload,
} from "../../../src/kubelet/volumes/payload.js";

const file = { data: new Uint8Array(), mode: 0o644 };

describe("payload paths", () => {
  it("accepts plain relative paths and nested ones", () => {
    assert.equal(invalidPathReason("config.yaml"), undefined);
    assert.equal(invalidPathReason("a/b/c"), undefined);
    assert.equal(invalidPathReason(".hidden"), undefined);
  });

  it("rejects empty, absolute and .. paths with upstream's words", () => {
    assert.equal(invalidPathReason(""), `invalid path: must not be empty: ""`);
    assert.equal(
      invalidPathReason("/etc/passwd"),
      "invalid path: must be relative path: /etc/passwd",
    );
    assert.equal(invalidPathReason("a/../b"), "invalid path: must not contain '..': a/../b");
    assert.equal(invalidPathReason(".."), "invalid path: must not contain '..': ..");
  });

  it("rejects a first element starting with .. (the writer's own names like ..data)", () => {
    assert.equal(invalidPathReason("..data"), "invalid path: must not start with '..': ..data");
    assert.equal(invalidPathReason("a/..b"), undefined);
  });

  it("bounds file name and path length", () => {
    assert.match(
      invalidPathReason("x".repeat(256)) ?? "",
      /filenames must be less than or equal to 255/,
    );
    assert.match(
      invalidPathReason(Array(1000).fill("abcd").join("/")) ?? "",
      /must be less than or equal to 4096 characters/,
    );
  });

  it("cleans paths and throws on the first invalid one", () => {
    const clean = cleanPayload(
      new Map([
        ["a//b/", file],
        ["./c", file],
      ]) as Payload,
    );
    assert.deepEqual([...clean.keys()], ["a/b", "c"]);
    assert.throws(() => cleanPayload(new Map([["../x", file]])), /must not contain '\.\.'/);
  });
});
