// System suite: the node IPAM controller against a real API server holding
// plain Node objects, observed with the real kubectl. A /22 cluster CIDR
// holds four /24s: nodes get distinct ones, a fifth finds the range full
// (CIDRNotAvailable) until a node is deleted, and a restarted controller
// rebuilds what is in use from the Nodes alone.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { CoreEvent } from "../../../src/client/events/recorder.js";
import { SharedInformerFactory } from "../../../src/client/informer/factory.js";
import type { RestClient } from "../../../src/client/rest/client.js";
import { realClock } from "../../../src/client/util/clock.js";
import { newControllerContext } from "../../../src/controllers/manager/context.js";
import { NodeIpamController } from "../../../src/controllers/nodeipam/controller.js";
import { silentLogger } from "../../../src/util/log.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

const OPTS = { clusterCidr: "10.44.0.0/22", nodeCidrMaskSize: 24 };

function node(name: string, podCIDR?: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name },
    spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {},
  });
}

/** Runs a NodeIpamController on its own informers (so the test can stop and restart it). */
async function runIpam(rest: RestClient): Promise<() => Promise<void>> {
  const informers = new SharedInformerFactory(rest);
  const ctx = newControllerContext({ rest, informers, log: silentLogger, clock: realClock });
  const controller = new NodeIpamController(ctx, OPTS);
  informers.start();
  await controller.run(1);
  return async () => {
    await controller.stop();
    await informers.stop();
    await ctx.flushEvents();
  };
}

describe("node IPAM: range allocator", () => {
  let h: ControllerHarness;
  let stopIpam: (() => Promise<void>) | undefined;

  const podCidrs = async (name: string): Promise<string[] | undefined> => {
    const n = JSON.parse(await h.kubectl(["get", "node", name, "-o", "json"]));
    return n.spec?.podCIDRs;
  };
  const allocated = (name: string) =>
    until(`${name} podCIDR`, async () => {
      const cidrs = await podCidrs(name);
      return cidrs?.length ? cidrs : undefined;
    });

  before(async () => {
    h = await startControllers(() => []);
    // A node that already has a subnet before the controller starts.
    await h.kubectl(["create", "-f", "-"], node("pre", "10.44.0.0/24"));
    stopIpam = await runIpam(h.rest);
  });
  after(async () => {
    await stopIpam?.();
    await h?.stop();
  });

  it("gives each node a distinct /24 of the cluster CIDR, avoiding ones already held", async () => {
    for (const n of ["n1", "n2", "n3"]) await h.kubectl(["create", "-f", "-"], node(n));
    const got = [];
    for (const n of ["n1", "n2", "n3"]) {
      const cidrs = await allocated(n);
      assert.equal(cidrs.length, 1);
      const spec = JSON.parse(await h.kubectl(["get", "node", n, "-o", "json"])).spec;
      assert.equal(spec.podCIDR, cidrs[0], "podCIDR and podCIDRs agree");
      got.push(cidrs[0]);
    }
    assert.deepEqual(got.sort(), ["10.44.1.0/24", "10.44.2.0/24", "10.44.3.0/24"]);
  });

  it("reports CIDRNotAvailable when the range is full, and reuses a deleted node's CIDR", async () => {
    await h.kubectl(["create", "-f", "-"], node("n4"));
    await until("CIDRNotAvailable event", async () => {
      const events = JSON.parse(await h.kubectl(["get", "events", "-o", "json"]))
        .items as CoreEvent[];
      return events.some((e) => e.reason === "CIDRNotAvailable" && e.involvedObject?.name === "n4");
    });
    assert.equal(await podCidrs("n4"), undefined);
    const freed = (await podCidrs("n2"))?.[0];
    await h.kubectl(["delete", "node", "n2"]);
    assert.deepEqual(await allocated("n4"), [freed]);
  });

  it("after a restart, marks every node's CIDR used before allocating", async () => {
    await stopIpam?.();
    stopIpam = undefined;
    const freed = (await podCidrs("n1"))?.[0];
    await h.kubectl(["delete", "node", "n1"]);
    await h.kubectl(["create", "-f", "-"], node("n5"));
    stopIpam = await runIpam(h.rest);
    // Only n1's subnet is free: a controller that forgot the others would hand out 10.44.0.0/24.
    assert.deepEqual(await allocated("n5"), [freed]);
  });
});
