import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { restoreText } from "../../src/proxy/restore.js";
import { buildRuleset, type RulesConfig } from "../../src/proxy/rules.js";
import { ep, input, service, slice } from "./fixtures.js";

const CONFIG: RulesConfig = { clusterCIDR: "10.0.0.0/8" };

/** The lines the fixed top-level chains always hold (localhost NodePorts on). */
const FILTER_HEAD = [
  "*filter",
  ":KUBE-SERVICES - [0:0]",
  ":KUBE-EXTERNAL-SERVICES - [0:0]",
  ":KUBE-FORWARD - [0:0]",
  ":KUBE-NODEPORTS - [0:0]",
  ":KUBE-PROXY-FIREWALL - [0:0]",
  ":KUBE-FIREWALL - [0:0]",
  '-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
];
const FILTER_TAIL = [
  "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP",
  '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
  '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  "COMMIT",
];
const NAT_CHAINS = [
  "*nat",
  ":KUBE-SERVICES - [0:0]",
  ":KUBE-NODEPORTS - [0:0]",
  ":KUBE-POSTROUTING - [0:0]",
  ":KUBE-MARK-MASQ - [0:0]",
];
const NAT_FIXED = [
  "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
  "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000",
  '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
  "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000",
];
const NODEPORTS_JUMP =
  '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS';

const SVC1 = "KUBE-SVC-XPGD46QRK7WJZT7O";
const SEP1A = "KUBE-SEP-SXIVWICOYRO3J4NJ"; // 10.180.0.1:80
const SEP1B = "KUBE-SEP-LXVODXWDISEETFEF"; // 10.180.0.2:80
const SEP1C = "KUBE-SEP-TOIS5JUHRKSSXDL7"; // 10.180.1.1:80

describe("ruleset", () => {
  it("a ClusterIP service with two endpoints: the whole restore input", () => {
    const rules = buildRuleset(
      input(
        [service("ns1/svc1", { clusterIP: "172.30.0.41" })],
        [slice("ns1/svc1", [ep("10.180.0.2"), ep("10.180.0.1")])],
      ),
      CONFIG,
    );
    const want = [
      ...FILTER_HEAD,
      ...FILTER_TAIL,
      ...NAT_CHAINS,
      `:${SVC1} - [0:0]`,
      `:${SEP1A} - [0:0]`,
      `:${SEP1B} - [0:0]`,
      ...NAT_FIXED,
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j ${SVC1}`,
      `-A ${SVC1} -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`,
      `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.5000000000 -j ${SEP1A}`,
      `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -j ${SEP1B}`,
      `-A ${SEP1A} -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ`,
      `-A ${SEP1A} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80`,
      `-A ${SEP1B} -m comment --comment ns1/svc1:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ`,
      `-A ${SEP1B} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80`,
      NODEPORTS_JUMP,
      "COMMIT",
    ];
    assert.deepEqual(restoreText(rules).split("\n"), [...want, ""]);
    assert.deepEqual([...rules.activeNatChains].sort(), [SEP1B, SEP1A, SVC1].sort());
  });

  it("three endpoints split 1/3, 1/2, rest", () => {
    const rules = buildRuleset(
      input(
        [service("ns1/svc1", { clusterIP: "172.30.0.41" })],
        [slice("ns1/svc1", [ep("10.180.0.1"), ep("10.180.0.2"), ep("10.180.1.1")])],
      ),
      CONFIG,
    );
    assert.deepEqual(
      rules.natRules.filter((l) => l.startsWith(`-A ${SVC1} `) && l.includes("->")),
      [
        `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.3333333333 -j ${SEP1A}`,
        `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -m statistic --mode random --probability 0.5000000000 -j ${SEP1B}`,
        `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.1.1:80" -j ${SEP1C}`,
      ],
    );
  });

  it("a service without endpoints is rejected in the filter table and gets no nat chains", () => {
    const rules = buildRuleset(
      input(
        [
          service("ns1/svc1", {
            clusterIP: "172.30.0.41",
            type: "NodePort",
            ports: [{ name: "p80", port: 80, nodePort: 30080, protocol: "TCP" }],
            externalIPs: ["192.168.99.11"],
          }),
        ],
        [],
      ),
      CONFIG,
    );
    assert.deepEqual(rules.filterRules.slice(1, -3), [
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 192.168.99.11 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT',
    ]);
    assert.deepEqual(rules.natRules, [...NAT_FIXED, NODEPORTS_JUMP]);
    assert.deepEqual(
      rules.natChains,
      NAT_CHAINS.slice(1).map((l) => l.slice(1, -8)),
    );
    assert.equal(rules.activeNatChains.size, 0);
  });

  it("not-ready endpoints do not count; terminating but serving ones are the fallback", () => {
    const none = buildRuleset(
      input(
        [service("ns1/svc1", { clusterIP: "172.30.0.41" })],
        [slice("ns1/svc1", [ep("10.180.0.1", { ready: false })])],
      ),
      CONFIG,
    );
    assert.match(none.filterRules.join("\n"), /has no endpoints.* -j REJECT/);
    const draining = buildRuleset(
      input(
        [service("ns1/svc1", { clusterIP: "172.30.0.41" })],
        [
          slice("ns1/svc1", [
            ep("10.180.0.1", { ready: false, serving: true, terminating: true }),
            ep("10.180.0.2", { ready: false, serving: false, terminating: true }),
          ]),
        ],
      ),
      CONFIG,
    );
    assert.deepEqual(
      draining.natRules.filter((l) => l.startsWith(`-A ${SVC1} `) && l.includes("->")),
      [`-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j ${SEP1A}`],
    );
  });

  it("a NodePort service: KUBE-NODEPORTS to KUBE-EXT-, which masquerades and goes to KUBE-SVC-", () => {
    const rules = buildRuleset(
      input(
        [
          service("ns2/svc2", {
            clusterIP: "172.30.0.42",
            type: "NodePort",
            ports: [{ name: "p80", port: 80, nodePort: 3001, protocol: "TCP" }],
          }),
        ],
        [slice("ns2/svc2", [ep("10.180.0.2")])],
      ),
      CONFIG,
    );
    const svc = "KUBE-SVC-GNZBNJ2PO5MGZ6GT";
    const ext = "KUBE-EXT-GNZBNJ2PO5MGZ6GT";
    const sep = "KUBE-SEP-RS4RBKLTHTF2IUXJ";
    assert.deepEqual(rules.natRules.slice(NAT_FIXED.length), [
      `-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j ${svc}`,
      `-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j ${ext}`,
      `-A ${svc} -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`,
      `-A ${ext} -m comment --comment "masquerade traffic for ns2/svc2:p80 external destinations" -j KUBE-MARK-MASQ`,
      `-A ${ext} -j ${svc}`,
      `-A ${svc} -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j ${sep}`,
      `-A ${sep} -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ`,
      `-A ${sep} -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80`,
      NODEPORTS_JUMP,
    ]);
    assert.deepEqual(rules.natChains.slice(4), [ext, svc, sep]);
  });

  it("externalTrafficPolicy Local: external traffic to local endpoints only, pods and the node short-circuit", () => {
    const rules = buildRuleset(
      input(
        [
          service("ns2/svc2", {
            clusterIP: "172.30.0.42",
            type: "LoadBalancer",
            externalTrafficPolicy: "Local",
            externalIPs: ["192.168.99.22"],
            lbIPs: ["1.2.3.4"],
            ports: [{ name: "p80", port: 80, nodePort: 3001, protocol: "TCP" }],
          }),
        ],
        [
          slice("ns2/svc2", [
            ep("10.180.0.2", { node: "node-a" }),
            ep("10.180.1.2", { node: "node-b" }),
          ]),
        ],
      ),
      CONFIG,
    );
    const svc = "KUBE-SVC-GNZBNJ2PO5MGZ6GT";
    const svl = "KUBE-SVL-GNZBNJ2PO5MGZ6GT";
    const ext = "KUBE-EXT-GNZBNJ2PO5MGZ6GT";
    const local = "KUBE-SEP-RS4RBKLTHTF2IUXJ";
    const remote = "KUBE-SEP-J7UNSSMXXN3UTZD6";
    assert.deepEqual(rules.natRules.slice(NAT_FIXED.length), [
      `-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j ${svc}`,
      `-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j ${ext}`,
      `-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j ${ext}`,
      `-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j ${ext}`,
      `-A ${svc} -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`,
      `-A ${ext} -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j ${svc}`,
      `-A ${ext} -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
      `-A ${ext} -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j ${svc}`,
      `-A ${ext} -j ${svl}`,
      `-A ${svc} -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -m statistic --mode random --probability 0.5000000000 -j ${local}`,
      `-A ${svc} -m comment --comment "ns2/svc2:p80 -> 10.180.1.2:80" -j ${remote}`,
      `-A ${svl} -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j ${local}`,
      `-A ${local} -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ`,
      `-A ${local} -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80`,
      `-A ${remote} -m comment --comment ns2/svc2:p80 -s 10.180.1.2 -j KUBE-MARK-MASQ`,
      `-A ${remote} -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.1.2:80`,
      NODEPORTS_JUMP,
    ]);
  });

  it("externalTrafficPolicy Local with no local endpoint: external traffic is dropped, pods still short-circuit", () => {
    const rules = buildRuleset(
      input(
        [
          service("ns2/svc2", {
            clusterIP: "172.30.0.42",
            type: "NodePort",
            externalTrafficPolicy: "Local",
            ports: [{ name: "p80", port: 80, nodePort: 3001, protocol: "TCP" }],
          }),
        ],
        [slice("ns2/svc2", [ep("10.180.1.2", { node: "node-b" })])],
      ),
      CONFIG,
    );
    const ext = "KUBE-EXT-GNZBNJ2PO5MGZ6GT";
    assert.deepEqual(rules.filterRules.slice(1, -3), [
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP',
    ]);
    const extRules = rules.natRules.filter((l) => l.startsWith(`-A ${ext} `));
    assert.equal(extRules.length, 3, "no fall-through jump to an empty KUBE-SVL-");
    assert.ok(!rules.natChains.includes("KUBE-SVL-GNZBNJ2PO5MGZ6GT"));
  });

  it("internalTrafficPolicy Local with no local endpoint: cluster-IP traffic is dropped", () => {
    const rules = buildRuleset(
      input(
        [service("ns1/svc1", { clusterIP: "172.30.0.41", internalTrafficPolicy: "Local" })],
        [slice("ns1/svc1", [ep("10.180.0.1", { node: "node-b" })])],
      ),
      CONFIG,
    );
    assert.deepEqual(rules.filterRules.slice(1, -3), [
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no local endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j DROP',
    ]);
    assert.deepEqual(rules.natRules, [...NAT_FIXED, NODEPORTS_JUMP]);
  });

  it("internalTrafficPolicy Local sends cluster-IP traffic to KUBE-SVL- with this node's endpoints", () => {
    const rules = buildRuleset(
      input(
        [service("ns1/svc1", { clusterIP: "172.30.0.41", internalTrafficPolicy: "Local" })],
        [
          slice("ns1/svc1", [
            ep("10.180.0.1", { node: "node-a" }),
            ep("10.180.0.2", { node: "node-b" }),
          ]),
        ],
      ),
      CONFIG,
    );
    const svl = "KUBE-SVL-XPGD46QRK7WJZT7O";
    assert.deepEqual(rules.natRules.slice(NAT_FIXED.length, -1), [
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j ${svl}`,
      `-A ${svl} -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`,
      `-A ${svl} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j ${SEP1A}`,
      `-A ${SEP1A} -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ`,
      `-A ${SEP1A} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80`,
    ]);
  });

  it("sessionAffinity ClientIP checks the recent lists first and records the client in each endpoint", () => {
    const rules = buildRuleset(
      input(
        [
          service("ns1/svc1", {
            clusterIP: "172.30.0.41",
            sessionAffinity: "ClientIP",
            sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } },
          }),
        ],
        [slice("ns1/svc1", [ep("10.180.0.1"), ep("10.180.0.2")])],
      ),
      {},
    );
    assert.deepEqual(rules.natRules.slice(NAT_FIXED.length + 1, -1), [
      `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m recent --name ${SEP1A} --rcheck --seconds 600 --reap -j ${SEP1A}`,
      `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -m recent --name ${SEP1B} --rcheck --seconds 600 --reap -j ${SEP1B}`,
      `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.5000000000 -j ${SEP1A}`,
      `-A ${SVC1} -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -j ${SEP1B}`,
      `-A ${SEP1A} -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ`,
      `-A ${SEP1A} -m comment --comment ns1/svc1:p80 -m recent --name ${SEP1A} --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80`,
      `-A ${SEP1B} -m comment --comment ns1/svc1:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ`,
      `-A ${SEP1B} -m comment --comment ns1/svc1:p80 -m recent --name ${SEP1B} --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80`,
    ]);
  });

  it("loadBalancerSourceRanges put KUBE-FW- in front of KUBE-EXT- and drop the rest in the filter table", () => {
    const rules = buildRuleset(
      input(
        [
          service("ns5/svc5", {
            clusterIP: "172.30.0.45",
            type: "LoadBalancer",
            lbIPs: ["5.6.7.8"],
            loadBalancerSourceRanges: [" 203.0.113.0/25 ", "192.168.0.0/24"],
            ports: [{ name: "p80", port: 80, nodePort: 3002, protocol: "TCP" }],
          }),
        ],
        [slice("ns5/svc5", [ep("10.180.0.5")])],
      ),
      { ...CONFIG, nodeIPs: ["192.168.0.2"] },
    );
    const fw = "KUBE-FW-NUKIZ6OKUXPJNT4C";
    const ext = "KUBE-EXT-NUKIZ6OKUXPJNT4C";
    assert.deepEqual(
      rules.natRules.filter((l) => l.includes(fw)),
      [
        `-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j ${fw}`,
        `-A ${fw} -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j ${ext}`,
        `-A ${fw} -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 192.168.0.0/24 -j ${ext}`,
        `-A ${fw} -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 5.6.7.8 -j ${ext}`,
        `-A ${fw} -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"`,
      ],
    );
    assert.deepEqual(rules.filterRules.slice(1, -3), [
      `-A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by ${fw}" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP`,
    ]);
  });

  it("UDP ports use the udp match and their own chains", () => {
    const rules = buildRuleset(
      input(
        [
          service("kube-system/dns", {
            clusterIP: "10.43.0.10",
            ports: [{ name: "dns", port: 53, protocol: "UDP" }],
          }),
        ],
        [
          slice("kube-system/dns", [ep("10.42.0.5")], {
            ports: [{ name: "dns", port: 53, protocol: "UDP" }],
          }),
        ],
      ),
      { clusterCIDR: "10.42.0.0/16" },
    );
    assert.ok(
      rules.natRules.includes(
        '-A KUBE-SERVICES -m comment --comment "kube-system/dns:dns cluster IP" -m udp -p udp -d 10.43.0.10 --dport 53 -j KUBE-SVC-2KKYJRIGYGQNRODB',
      ),
    );
    assert.ok(
      rules.natRules.includes(
        "-A KUBE-SEP-ZYABS4H4PFI4CEEB -m comment --comment kube-system/dns:dns -m udp -p udp -j DNAT --to-destination 10.42.0.5:53",
      ),
    );
  });

  it("options: no cluster CIDR, masqueradeAll, no localhost NodePorts, other mark, no --random-fully", () => {
    const svc = [service("ns1/svc1", { clusterIP: "172.30.0.41" })];
    const eps = [slice("ns1/svc1", [ep("10.180.0.1")])];
    const plain = buildRuleset(input(svc, eps), {});
    assert.ok(
      !plain.natRules.some((l) => l.startsWith(`-A ${SVC1} `) && l.includes("KUBE-MARK-MASQ")),
    );
    const all = buildRuleset(input(svc, eps), {
      masqueradeAll: true,
      localhostNodePorts: false,
      masqueradeMark: "0x8000",
      randomFully: false,
    });
    assert.ok(
      all.natRules.includes(
        `-A ${SVC1} -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-MARK-MASQ`,
      ),
    );
    assert.ok(!all.filterChains.includes("KUBE-FIREWALL"));
    assert.deepEqual(all.natRules.slice(0, 4), [
      "-A KUBE-POSTROUTING -m mark ! --mark 0x8000/0x8000 -j RETURN",
      "-A KUBE-POSTROUTING -j MARK --xor-mark 0x8000",
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE',
      "-A KUBE-MARK-MASQ -j MARK --or-mark 0x8000",
    ]);
    assert.equal(
      all.natRules.at(-1),
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS',
    );
  });

  it("headless and ExternalName services get no rules", () => {
    const rules = buildRuleset(
      input(
        [
          service("ns1/headless", { clusterIP: "None" }),
          service("ns1/ext", { type: "ExternalName", externalName: "example.com" }),
        ],
        [slice("ns1/headless", [ep("10.180.0.1")])],
      ),
      CONFIG,
    );
    assert.deepEqual(rules.natRules, [...NAT_FIXED, NODEPORTS_JUMP]);
    assert.equal(rules.filterRules.length, 4);
  });

  it("the same state always gives the same text, whatever the input order", () => {
    const a = [
      service("ns1/svc1", { clusterIP: "172.30.0.41" }),
      service("ns2/svc2", { clusterIP: "172.30.0.42" }),
    ];
    const s = [slice("ns1/svc1", [ep("10.180.0.1")]), slice("ns2/svc2", [ep("10.180.0.2")])];
    const one = restoreText(buildRuleset(input(a, s), CONFIG));
    const two = restoreText(buildRuleset(input([...a].reverse(), [...s].reverse()), CONFIG));
    assert.equal(one, two);
  });

  it("over 1000 endpoints, per-endpoint comments are left out", () => {
    const eps = Array.from({ length: 1001 }, (_, i) =>
      ep(`10.180.${Math.floor(i / 250)}.${(i % 250) + 1}`),
    );
    const rules = buildRuleset(
      input([service("ns1/svc1", { clusterIP: "172.30.0.41" })], [slice("ns1/svc1", eps)]),
      CONFIG,
    );
    const toSep = rules.natRules.filter((l) => l.startsWith(`-A ${SVC1} -m statistic`));
    assert.equal(toSep.length, 1000);
    assert.match(
      toSep[0] ?? "",
      /^-A KUBE-SVC-\w+ -m statistic --mode random --probability 0.0009990010 -j KUBE-SEP-\w+$/,
    );
    assert.ok(
      rules.natRules.some((l) => /^-A KUBE-SEP-\w+ -s 10\.180\.0\.1 -j KUBE-MARK-MASQ$/.test(l)),
    );
  });
});
