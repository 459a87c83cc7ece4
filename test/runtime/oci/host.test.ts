import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hasCapability } from "../../../src/runtime/oci/index.js";

describe("host capabilities", () => {
  it("reads a capability bit from CapEff", () => {
    // 0x1fffeffffff: every capability up to 40 except 24 (CAP_SYS_RESOURCE).
    const status = "Name:\tnode\nCapPrm:\t000001fffeffffff\nCapEff:\t000001fffeffffff\n";
    assert.equal(hasCapability(24n, status), false);
    assert.equal(hasCapability(21n, status), true, "CAP_SYS_ADMIN");
    assert.equal(hasCapability(41n, status), false);
    assert.equal(hasCapability(0n, "Name:\tx\n"), false, "no CapEff line");
  });
});
