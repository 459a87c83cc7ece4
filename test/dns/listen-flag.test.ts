import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseListen } from "../../src/cli/commands/dns.js";

describe("k8ts dns --listen", () => {
  it("takes HOST:PORT, [IPv6]:PORT and :PORT", () => {
    assert.deepEqual(parseListen("0.0.0.0:53"), { host: "0.0.0.0", port: 53 });
    assert.deepEqual(parseListen("[::1]:5353"), { host: "::1", port: 5353 });
    assert.deepEqual(parseListen(":1053"), { host: "0.0.0.0", port: 1053 });
  });

  it("refuses a missing or bad port", () => {
    assert.throws(() => parseListen("127.0.0.1"), /HOST:PORT/);
    assert.throws(() => parseListen("127.0.0.1:99999"), /HOST:PORT/);
  });
});
