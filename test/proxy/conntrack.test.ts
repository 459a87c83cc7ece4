import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  hasUdpService,
  parseConntrackList,
  staleFlowDeletions,
} from "../../src/proxy/conntrack.js";
import { ep, input, service, slice } from "./fixtures.js";

const LIST = `udp      17 28 src=10.42.0.9 dst=10.43.0.10 sport=37871 dport=53 src=10.42.0.5 dst=10.42.0.9 sport=53 dport=37871 mark=0 use=1
udp      17 25 src=10.42.0.9 dst=10.43.0.10 sport=40000 dport=53 [UNREPLIED] src=10.42.0.7 dst=10.42.0.9 sport=53 dport=40000 mark=0 use=1
udp      17 25 src=192.0.2.1 dst=192.168.1.10 sport=5000 dport=30053 src=10.42.0.7 dst=192.0.2.1 sport=53 dport=5000 mark=0 use=1
tcp      6 431999 ESTABLISHED src=10.42.0.9 dst=10.43.0.1 sport=5555 dport=443 src=192.168.1.10 dst=10.42.0.9 sport=6443 dport=5555 [ASSURED] mark=0 use=1
conntrack v1.4.7 (conntrack-tools): 4 flow entries have been shown.
`;

describe("conntrack", () => {
  it("parses the original destination and the reply source of each flow", () => {
    assert.deepEqual(parseConntrackList(LIST), [
      { protocol: "udp", origDst: "10.43.0.10", origDport: 53, replySrc: "10.42.0.5" },
      { protocol: "udp", origDst: "10.43.0.10", origDport: 53, replySrc: "10.42.0.7" },
      { protocol: "udp", origDst: "192.168.1.10", origDport: 30053, replySrc: "10.42.0.7" },
      { protocol: "tcp", origDst: "10.43.0.1", origDport: 443, replySrc: "192.168.1.10" },
    ]);
  });

  it("deletes UDP flows to a service IP or NodePort that no serving endpoint answers", () => {
    const dns = service("kube-system/dns", {
      clusterIP: "10.43.0.10",
      type: "NodePort",
      ports: [{ name: "dns", port: 53, nodePort: 30053, protocol: "UDP" }],
    });
    const state = input(
      [
        dns,
        service("default/kubernetes", {
          clusterIP: "10.43.0.1",
          ports: [{ name: "https", port: 443 }],
        }),
      ],
      [
        slice("kube-system/dns", [ep("10.42.0.5")], {
          ports: [{ name: "dns", port: 53, protocol: "UDP" }],
        }),
      ],
    );
    assert.ok(hasUdpService(state.services));
    assert.deepEqual(staleFlowDeletions(parseConntrackList(LIST), state), [
      ["-D", "-p", "udp", "--orig-dst", "10.43.0.10", "--reply-src", "10.42.0.7"],
      ["-D", "-p", "udp", "--orig-port-dst", "30053", "--reply-src", "10.42.0.7"],
    ]);
  });

  it("deletes every flow of a UDP service that lost all endpoints (they were cached while it rejected)", () => {
    const state = input(
      [
        service("kube-system/dns", {
          clusterIP: "10.43.0.10",
          ports: [{ name: "dns", port: 53, protocol: "UDP" }],
        }),
      ],
      [],
    );
    assert.equal(staleFlowDeletions(parseConntrackList(LIST), state).length, 2);
  });
});
