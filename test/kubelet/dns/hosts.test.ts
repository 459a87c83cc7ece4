import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod, PodSpec } from "kubernetes-types/core/v1.js";
import {
  hostNetworkHostsFile,
  hostsFile,
  PodHostnameError,
  podHostname,
} from "../../../src/kubelet/dns/index.js";

function pod(name: string, spec: Partial<PodSpec> = {}): Pod {
  return { metadata: { name, namespace: "shop" }, spec: { containers: [], ...spec } };
}

describe("podHostname", () => {
  const long = `${"a".repeat(61)}-.xyz`;
  const cases: [string, Pod, { hostname: string; domain?: string }][] = [
    ["the pod name", pod("web-0"), { hostname: "web-0" }],
    ["spec.hostname wins", pod("web-0", { hostname: "db" }), { hostname: "db" }],
    [
      "subdomain gives the domain",
      pod("web-0", { hostname: "db", subdomain: "backend" }),
      { hostname: "db", domain: "backend.shop.svc.cluster.local" },
    ],
    ["a long pod name is cut to 63", pod("x".repeat(70)), { hostname: "x".repeat(63) }],
    ["trailing '-' and '.' are trimmed after the cut", pod(long), { hostname: "a".repeat(61) }],
    ["exactly 63 is kept", pod(`${"y".repeat(62)}-`), { hostname: `${"y".repeat(62)}-` }],
  ];
  for (const [name, p, want] of cases)
    it(name, () => assert.deepEqual(podHostname(p, "cluster.local"), want));

  const errors: [string, Pod, string][] = [
    [
      "invalid spec.hostname",
      pod("p", { hostname: "Bad_Name" }),
      'pod Hostname "Bad_Name" is not a valid DNS label: ',
    ],
    [
      "invalid subdomain",
      pod("p", { subdomain: "a.b" }),
      'pod Subdomain "a.b" is not a valid DNS label: must not contain dots',
    ],
    [
      "a name that is only dots and dashes after the cut",
      pod("-".repeat(70)),
      `hostname for pod "${"-".repeat(70)}" was invalid: "${"-".repeat(70)}"`,
    ],
  ];
  for (const [name, p, prefix] of errors) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => podHostname(p, "cluster.local"),
        (err: unknown) => err instanceof PodHostnameError && err.message.startsWith(prefix),
      );
    });
  }
});

const LOCALHOST =
  "# Kubernetes-managed hosts file.\n" +
  "127.0.0.1\tlocalhost\n" +
  "::1\tlocalhost ip6-localhost ip6-loopback\n" +
  "fe00::0\tip6-localnet\n" +
  "fe00::0\tip6-mcastprefix\n" +
  "fe00::1\tip6-allnodes\n" +
  "fe00::2\tip6-allrouters\n";

describe("hostsFile", () => {
  const cases: [string, Pod, string[], string][] = [
    ["hostname only", pod("web-0"), ["10.1.0.5"], `${LOCALHOST}10.1.0.5\tweb-0\n`],
    ["no IPs", pod("web-0"), [], LOCALHOST],
    [
      "with a subdomain: FQDN then hostname, for each IP",
      pod("web-0", { subdomain: "web" }),
      ["10.1.0.5", "fd00::5"],
      `${LOCALHOST}10.1.0.5\tweb-0.web.shop.svc.cluster.local\tweb-0\nfd00::5\tweb-0.web.shop.svc.cluster.local\tweb-0\n`,
    ],
    [
      "hostAliases",
      pod("web-0", {
        hostAliases: [
          { ip: "127.0.0.1", hostnames: ["foo.local", "bar.local"] },
          { ip: "10.1.2.3", hostnames: ["foo.remote"] },
        ],
      }),
      ["10.1.0.5"],
      `${LOCALHOST}10.1.0.5\tweb-0\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfoo.remote\n`,
    ],
    [
      "empty hostAliases add nothing",
      pod("web-0", { hostAliases: [] }),
      ["10.1.0.5"],
      `${LOCALHOST}10.1.0.5\tweb-0\n`,
    ],
  ];
  for (const [name, p, ips, want] of cases)
    it(name, () => assert.equal(hostsFile(p, ips, "cluster.local"), want));
});

describe("hostNetworkHostsFile", () => {
  const node = "127.0.0.1 localhost\n192.168.1.10 node-a\n";
  it("the node's file under its own header", () => {
    assert.equal(
      hostNetworkHostsFile(node, undefined),
      `# Kubernetes-managed hosts file (host network).\n${node}`,
    );
  });
  it("with aliases after it", () => {
    assert.equal(
      hostNetworkHostsFile(node, [{ ip: "10.0.0.1", hostnames: ["a", "b"] }]),
      `# Kubernetes-managed hosts file (host network).\n${node}\n# Entries added by HostAliases.\n10.0.0.1\ta\tb\n`,
    );
  });
});
