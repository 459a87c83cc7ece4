import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { statusPatch } from "../../src/ingress/status.js";
import { ingress } from "./fixtures.js";

function withStatus(ips: string[]) {
  return { ...ingress("a", {}), status: { loadBalancer: { ingress: ips.map((ip) => ({ ip })) } } };
}

describe("ingress status", () => {
  it("publishes the address on an Ingress it serves, once", () => {
    assert.deepEqual(statusPatch(ingress("a", {}), { serves: true, publishIp: "10.1.1.1" }), {
      status: { loadBalancer: { ingress: [{ ip: "10.1.1.1" }] } },
    });
    assert.equal(
      statusPatch(withStatus(["10.1.1.1"]), { serves: true, publishIp: "10.1.1.1" }),
      undefined,
    );
    assert.ok(statusPatch(withStatus(["10.9.9.9"]), { serves: true, publishIp: "10.1.1.1" }));
  });

  it("withdraws only its own address from an Ingress it no longer serves", () => {
    assert.deepEqual(
      statusPatch(withStatus(["10.1.1.1"]), { serves: false, publishIp: "10.1.1.1" }),
      {
        status: { loadBalancer: { ingress: null } },
      },
    );
    assert.equal(
      statusPatch(withStatus(["10.9.9.9"]), { serves: false, publishIp: "10.1.1.1" }),
      undefined,
    );
    assert.equal(
      statusPatch(ingress("a", {}), { serves: false, publishIp: "10.1.1.1" }),
      undefined,
    );
  });
});
