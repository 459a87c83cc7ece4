import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FrameReader, frame } from "../../src/dns/tcp-framing.js";

describe("DNS over TCP framing", () => {
  it("reassembles messages split and joined across chunks", () => {
    const a = Buffer.from("first message");
    const b = Buffer.from("second");
    const stream = Buffer.concat([frame(a), frame(b)]);
    const reader = new FrameReader();
    const got: Buffer[] = [];
    // One byte at a time: nothing is lost or reordered.
    for (const byte of stream) got.push(...reader.push(Buffer.from([byte])));
    assert.deepEqual(got.map(String), ["first message", "second"]);
    assert.equal(reader.pending, 0);
    // Both at once.
    assert.deepEqual(new FrameReader().push(stream).map(String), ["first message", "second"]);
  });

  it("holds an unfinished message until the rest arrives", () => {
    const reader = new FrameReader();
    const f = frame(Buffer.from("abcdef"));
    assert.deepEqual(reader.push(f.subarray(0, 4)), []);
    assert.equal(reader.pending, 4);
    assert.deepEqual(reader.push(f.subarray(4)).map(String), ["abcdef"]);
  });
});
