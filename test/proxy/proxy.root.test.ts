// Root suite: the proxy against a real API server, programming iptables in
// a network namespace of its own (never the host's), with Services and
// EndpointSlices made by the real kubectl and real TCP/UDP traffic through
// the rules it writes. Expected lines are spelled as iptables-nft-save prints
// them: every comment quoted, -s/-d/-p moved to the front.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { RestClient } from "../../src/client/rest/client.js";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { type CommandRunner, netnsRunner } from "../../src/proxy/exec.js";
import { endpointChain, portProtoHash } from "../../src/proxy/names.js";
import { cleanupRules, KubeProxy } from "../../src/proxy/proxy.js";
import { silentLogger } from "../../src/util/log.js";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { kubectlOk } from "../support/kubectl.js";
import { buildLab, eventually, inNs, type Lab, rulesSnapshot, tcpRequest } from "./lab.js";

const NODE = "node-a";
const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

/** `k8ts ARGS...` from source, run inside a namespace (so its iptables commands land there). */
function k8tsIn(ns: string, args: string[]) {
  const script = `const { main } = await import(${JSON.stringify(MAIN)}); await main([process.argv[0], "k8ts", ...process.argv.slice(1)]);`;
  return inNs(
    ns,
    [process.execPath, "--import", "tsx", "--input-type=module", "-e", script, "--", ...args],
    {
      timeoutMs: 60_000,
    },
  );
}
const WEB = `KUBE-SVC-${portProtoHash("default/web:http", "tcp")}`;
const WEB_EXT = `KUBE-EXT-${portProtoHash("default/web:http", "tcp")}`;
const SEP_POD1 = endpointChain({ name: "default/web:http", protocol: "tcp" }, "10.42.1.2:8080");
const SEP_POD2 = endpointChain({ name: "default/web:http", protocol: "tcp" }, "10.42.2.2:8080");

function webSlice(endpoints: Array<{ ip: string; node: string }>): string {
  return `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-1
  labels: { kubernetes.io/service-name: web }
addressType: IPv4
ports: [{ name: http, port: 8080, protocol: TCP }]
endpoints:
${endpoints.map((e) => `  - { addresses: ["${e.ip}"], nodeName: ${e.node}, conditions: { ready: true } }`).join("\n")}
`;
}

const MANIFESTS = `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080, nodePort: 30080 }]
---
apiVersion: v1
kind: Service
metadata: { name: empty }
spec:
  selector: { app: nothing }
  ports: [{ name: http, port: 80 }]
---
${webSlice([
  { ip: "10.42.1.2", node: NODE },
  { ip: "10.42.2.2", node: "node-b" },
])}`;

describe("kube-proxy in a network namespace", { concurrency: false }, () => {
  let api: TestApiServer | undefined;
  let lab: Lab | undefined;
  let rest: RestClient | undefined;
  let proxy: KubeProxy | undefined;
  let kubeconfig = "";
  let before_ = "";
  const ips: Record<string, string> = {};
  /** Every command the proxy ran, to check what a steady-state sync costs. */
  const commands: string[] = [];
  const nat = () => inNs(lab?.node ?? "", ["iptables-save", "-t", "nat"]).stdout;
  const filter = () => inNs(lab?.node ?? "", ["iptables-save", "-t", "filter"]).stdout;

  before(async () => {
    lab = await buildLab(String(process.pid));
    // Rules that are not ours, which cleanup must leave exactly as they are.
    inNs(lab.node, [
      "iptables",
      "-t",
      "nat",
      "-A",
      "POSTROUTING",
      "-s",
      "192.0.2.0/24",
      "-j",
      "MASQUERADE",
    ]);
    inNs(lab.node, [
      "iptables",
      "-t",
      "filter",
      "-A",
      "INPUT",
      "-s",
      "198.51.100.1/32",
      "-j",
      "DROP",
    ]);
    before_ = rulesSnapshot(lab.node);
    api = await startTestApiServer();
    kubeconfig = api.adminKubeconfig;
    await kubectlOk(kubeconfig, ["apply", "-f", "-"], { input: MANIFESTS });
    for (const svc of ["web", "empty"])
      ips[svc] = await kubectlOk(kubeconfig, [
        "get",
        "svc",
        svc,
        "-o",
        "jsonpath={.spec.clusterIP}",
      ]);
    rest = new RestClient({
      ...loadKubeconfig({ path: kubeconfig }),
      userAgent: "k8ts-proxy-test",
    });
    const inNode = netnsRunner(lab.node);
    const recording: CommandRunner = {
      run: (argv, opts) => {
        commands.push(argv[0] ?? "");
        return inNode.run(argv, opts);
      },
    };
    proxy = new KubeProxy(rest, {
      hostname: NODE,
      clusterCIDR: "10.42.0.0/16",
      runner: recording,
      minSyncPeriodMs: 200,
      log: silentLogger,
    });
    await proxy.start();
  });

  after(async () => {
    await proxy?.stop().catch(() => {});
    rest?.close();
    await lab?.destroy();
    await api?.stop();
  });

  it("writes the service's chains and the jumps to them", async () => {
    const text = await eventually("the web service's chains", () => {
      const t = nat();
      return t.includes(`:${SEP_POD2} `) ? t : undefined;
    });
    const web = ips.web ?? "";
    assert.match(
      text,
      /^-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES$/m,
    );
    assert.match(
      text,
      /^-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES$/m,
    );
    assert.match(
      text,
      /^-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING$/m,
    );
    assert.ok(
      text.includes(
        `-A KUBE-SERVICES -d ${web}/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j ${WEB}`,
      ),
      text,
    );
    assert.ok(
      text.includes(
        `-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web:http" -m tcp --dport 30080 -j ${WEB_EXT}`,
      ),
      text,
    );
    assert.ok(
      text.includes(
        `-A ${WEB} -m comment --comment "default/web:http -> 10.42.1.2:8080" -m statistic --mode random --probability 0.50000000000 -j ${SEP_POD1}`,
      ),
      text,
    );
    assert.ok(
      text.includes(
        `-A ${WEB} -m comment --comment "default/web:http -> 10.42.2.2:8080" -j ${SEP_POD2}`,
      ),
      text,
    );
    assert.ok(
      text.includes(
        `-A ${SEP_POD1} -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.42.1.2:8080`,
      ),
      text,
    );
    assert.ok(
      text.includes(
        `-A ${WEB} ! -s 10.42.0.0/16 -d ${web}/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
      ),
      text,
    );
    assert.match(
      text,
      /^-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS$/m,
    );
    assert.ok(
      filter().includes(
        `-A KUBE-SERVICES -d ${ips.empty}/32 -p tcp -m comment --comment "default/empty:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable`,
      ),
    );
  });

  it("DNATs cluster-IP traffic from the node, from pods (hairpin too) and from outside to both endpoints", () => {
    const web = { ip: ips.web ?? "", port: 80 };
    for (const from of [lab?.node ?? "", lab?.pods[0]?.ns ?? "", lab?.client ?? ""]) {
      const seen = new Set<string>();
      for (let i = 0; i < 24 && seen.size < 2; i++) seen.add(tcpRequest(from, web));
      assert.deepEqual([...seen].sort(), ["pod1", "pod2"], `from ${from}`);
    }
  });

  it("serves the NodePort on the node's address, on 127.0.0.1 and from outside", () => {
    const node = lab?.node ?? "";
    assert.match(tcpRequest(node, { ip: "192.168.77.1", port: 30080 }), /^pod[12]$/);
    assert.match(tcpRequest(node, { ip: "127.0.0.1", port: 30080 }), /^pod[12]$/);
    assert.match(tcpRequest(lab?.client ?? "", { ip: "192.168.77.1", port: 30080 }), /^pod[12]$/);
  });

  it("rejects connections to a service without endpoints at once", () => {
    const started = Date.now();
    const r = inNs(lab?.node ?? "", ["busybox", "nc", "-w", "5", ips.empty ?? "", "80"]);
    assert.notEqual(r.code, 0);
    assert.ok(Date.now() - started < 3000, "refused, not timed out");
  });

  it("follows endpoint changes with one partial iptables-restore, deleting the removed endpoint's chain", async () => {
    commands.length = 0;
    await kubectlOk(kubeconfig, ["apply", "-f", "-"], {
      input: webSlice([{ ip: "10.42.1.2", node: NODE }]),
    });
    const text = await eventually("pod2's chain to go", () => {
      const t = nat();
      return t.includes(SEP_POD2) ? undefined : t;
    });
    assert.ok(
      text.includes(
        `-A ${WEB} -m comment --comment "default/web:http -> 10.42.1.2:8080" -j ${SEP_POD1}`,
      ),
      text,
    );
    for (let i = 0; i < 6; i++)
      assert.equal(tcpRequest(lab?.node ?? "", { ip: ips.web ?? "", port: 80 }), "pod1");
    await proxy?.settled();
    // Partial: no iptables-save, no jump checks; untouched chains are trusted to be as written.
    assert.deepEqual([...new Set(commands)], ["iptables-restore"]);
    assert.equal(proxy?.fullSyncCount, 1);
  });

  it("clears UDP conntrack entries that point at a removed endpoint", async (t) => {
    if (inNs(lab?.node ?? "", ["conntrack", "--version"]).code !== 0) {
      t.skip("conntrack is not installed");
      return;
    }
    const slice = (ip: string) => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: dns-1, labels: { kubernetes.io/service-name: dns } }
addressType: IPv4
ports: [{ name: dns, port: 5353, protocol: UDP }]
endpoints: [{ addresses: ["${ip}"], conditions: { ready: true } }]
`;
    await kubectlOk(kubeconfig, ["apply", "-f", "-"], {
      input: `apiVersion: v1
kind: Service
metadata: { name: dns }
spec: { ports: [{ name: dns, port: 53, protocol: UDP }] }
---
${slice("10.42.1.2")}`,
    });
    const dns = await kubectlOk(kubeconfig, [
      "get",
      "svc",
      "dns",
      "-o",
      "jsonpath={.spec.clusterIP}",
    ]);
    const dnsChain = endpointChain({ name: "default/dns:dns", protocol: "udp" }, "10.42.1.2:5353");
    await eventually("the dns chains", () => (nat().includes(dnsChain) ? true : undefined));
    // One datagram: conntrack keeps the flow DNATed to pod1 (nothing answers, the entry stays).
    const send = `const s=require("dgram").createSocket("udp4");s.bind(40053,()=>s.send("x",53,${JSON.stringify(dns)},()=>s.close()))`;
    inNs(lab?.node ?? "", [process.execPath, "-e", send]);
    const flows = () =>
      inNs(lab?.node ?? "", ["conntrack", "-L", "-p", "udp", "--orig-dst", dns]).stdout;
    assert.match(flows(), /dport=53 .*src=10\.42\.1\.2 /, "a flow to pod1 before the change");
    await kubectlOk(kubeconfig, ["apply", "-f", "-"], { input: slice("10.42.2.2") });
    await eventually("the stale flow to be cleared", () =>
      /src=10\.42\.1\.2 /.test(flows()) ? undefined : true,
    );
  });

  it("removes a deleted service's chains", async () => {
    await kubectlOk(kubeconfig, ["delete", "service", "web", "dns"]);
    await kubectlOk(kubeconfig, ["delete", "endpointslice", "web-1", "dns-1"]);
    // The two deletions may land in separate syncs: wait for both.
    // Only the API server's own `kubernetes` Service keeps its chains.
    const text = await eventually("every other service chain to go", () => {
      const t = nat();
      const others = t
        .split("\n")
        .filter(
          (l) => /^-A KUBE-(SVC|SEP|EXT)-/.test(l) && !l.includes("default/kubernetes:https"),
        );
      return others.length > 0 ? undefined : t;
    });
    assert.ok(!text.includes(WEB) && !text.includes(SEP_POD1), text);
    assert.match(text, /^:KUBE-SERVICES /m, "the top-level chains stay");
  });

  it("cleanup leaves the rules exactly as they were before", async () => {
    await proxy?.cleanup();
    const after_ = rulesSnapshot(lab?.node ?? "");
    assert.ok(!after_.includes("KUBE-"), after_);
    assert.equal(after_, before_);
  });

  it("`k8ts proxy --cleanup` removes rules left by a proxy that stopped", async () => {
    const runner = { netns: lab?.node ?? "" };
    // Leave rules behind as a killed proxy would, then clean them up from the CLI.
    const leftover = new KubeProxy(rest as RestClient, {
      hostname: NODE,
      ...runner,
      log: silentLogger,
      configureHost: false,
    });
    await leftover.start();
    await leftover.stop();
    assert.ok(rulesSnapshot(runner.netns).includes("KUBE-SERVICES"));
    const r = k8tsIn(runner.netns, ["proxy", "--cleanup"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rulesSnapshot(runner.netns), before_);
    assert.equal(await cleanupRules(runner), false, "nothing left to remove");
  });
});
