import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node } from "kubernetes-types/core/v1.js";
import { desiredRoutes } from "../../../src/network/routes/desired.js";
import { diffRoutes } from "../../../src/network/routes/diff.js";

function node(name: string, o: { cidrs?: string[]; ip?: string; deleting?: boolean } = {}): Node {
  return {
    metadata: {
      name,
      ...(o.deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
    },
    spec: o.cidrs ? { podCIDR: o.cidrs[0] ?? "", podCIDRs: o.cidrs } : {},
    status: o.ip ? { addresses: [{ type: "InternalIP", address: o.ip }] } : {},
  };
}

const HOST = { self: "a", subnets: ["192.168.77.1/24"] };

describe("desired host-gw routes", () => {
  it("routes every other node's pod CIDR via its InternalIP, never this node's own", () => {
    const nodes = [
      node("a", { cidrs: ["10.42.0.0/24"], ip: "192.168.77.1" }),
      node("c", { cidrs: ["10.42.2.0/24"], ip: "192.168.77.3" }),
      node("b", { cidrs: ["10.42.1.0/24"], ip: "192.168.77.2" }),
    ];
    assert.deepEqual(desiredRoutes(nodes, HOST), {
      routes: [
        { dst: "10.42.1.0/24", via: "192.168.77.2", node: "b" },
        { dst: "10.42.2.0/24", via: "192.168.77.3", node: "c" },
      ],
      skipped: [],
    });
  });

  it("skips, with a reason, a node whose InternalIP is not on a connected subnet", () => {
    const { routes, skipped } = desiredRoutes(
      [node("far", { cidrs: ["10.42.5.0/24"], ip: "10.9.9.9" })],
      HOST,
    );
    assert.deepEqual(routes, []);
    assert.equal(skipped[0]?.node, "far");
    assert.match(skipped[0]?.reason ?? "", /10\.9\.9\.9 is not on a directly connected subnet/);
  });

  it("waits silently for a node without a pod CIDR, and names one without an address", () => {
    const r = desiredRoutes(
      [node("new", { ip: "192.168.77.9" }), node("x", { cidrs: ["10.42.7.0/24"] })],
      HOST,
    );
    assert.deepEqual(r.routes, []);
    assert.deepEqual(r.skipped, [{ node: "x", reason: "it has no IPv4 InternalIP" }]);
  });

  it("normalizes the destination, skips IPv6 ranges and nodes being deleted", () => {
    const r = desiredRoutes(
      [
        node("b", { cidrs: ["10.42.1.7/24", "fd00:42:1::/64"], ip: "192.168.77.2" }),
        node("gone", { cidrs: ["10.42.3.0/24"], ip: "192.168.77.4", deleting: true }),
      ],
      HOST,
    );
    assert.deepEqual(r.routes, [{ dst: "10.42.1.0/24", via: "192.168.77.2", node: "b" }]);
    assert.match(r.skipped[0]?.reason ?? "", /fd00:42:1::\/64 is not IPv4/);
  });

  it("never claims a range this node holds, another node holds, or someone else routes", () => {
    const r = desiredRoutes(
      [
        node("a", { cidrs: ["10.42.0.0/24"], ip: "192.168.77.1" }),
        node("b", { cidrs: ["10.42.0.0/24"], ip: "192.168.77.2" }),
        node("c", { cidrs: ["10.42.2.0/24"], ip: "192.168.77.3" }),
        node("d", { cidrs: ["10.42.2.0/24"], ip: "192.168.77.4" }),
        node("e", { cidrs: ["10.42.4.0/24"], ip: "192.168.77.5" }),
      ],
      { ...HOST, foreignDsts: new Set(["10.42.4.0/24"]) },
    );
    assert.deepEqual(r.routes, [{ dst: "10.42.2.0/24", via: "192.168.77.3", node: "c" }]);
    assert.deepEqual(
      r.skipped.map((s) => [s.node, s.reason]),
      [
        ["b", "pod CIDR 10.42.0.0/24 is also claimed by node a"],
        ["d", "pod CIDR 10.42.2.0/24 is also claimed by node c"],
        ["e", "a route to 10.42.4.0/24 not made by k8ts exists"],
      ],
    );
  });
});

describe("route diff", () => {
  it("adds missing routes, moves changed next hops and removes what no node wants", () => {
    const changes = diffRoutes(
      [
        { dst: "10.42.1.0/24", via: "192.168.77.2", node: "b" },
        { dst: "10.42.2.0/24", via: "192.168.77.9", node: "c" },
        { dst: "10.42.3.0/24", via: "192.168.77.4", node: "d" },
      ],
      [
        { dst: "10.42.1.0/24", via: "192.168.77.2" },
        { dst: "10.42.2.0/24", via: "192.168.77.3" },
        { dst: "10.42.8.0/24", via: "192.168.77.8" },
      ],
    );
    assert.deepEqual(changes, {
      apply: [
        { dst: "10.42.2.0/24", via: "192.168.77.9", node: "c" },
        { dst: "10.42.3.0/24", via: "192.168.77.4", node: "d" },
      ],
      remove: [{ dst: "10.42.8.0/24", via: "192.168.77.8" }],
    });
  });

  it("changes nothing when the table already matches", () => {
    const route = { dst: "10.42.1.0/24", via: "192.168.77.2" };
    assert.deepEqual(diffRoutes([{ ...route, node: "b" }], [route]), { apply: [], remove: [] });
  });
});
