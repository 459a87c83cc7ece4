import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { POD_TRAFFIC_JUMPS, podTrafficRules } from "../../../src/network/routes/pod-traffic.js";

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
});
