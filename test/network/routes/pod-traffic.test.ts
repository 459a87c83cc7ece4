import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { POD_TRAFFIC_JUMPS, podTrafficRules } from "../../../src/network/routes/pod-traffic.js";
import { Iptables } from "../../../src/proxy/iptables.js";
import { JUMPS } from "../../../src/proxy/jumps.js";
import { FakeIptables } from "../../proxy/fake-iptables.js";

describe("pod traffic rules", () => {
  it("keep pod-to-pod sources, masquerade pod traffic leaving the cluster CIDR, accept its forwarding", () => {
    const lines = podTrafficRules("10.42.0.0/16").split("\n");
    const rule = (chain: string) => lines.filter((l) => l.startsWith(`-A ${chain} `));
    assert.deepEqual(
      rule("K8TS-POSTRTG").map((l) => l.replace(/ -m comment --comment "[^"]*"/, "")),
      [
        "-A K8TS-POSTRTG -s 10.42.0.0/16 -d 10.42.0.0/16 -j RETURN",
        "-A K8TS-POSTRTG -s 10.42.0.0/16 ! -d 224.0.0.0/4 -j MASQUERADE --random-fully",
      ],
    );
    assert.deepEqual(
      rule("K8TS-FWD").map((l) => l.replace(/ -m comment --comment "[^"]*"/, "")),
      ["-A K8TS-FWD -s 10.42.0.0/16 -j ACCEPT", "-A K8TS-FWD -d 10.42.0.0/16 -j ACCEPT"],
    );
    // Each chain is declared, so a rewrite replaces it whole.
    assert.ok(lines.includes(":K8TS-POSTRTG - [0:0]") && lines.includes(":K8TS-FWD - [0:0]"));
    assert.deepEqual(
      POD_TRAFFIC_JUMPS.map((j) => `${j.table} ${j.from} -> ${j.to}`),
      ["nat POSTROUTING -> K8TS-POSTRTG", "filter FORWARD -> K8TS-FWD"],
    );
  });

  it("sit below kube-proxy's FORWARD jumps whichever is written first, so a Service without endpoints rejects pod clients", async () => {
    for (const order of [
      [JUMPS, POD_TRAFFIC_JUMPS],
      [POD_TRAFFIC_JUMPS, JUMPS],
    ]) {
      const fake = new FakeIptables();
      const iptables = new Iptables(fake);
      for (const jumps of order) await iptables.ensureJumps(jumps);
      // A later proxy resync re-checks its jumps; they are there, nothing moves.
      await iptables.ensureJumps(JUMPS);
      const forward = fake.rules("filter", "FORWARD").map((r) => /-j (\S+)/.exec(r)?.[1]);
      assert.equal(forward.at(-1), "K8TS-FWD", forward.join(" "));
      assert.ok(forward.includes("KUBE-SERVICES") && forward.includes("KUBE-FORWARD"));
    }
  });
});
