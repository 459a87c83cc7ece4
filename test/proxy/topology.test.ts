import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EndpointInfo } from "../../src/proxy/endpoints.js";
import { servicePortsOf } from "../../src/proxy/service-port.js";
import { categorizeEndpoints } from "../../src/proxy/topology.js";
import { info, service } from "./fixtures.js";

const ips = (eps: readonly EndpointInfo[]) => eps.map((e) => e.ip);

function port(spec: Parameters<typeof service>[1]) {
  const [sp] = servicePortsOf(service("ns1/svc1", { clusterIP: "172.30.0.41", ...spec }));
  if (!sp) throw new Error("no port");
  return sp;
}

const NODE_PORT = { type: "NodePort", ports: [{ name: "p80", port: 80, nodePort: 30080 }] };

describe("categorizing endpoints", () => {
  const cases: Array<{
    name: string;
    spec: Parameters<typeof service>[1];
    endpoints: EndpointInfo[];
    labels?: Record<string, string>;
    want: { cluster: string[]; local: string[]; reachable: string[]; hasAny: boolean };
  }> = [
    {
      name: "Cluster policy: every ready endpoint",
      spec: {},
      endpoints: [
        info("10.0.0.1"),
        info("10.0.0.2", { ready: false, serving: false }),
        info("10.0.0.3"),
      ],
      want: {
        cluster: ["10.0.0.1", "10.0.0.3"],
        local: [],
        reachable: ["10.0.0.1", "10.0.0.3"],
        hasAny: true,
      },
    },
    {
      name: "no ready endpoint: serving terminating ones",
      spec: {},
      endpoints: [
        info("10.0.0.1", { ready: false, serving: true, terminating: true }),
        info("10.0.0.2", { ready: false, serving: false, terminating: true }),
      ],
      want: { cluster: ["10.0.0.1"], local: [], reachable: ["10.0.0.1"], hasAny: true },
    },
    {
      name: "nothing usable",
      spec: {},
      endpoints: [info("10.0.0.1", { ready: false, serving: false })],
      want: { cluster: [], local: [], reachable: [], hasAny: false },
    },
    {
      name: "internal Local: only local endpoints, no cluster list",
      spec: { internalTrafficPolicy: "Local" },
      endpoints: [info("10.0.0.1", { isLocal: true }), info("10.0.0.2")],
      want: { cluster: [], local: ["10.0.0.1"], reachable: ["10.0.0.1"], hasAny: true },
    },
    {
      name: "internal Local with none local still knows endpoints exist",
      spec: { internalTrafficPolicy: "Local" },
      endpoints: [info("10.0.0.2")],
      want: { cluster: [], local: [], reachable: [], hasAny: true },
    },
    {
      name: "external Local: cluster list for short-circuits, local list for outside traffic",
      spec: { ...NODE_PORT, externalTrafficPolicy: "Local" },
      endpoints: [info("10.0.0.1", { isLocal: true }), info("10.0.0.2")],
      want: {
        cluster: ["10.0.0.1", "10.0.0.2"],
        local: ["10.0.0.1"],
        reachable: ["10.0.0.1", "10.0.0.2"],
        hasAny: true,
      },
    },
    {
      name: "external Local, local endpoint terminating: it serves Local, and is reachable",
      spec: { ...NODE_PORT, externalTrafficPolicy: "Local" },
      endpoints: [
        info("10.0.0.1", { isLocal: true, ready: false, serving: true, terminating: true }),
        info("10.0.0.2"),
      ],
      want: {
        cluster: ["10.0.0.2"],
        local: ["10.0.0.1"],
        reachable: ["10.0.0.1", "10.0.0.2"],
        hasAny: true,
      },
    },
    {
      name: "zone hints for this node's zone narrow the cluster list",
      spec: {},
      labels: { "topology.kubernetes.io/zone": "z1" },
      endpoints: [info("10.0.0.1", { zoneHints: ["z1"] }), info("10.0.0.2", { zoneHints: ["z2"] })],
      want: { cluster: ["10.0.0.1"], local: [], reachable: ["10.0.0.1"], hasAny: true },
    },
    {
      name: "one endpoint without hints: topology is ignored",
      spec: {},
      labels: { "topology.kubernetes.io/zone": "z1" },
      endpoints: [info("10.0.0.1", { zoneHints: ["z1"] }), info("10.0.0.2")],
      want: {
        cluster: ["10.0.0.1", "10.0.0.2"],
        local: [],
        reachable: ["10.0.0.1", "10.0.0.2"],
        hasAny: true,
      },
    },
    {
      name: "no endpoint hinted for this zone: topology is ignored",
      spec: {},
      labels: { "topology.kubernetes.io/zone": "z3" },
      endpoints: [info("10.0.0.1", { zoneHints: ["z1"] }), info("10.0.0.2", { zoneHints: ["z2"] })],
      want: {
        cluster: ["10.0.0.1", "10.0.0.2"],
        local: [],
        reachable: ["10.0.0.1", "10.0.0.2"],
        hasAny: true,
      },
    },
    {
      name: "topology with external Local: the local endpoint of another zone stays reachable",
      spec: { ...NODE_PORT, externalTrafficPolicy: "Local" },
      labels: { "topology.kubernetes.io/zone": "z1" },
      endpoints: [
        info("10.0.0.1", { zoneHints: ["z1"] }),
        info("10.0.0.2", { zoneHints: ["z2"], isLocal: true }),
      ],
      want: {
        cluster: ["10.0.0.1"],
        local: ["10.0.0.2"],
        reachable: ["10.0.0.1", "10.0.0.2"],
        hasAny: true,
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = categorizeEndpoints(c.endpoints, {
        service: port(c.spec),
        ...(c.labels ? { nodeLabels: c.labels } : {}),
      });
      assert.deepEqual(
        {
          cluster: ips(got.cluster),
          local: ips(got.local),
          reachable: ips(got.reachable),
          hasAny: got.hasAny,
        },
        c.want,
      );
    });
  }
});
