import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeKubeProtobuf } from "../../../src/api/proto/decode.js";
import { KUBECTL_1_32_CAPTURES } from "./kubectl-captures.js";
import { fromHex } from "./writer.js";

describe("bodies recorded from kubectl v1.32", () => {
  for (const capture of KUBECTL_1_32_CAPTURES) {
    it(`${capture.command} decodes to upstream's JSON`, () => {
      assert.deepEqual(decodeKubeProtobuf(fromHex(capture.hex)).object, capture.expected);
    });
  }
});
