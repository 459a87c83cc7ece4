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

  it("sit below kube-proxy's FORWARD jumps whichever is written first, also where an older k8ts put them on top", async () => {
    for (const order of ["proxy first", "pod traffic first", "upgraded node"]) {
      const fake = new FakeIptables();
      const iptables = new Iptables(fake);
      if (order === "upgraded node") await iptables.ensureJumps(POD_TRAFFIC_JUMPS); // inserted on top
      if (order !== "proxy first") await iptables.moveJumpsLast(POD_TRAFFIC_JUMPS);
      await iptables.ensureJumps(JUMPS);
      if (order !== "pod traffic first") await iptables.moveJumpsLast(POD_TRAFFIC_JUMPS);
      // A later proxy resync re-checks its jumps; they are there, nothing moves.
      await iptables.ensureJumps(JUMPS);
      const forward = fake.rules("filter", "FORWARD").map((r) => /-j (\S+)/.exec(r)?.[1]);
      assert.equal(forward.at(-1), "K8TS-FWD", `${order}: ${forward.join(" ")}`);
      assert.equal(forward.filter((c) => c === "K8TS-FWD").length, 1, order);
      assert.ok(forward.includes("KUBE-SERVICES") && forward.includes("KUBE-FORWARD"));
      const post = fake.rules("nat", "POSTROUTING").map((r) => /-j (\S+)/.exec(r)?.[1]);
      assert.equal(post.filter((c) => c === "K8TS-POSTRTG").length, 1, order);
    }
  });
});
