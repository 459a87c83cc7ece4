import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LeaderElector, type Lease } from "../../../src/client/leaderelection/leader-election.js";
import type { ResourceClient } from "../../../src/client/rest/resource.js";
import { FakeClock } from "../../../src/client/util/clock.js";

const turn = () => new Promise((r) => setImmediate(r));
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await turn();
}

/** A lease API that answers until `hang` is set, then never again. */
function fakeLeases() {
  let lease: Lease | undefined;
  let rv = 0;
  const state = { hang: false };
  const never = new Promise<never>(() => {});
  const client = {
    get: async () => {
      if (state.hang) return never;
      if (!lease) throw Object.assign(new Error("not found"), { name: "NotFoundError" });
      return structuredClone(lease);
    },
    create: async (l: Lease) => {
      lease = { ...l, metadata: { ...l.metadata, resourceVersion: String(++rv) } };
      return structuredClone(lease);
    },
    update: async (l: Lease) => {
      if (state.hang) return never;
      lease = { ...l, metadata: { ...l.metadata, resourceVersion: String(++rv) } };
      return structuredClone(lease);
    },
  };
  return { client: client as unknown as ResourceClient<Lease>, state };
}

describe("leader election deadlines", () => {
  it("steps down at the renew deadline even while a renewal hangs", async () => {
    const clock = new FakeClock(1_000_000);
    const { client, state } = fakeLeases();
    // The fake get throws a plain error for a missing lease: the elector treats it as a failure, so seed it.
    await client.create({
      metadata: { name: "l", namespace: "ns" },
      spec: { holderIdentity: "", leaseDurationSeconds: 15 },
    });
    const events: string[] = [];
    const elector = new LeaderElector(client, {
      namespace: "ns",
      name: "l",
      identity: "me",
      clock,
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      onStartedLeading: () => events.push("start"),
      onStoppedLeading: () => events.push("stop"),
    });
    elector.start();
    await settle();
    assert.deepEqual(events, ["start"]);
    state.hang = true;
    clock.step(2_000); // a renewal starts and never returns
    await settle();
    clock.step(7_999);
    await settle();
    assert.equal(elector.isLeader(), true, "still within the renew deadline");
    clock.step(2);
    await settle();
    assert.deepEqual(events, ["start", "stop"]);
    assert.equal(elector.isLeader(), false);
  });

  it("survives a throwing callback", async () => {
    const clock = new FakeClock(1_000_000);
    const { client } = fakeLeases();
    await client.create({ metadata: { name: "l", namespace: "ns" }, spec: { holderIdentity: "" } });
    let renewals = 0;
    const elector = new LeaderElector(client, {
      namespace: "ns",
      name: "l",
      identity: "me",
      clock,
      onStartedLeading: () => {
        throw new Error("boom");
      },
      onStoppedLeading: () => {},
      onNewLeader: () => renewals++,
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    try {
      elector.start();
      await settle();
      clock.step(2_000);
      await settle();
      assert.equal(elector.isLeader(), true, "the elector kept going");
      await new Promise((r) => setImmediate(r));
      assert.ok(warnings.some((w) => w.includes("boom")));
    } finally {
      process.off("warning", onWarning);
      await elector.stop();
    }
  });
});
