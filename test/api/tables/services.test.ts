import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  endpointSlicePrinter,
  endpointsPrinter,
  ingressClassPrinter,
  ingressPrinter,
  networkPolicyPrinter,
  servicePrinter,
} from "../../../src/api/tables/services.js";
import { ago, DAY, MIN, NOW, obj } from "./fixtures.js";

function service(spec: Record<string, unknown>, status: Record<string, unknown> = {}) {
  return obj({
    metadata: { name: "my-nginx", creationTimestamp: ago(3 * MIN) },
    spec,
    status,
  });
}

describe("service printer", () => {
  const cases: Array<{
    name: string;
    spec: Record<string, unknown>;
    status?: Record<string, unknown>;
    want: unknown[];
  }> = [
    {
      name: "a NodePort service shows port:nodePort/protocol",
      spec: {
        type: "NodePort",
        clusterIP: "10.43.12.7",
        clusterIPs: ["10.43.12.7"],
        selector: { run: "my-nginx" },
        ports: [{ port: 80, targetPort: 80, nodePort: 30080, protocol: "TCP" }],
      },
      want: ["my-nginx", "NodePort", "10.43.12.7", "<none>", "80:30080/TCP", "3m", "run=my-nginx"],
    },
    {
      name: "a ClusterIP service with two ports joins them",
      spec: {
        type: "ClusterIP",
        clusterIPs: ["10.43.0.10"],
        ports: [
          { name: "dns", port: 53, protocol: "UDP" },
          { name: "dns-tcp", port: 53, protocol: "TCP" },
        ],
        selector: { "k8s-app": "kube-dns" },
      },
      want: [
        "my-nginx",
        "ClusterIP",
        "10.43.0.10",
        "<none>",
        "53/UDP,53/TCP",
        "3m",
        "k8s-app=kube-dns",
      ],
    },
    {
      name: "a headless service without a selector shows None and <none>",
      spec: { type: "ClusterIP", clusterIP: "None", clusterIPs: ["None"], ports: [] },
      want: ["my-nginx", "ClusterIP", "None", "<none>", "<none>", "3m", "<none>"],
    },
    {
      name: "a load balancer waiting for an address shows <pending>",
      spec: {
        type: "LoadBalancer",
        clusterIPs: ["10.43.1.1"],
        ports: [{ port: 443, nodePort: 31443, protocol: "TCP" }],
      },
      want: ["my-nginx", "LoadBalancer", "10.43.1.1", "<pending>", "443:31443/TCP", "3m", "<none>"],
    },
    {
      name: "a load balancer lists its ingress addresses sorted, then external IPs",
      spec: {
        type: "LoadBalancer",
        clusterIPs: ["10.43.1.1"],
        externalIPs: ["192.0.2.9"],
        ports: [{ port: 80, nodePort: 30001, protocol: "TCP" }],
      },
      status: {
        loadBalancer: { ingress: [{ ip: "203.0.113.7" }, { hostname: "lb.example.com" }] },
      },
      want: [
        "my-nginx",
        "LoadBalancer",
        "10.43.1.1",
        "203.0.113.7,lb.example.com,192.0.2.9",
        "80:30001/TCP",
        "3m",
        "<none>",
      ],
    },
    {
      name: "an ExternalName service shows its target name",
      spec: { type: "ExternalName", externalName: "db.example.com" },
      want: ["my-nginx", "ExternalName", "<none>", "db.example.com", "<none>", "3m", "<none>"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(servicePrinter.row(service(c.spec, c.status), NOW), c.want);
    });
  }

  it("declares SELECTOR as the only wide column", () => {
    assert.deepEqual(
      servicePrinter.columns.map((c) => [c.name, c.priority]),
      [
        ["Name", 0],
        ["Type", 0],
        ["Cluster-IP", 0],
        ["External-IP", 0],
        ["Port(s)", 0],
        ["Age", 0],
        ["Selector", 1],
      ],
    );
  });
});

describe("endpoints printer", () => {
  it("prints ip:port pairs", () => {
    const ep = obj({
      metadata: { name: "my-nginx", creationTimestamp: ago(MIN) },
      subsets: [{ addresses: [{ ip: "10.42.0.5" }, { ip: "10.42.0.6" }], ports: [{ port: 80 }] }],
    });
    assert.deepEqual(endpointsPrinter.row(ep, NOW), [
      "my-nginx",
      "10.42.0.5:80,10.42.0.6:80",
      "60s",
    ]);
  });

  it("truncates after three with + N more...", () => {
    const ep = obj({
      metadata: { name: "big" },
      subsets: [
        {
          addresses: [{ ip: "10.0.0.1" }, { ip: "10.0.0.2" }, { ip: "fd00::3" }],
          ports: [
            { name: "http", port: 80 },
            { name: "https", port: 443 },
          ],
        },
      ],
    });
    assert.equal(
      endpointsPrinter.row(ep, NOW)[1],
      "10.0.0.1:80,10.0.0.2:80,[fd00::3]:80 + 3 more...",
    );
  });

  it("prints bare IPs for a headless service without ports, and <none> without subsets", () => {
    const headless = obj({
      metadata: { name: "h" },
      subsets: [{ addresses: [{ ip: "10.0.0.1" }] }],
    });
    assert.equal(endpointsPrinter.row(headless, NOW)[1], "10.0.0.1");
    assert.equal(endpointsPrinter.row(obj({ metadata: { name: "e" } }), NOW)[1], "<none>");
  });
});

describe("endpoint slice printer", () => {
  it("prints address type, ports and addresses with truncation", () => {
    const slice = obj({
      metadata: { name: "my-nginx-abcde", creationTimestamp: ago(2 * DAY) },
      addressType: "IPv4",
      ports: [{ name: "http", port: 80, protocol: "TCP" }, { name: "named" }, {}],
      endpoints: [
        { addresses: ["10.42.0.5"] },
        { addresses: ["10.42.0.6"] },
        { addresses: ["10.42.0.7"] },
        { addresses: ["10.42.0.8"] },
      ],
    });
    assert.deepEqual(endpointSlicePrinter.row(slice, NOW), [
      "my-nginx-abcde",
      "IPv4",
      "80,named,*",
      "10.42.0.5,10.42.0.6,10.42.0.7 + 1 more...",
      "2d",
    ]);
  });

  it("prints <unset> for an empty slice", () => {
    const slice = obj({ metadata: { name: "s" }, addressType: "IPv6" });
    assert.deepEqual(endpointSlicePrinter.row(slice, NOW).slice(1, 4), [
      "IPv6",
      "<unset>",
      "<unset>",
    ]);
  });
});

describe("ingress printer", () => {
  it("prints class, hosts, address and TLS ports", () => {
    const ing = obj({
      metadata: { name: "web", creationTimestamp: ago(MIN) },
      spec: {
        ingressClassName: "nginx",
        tls: [{ hosts: ["a.example.com"] }],
        rules: [
          { host: "a.example.com" },
          { host: "b.example.com" },
          {},
          { host: "c.example.com" },
          { host: "d.example.com" },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: "192.0.2.1" }] } },
    });
    assert.deepEqual(ingressPrinter.row(ing, NOW), [
      "web",
      "nginx",
      "a.example.com,b.example.com,c.example.com + 2 more...",
      "192.0.2.1",
      "80, 443",
      "60s",
    ]);
  });

  it("prints * for host-less rules and <none> without a class", () => {
    const ing = obj({ metadata: { name: "any" }, spec: { rules: [{}] } });
    assert.deepEqual(ingressPrinter.row(ing, NOW).slice(1, 5), ["<none>", "*", "", "80"]);
  });
});

describe("ingress class printer", () => {
  it("prints controller and parameters reference", () => {
    const ic = obj({
      metadata: { name: "nginx" },
      spec: {
        controller: "k8s.io/ingress-nginx",
        parameters: { apiGroup: "k8s.example.com", kind: "IngressParameters", name: "external-lb" },
      },
    });
    assert.deepEqual(ingressClassPrinter.row(ic, NOW).slice(0, 3), [
      "nginx",
      "k8s.io/ingress-nginx",
      "IngressParameters.k8s.example.com/external-lb",
    ]);
  });
});

describe("network policy printer", () => {
  it("prints the pod selector, <none> when it selects all pods", () => {
    const np = obj({ metadata: { name: "deny" }, spec: { podSelector: {} } });
    assert.equal(networkPolicyPrinter.row(np, NOW)[1], "<none>");
    const web = obj({
      metadata: { name: "web" },
      spec: { podSelector: { matchLabels: { role: "db" } } },
    });
    assert.equal(networkPolicyPrinter.row(web, NOW)[1], "role=db");
  });
});
