import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod, PodSpec } from "kubernetes-types/core/v1.js";
import {
  fitNameservers,
  fitSearches,
  type HostResolvConf,
  mergeDnsOptions,
  type PodDnsOptions,
  podDnsConfig,
  resolvePodDns,
} from "../../../src/kubelet/dns/index.js";

const host: HostResolvConf = {
  servers: ["192.168.0.1", "8.8.8.8"],
  searches: ["corp.example", "cluster.local"],
  options: ["ndots:2", "timeout:1"],
};
const opts: PodDnsOptions = { clusterDNS: ["10.96.0.10"], clusterDomain: "cluster.local", host };

function pod(spec: Partial<PodSpec> = {}): Pod {
  return {
    metadata: { name: "p", namespace: "shop", uid: "u1" },
    spec: { containers: [], ...spec },
  };
}

const CLUSTER_SEARCH = [
  "shop.svc.cluster.local",
  "svc.cluster.local",
  "cluster.local",
  "corp.example",
];
const CLUSTER = { servers: ["10.96.0.10"], searches: CLUSTER_SEARCH, options: ["ndots:5"] };
const HOST = { servers: host.servers, searches: host.searches, options: host.options };

describe("podDnsConfig", () => {
  const cases: [string, Pod, PodDnsOptions, object][] = [
    ["ClusterFirst by default", pod(), opts, CLUSTER],
    ["ClusterFirst", pod({ dnsPolicy: "ClusterFirst" }), opts, CLUSTER],
    [
      "ClusterFirst on the host network is Default",
      pod({ dnsPolicy: "ClusterFirst", hostNetwork: true }),
      opts,
      HOST,
    ],
    [
      "ClusterFirstWithHostNet on the host network",
      pod({ dnsPolicy: "ClusterFirstWithHostNet", hostNetwork: true }),
      opts,
      CLUSTER,
    ],
    [
      "ClusterFirstWithHostNet off the host network",
      pod({ dnsPolicy: "ClusterFirstWithHostNet" }),
      opts,
      CLUSTER,
    ],
    ["Default", pod({ dnsPolicy: "Default" }), opts, HOST],
    [
      "None without dnsConfig is empty",
      pod({ dnsPolicy: "None" }),
      opts,
      { servers: [], searches: [], options: [] },
    ],
    ["an unknown policy is ClusterFirst", pod({ dnsPolicy: "Bogus" }), opts, CLUSTER],
    [
      "ClusterFirst without cluster DNS falls back to Default",
      pod(),
      { ...opts, clusterDNS: [] },
      HOST,
    ],
    [
      "ClusterFirst without a cluster domain keeps the host search path",
      pod(),
      { ...opts, clusterDomain: "" },
      { servers: ["10.96.0.10"], searches: host.searches, options: ["ndots:5"] },
    ],
    [
      "ClusterFirst without a host resolv.conf",
      pod(),
      { ...opts, host: undefined },
      { servers: ["10.96.0.10"], searches: CLUSTER_SEARCH.slice(0, 3), options: ["ndots:5"] },
    ],
    [
      "Default without a host resolv.conf: loopback and '.'",
      pod({ dnsPolicy: "Default" }),
      { ...opts, host: undefined },
      { servers: ["127.0.0.1"], searches: ["."], options: [] },
    ],
    [
      "Default without a host resolv.conf on a dual-stack node",
      pod({ dnsPolicy: "Default" }),
      { ...opts, host: undefined, nodeIPs: ["fd00::1", "10.0.0.1"] },
      { servers: ["::1", "127.0.0.1"], searches: ["."], options: [] },
    ],
    [
      "None with dnsConfig",
      pod({
        dnsPolicy: "None",
        dnsConfig: {
          nameservers: ["1.1.1.1", "1.1.1.1"],
          searches: ["a.example"],
          options: [{ name: "ndots", value: "1" }, { name: "edns0" }],
        },
      }),
      opts,
      { servers: ["1.1.1.1"], searches: ["a.example"], options: ["ndots:1", "edns0"] },
    ],
    [
      "ClusterFirst with dnsConfig: appended, deduplicated, options replaced by name",
      pod({
        dnsConfig: {
          nameservers: ["10.96.0.10", "9.9.9.9"],
          searches: ["svc.cluster.local", "extra.example"],
          options: [{ name: "ndots", value: "2" }, { name: "single-request-reopen" }],
        },
      }),
      opts,
      {
        servers: ["10.96.0.10", "9.9.9.9"],
        searches: [...CLUSTER_SEARCH, "extra.example"],
        options: ["ndots:2", "single-request-reopen"],
      },
    ],
  ];
  for (const [name, p, o, want] of cases) {
    it(name, () => assert.deepEqual(podDnsConfig(p, o), want));
  }

  it("warns when cluster DNS is missing", () => {
    const { warnings } = resolvePodDns(
      pod({ dnsPolicy: "ClusterFirstWithHostNet", hostNetwork: true }),
      { ...opts, clusterDNS: [] },
    );
    assert.deepEqual(warnings, [
      {
        reason: "MissingClusterDNS",
        message:
          'pod: "p_shop(u1)". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
      },
    ]);
  });

  it("no warning for a host-network ClusterFirst pod without cluster DNS", () => {
    assert.deepEqual(
      resolvePodDns(pod({ hostNetwork: true }), { ...opts, clusterDNS: [] }).warnings,
      [],
    );
  });

  it("cuts nameservers to 3 and search domains to 32, with warnings", () => {
    const searches = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
    const { config, warnings } = resolvePodDns(
      pod({
        dnsPolicy: "None",
        dnsConfig: { nameservers: ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"], searches },
      }),
      opts,
    );
    assert.deepEqual(config.servers, ["1.1.1.1", "2.2.2.2", "3.3.3.3"]);
    assert.deepEqual(config.searches, searches.slice(0, 32));
    assert.deepEqual(
      warnings.map((w) => w.reason),
      ["DNSConfigForming", "DNSConfigForming"],
    );
    assert.equal(
      warnings[0]?.message,
      "Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 1.1.1.1 2.2.2.2 3.3.3.3",
    );
    assert.equal(
      warnings[1]?.message,
      `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.slice(0, 32).join(" ")}`,
    );
  });
});

describe("fitSearches", () => {
  // 2048 = 128 + 127 * 15 + 15 separators
  const list2048 = ["A".repeat(128), ...Array.from({ length: 15 }, () => "A".repeat(127))];
  const base = ["testNS.svc.TEST", "svc.TEST", "TEST"];
  const cases: [string, string[], string[], boolean][] = [
    ["3 search paths", base, base, false],
    ["5 search paths", [...base, "AAA", "BBB"], [...base, "AAA", "BBB"], false],
    [
      "a path over 253 characters is dropped",
      [...base, "AAA", "B".repeat(254), "BBB"],
      [...base, "AAA", "BBB"],
      true,
    ],
    [
      "a path of exactly 253 characters stays",
      [...base, "B".repeat(253)],
      [...base, "B".repeat(253)],
      false,
    ],
    ["2048 characters fit", list2048, list2048, false],
    ["2050 characters: the last domain goes", [...list2048, "B"], list2048, true],
    [
      "32 paths fit",
      Array.from({ length: 32 }, (_, i) => `${i}`),
      Array.from({ length: 32 }, (_, i) => `${i}`),
      false,
    ],
    [
      "33 paths: the last goes",
      Array.from({ length: 33 }, (_, i) => `${i}`),
      Array.from({ length: 32 }, (_, i) => `${i}`),
      true,
    ],
  ];
  for (const [name, input, want, warns] of cases) {
    it(name, () => {
      const got = fitSearches(input);
      assert.deepEqual(got.searches, want);
      assert.equal(got.warning !== undefined, warns);
    });
  }

  it("the line limit drops as many trailing domains as needed", () => {
    const long = Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(250, "x"));
    const got = fitSearches(long);
    assert.equal(got.searches.length, 8); // 8 * 251 - 1 = 2007 <= 2048 < 9 * 251 - 1
  });
});

describe("fitNameservers", () => {
  it("keeps up to 3", () => {
    assert.deepEqual(fitNameservers(["a", "b", "c"]), { servers: ["a", "b", "c"] });
    assert.deepEqual(fitNameservers(["a", "b", "c", "d"]).servers, ["a", "b", "c"]);
  });
});

describe("mergeDnsOptions", () => {
  const cases: [string, string[], { name?: string; value?: string }[], string[]][] = [
    ["no extra options", ["ndots:5", "debug"], [], ["ndots:5", "debug"]],
    [
      "no duplicates",
      ["ndots:5", "debug"],
      [{ name: "single-request" }, { name: "attempts", value: "3" }],
      ["ndots:5", "debug", "single-request", "attempts:3"],
    ],
    [
      "duplicates overwritten in place",
      ["ndots:5", "debug"],
      [
        { name: "ndots", value: "3" },
        { name: "debug" },
        { name: "single-request" },
        { name: "attempts", value: "3" },
      ],
      ["ndots:3", "debug", "single-request", "attempts:3"],
    ],
    ["a value removed by an option without one", ["timeout:2"], [{ name: "timeout" }], ["timeout"]],
  ];
  for (const [name, existing, extra, want] of cases)
    it(name, () => assert.deepEqual(mergeDnsOptions(existing, extra), want));
});
