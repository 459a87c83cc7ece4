import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeClock } from "../../src/client/util/clock.js";
import { Iptables } from "../../src/proxy/iptables.js";
import { JUMPS } from "../../src/proxy/jumps.js";
import { endpointChain } from "../../src/proxy/names.js";
import { RuleSync } from "../../src/proxy/rule-sync.js";
import { buildRuleset } from "../../src/proxy/rules.js";
import { FakeIptables } from "./fake-iptables.js";
import { ep, input, service, slice } from "./fixtures.js";

const svc1 = service("default/svc1", { clusterIP: "10.43.0.1" });
const rules = (ips: string[]) =>
  buildRuleset(
    input(
      [svc1],
      [
        slice(
          "default/svc1",
          ips.map((ip) => ep(ip)),
        ),
      ],
    ),
  );
const sep = (ip: string) =>
  endpointChain({ name: "default/svc1:p80", protocol: "tcp" }, `${ip}:80`);
const programs = (ipt: FakeIptables) => ipt.calls.map((c) => c.split(" ")[0]);

function setup(fullSyncPeriodMs = 3_600_000) {
  const ipt = new FakeIptables();
  const clock = new FakeClock(0);
  const sync = new RuleSync(new Iptables(ipt), { jumps: JUMPS, fullSyncPeriodMs, clock });
  return { ipt, clock, sync };
}

describe("full and partial syncs", () => {
  it("starts full (save, jumps, every chain), then writes only what changed, without iptables-save", async () => {
    const { ipt, sync } = setup();
    const first = await sync.apply(rules(["10.42.0.5", "10.42.0.6"]));
    assert.equal(first.full, true);
    assert.ok(programs(ipt).includes("iptables-save") && programs(ipt).includes("iptables"));
    ipt.calls.length = 0;
    const second = await sync.apply(rules(["10.42.0.5"]));
    assert.deepEqual(programs(ipt), ["iptables-restore"]);
    assert.equal(second.full, false);
    assert.equal(second.unchanged, 1, "the kept endpoint's chain is left alone");
    assert.ok(second.lines < first.lines);
    assert.ok(
      !ipt.chains("nat").includes(sep("10.42.0.6")),
      "the gone endpoint's chain is deleted",
    );
    assert.ok(ipt.chains("nat").includes(sep("10.42.0.5")));
  });

  it("goes full again after a failed restore", async () => {
    const { ipt, sync } = setup();
    await sync.apply(rules(["10.42.0.5"]));
    ipt.failRestores = 1;
    await assert.rejects(sync.apply(rules(["10.42.0.6"])));
    ipt.calls.length = 0;
    const next = await sync.apply(rules(["10.42.0.6"]));
    assert.equal(next.full, true);
    assert.equal(programs(ipt)[0], "iptables-save");
    assert.deepEqual(
      ipt.chains("nat").filter((c) => c.startsWith("KUBE-SEP-")),
      [sep("10.42.0.6")],
    );
  });

  it("goes full once the full-sync period has passed, and when invalidated", async () => {
    const { clock, sync } = setup(60_000);
    assert.equal((await sync.apply(rules(["10.42.0.5"]))).full, true);
    clock.step(59_000);
    assert.equal((await sync.apply(rules(["10.42.0.5"]))).full, false);
    clock.step(1_000);
    assert.equal((await sync.apply(rules(["10.42.0.5"]))).full, true);
    sync.invalidate();
    assert.equal((await sync.apply(rules(["10.42.0.5"]))).full, true);
  });

  it("finds a partial restore that meets a drifted kernel failing, and repairs it with a full one", async () => {
    const { ipt, sync } = setup();
    await sync.apply(rules(["10.42.0.5"]));
    // Someone deletes our chains behind our back: the untouched KUBE-SVC- chain is gone.
    await new Iptables(ipt).cleanup();
    await assert.rejects(sync.apply(rules(["10.42.0.5"])));
    const repaired = await sync.apply(rules(["10.42.0.5"]));
    assert.equal(repaired.full, true);
    assert.ok(ipt.chains("nat").includes(sep("10.42.0.5")));
  });
});
