import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EndpointAddress } from "kubernetes-types/core/v1.js";
import { repackSubsets, subsetsEqual } from "../../../src/controllers/endpoint/subsets.js";

const addr = (ip: string, uid = ip): EndpointAddress => ({
  ip,
  targetRef: { kind: "Pod", name: `p-${ip}`, uid },
});
const http = { name: "http", port: 80, protocol: "TCP" };
const https = { name: "https", port: 443, protocol: "TCP" };

describe("subset repacking", () => {
  it("groups addresses that serve the same ports into one subset", () => {
    const out = repackSubsets([
      { addresses: [addr("10.0.0.2")], ports: [http] },
      { addresses: [addr("10.0.0.1")], ports: [http] },
      { addresses: [addr("10.0.0.1")], ports: [https] },
      { addresses: [addr("10.0.0.2")], ports: [https] },
    ]);
    assert.equal(out.length, 1);
    assert.deepEqual(
      out[0]?.addresses?.map((a) => a.ip),
      ["10.0.0.1", "10.0.0.2"],
    );
    assert.deepEqual(out[0]?.ports, [http, https]);
  });

  it("splits addresses serving different port sets", () => {
    const out = repackSubsets([
      { addresses: [addr("10.0.0.1")], ports: [http] },
      { addresses: [addr("10.0.0.2")], ports: [{ ...http, port: 8080 }] },
    ]);
    assert.equal(out.length, 2);
    assert.deepEqual(out.map((s) => s.addresses?.map((a) => a.ip)).sort(), [
      ["10.0.0.1"],
      ["10.0.0.2"],
    ]);
  });

  it("keeps ready and not-ready apart, not-ready winning for the same address", () => {
    const out = repackSubsets([
      { addresses: [addr("10.0.0.1")], ports: [http] },
      { notReadyAddresses: [addr("10.0.0.1")], ports: [http] },
      { addresses: [addr("10.0.0.2")], ports: [http] },
    ]);
    assert.equal(out.length, 1);
    assert.deepEqual(
      out[0]?.addresses?.map((a) => a.ip),
      ["10.0.0.2"],
    );
    assert.deepEqual(
      out[0]?.notReadyAddresses?.map((a) => a.ip),
      ["10.0.0.1"],
    );
  });

  it("tells apart pods sharing an IP by target UID, and sorts IPs bytewise", () => {
    const out = repackSubsets([
      {
        addresses: [addr("10.0.0.10"), addr("10.0.0.9", "b"), addr("10.0.0.9", "a")],
        ports: [http],
      },
    ]);
    assert.deepEqual(
      out[0]?.addresses?.map((a) => `${a.ip}/${a.targetRef?.uid}`),
      ["10.0.0.10/10.0.0.10", "10.0.0.9/a", "10.0.0.9/b"],
    );
  });

  it("keeps port-less addresses (headless services without ports)", () => {
    const out = repackSubsets([
      { addresses: [addr("10.0.0.1")] },
      { addresses: [addr("10.0.0.2")] },
    ]);
    assert.equal(out.length, 1);
    assert.equal(out[0]?.ports, undefined);
    assert.equal(out[0]?.addresses?.length, 2);
  });

  it("is canonical: any input order gives the same subsets", () => {
    const a = repackSubsets([
      { addresses: [addr("10.0.0.1")], ports: [http] },
      { addresses: [addr("10.0.0.2")], ports: [https] },
    ]);
    const b = repackSubsets([
      { addresses: [addr("10.0.0.2")], ports: [https] },
      { addresses: [addr("10.0.0.1")], ports: [http] },
    ]);
    assert.deepEqual(a, b);
  });
});

describe("subset equality", () => {
  it("ignores target resourceVersions, empty lists and unset fields", () => {
    const stored = [
      {
        addresses: [{ ip: "10.0.0.1", targetRef: { kind: "Pod", uid: "u", resourceVersion: "7" } }],
        notReadyAddresses: [],
        ports: [http],
      },
    ];
    const computed = [
      { addresses: [{ ip: "10.0.0.1", targetRef: { kind: "Pod", uid: "u" } }], ports: [http] },
    ];
    assert.ok(subsetsEqual(stored, computed));
    assert.ok(subsetsEqual(undefined, []));
    assert.ok(!subsetsEqual(computed, [{ ...computed[0], ports: [https] }]));
  });
});
