import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Service } from "kubernetes-types/core/v1.js";
import { envVariableName, serviceEnv, visibleServices } from "../../../src/kubelet/env/index.js";

function svc(
  name: string,
  clusterIP: string,
  ports: { name?: string; port: number; protocol?: string }[],
  namespace = "ns",
): Service {
  return { metadata: { name, namespace }, spec: { clusterIP, ports } };
}

describe("envVariableName", () => {
  const cases: [string, string][] = [
    ["foo", "FOO"],
    ["my-svc", "MY_SVC"],
    ["a.b-c", "A_B_C"],
    ["1st", "_1ST"],
  ];
  for (const [input, want] of cases)
    it(`${input} → ${want}`, () => assert.equal(envVariableName(input), want));
});

describe("serviceEnv", () => {
  it("an unnamed single port", () => {
    assert.deepEqual(serviceEnv([svc("foo-bar", "1.2.3.4", [{ port: 8080 }])]), [
      { key: "FOO_BAR_SERVICE_HOST", value: "1.2.3.4" },
      { key: "FOO_BAR_SERVICE_PORT", value: "8080" },
      { key: "FOO_BAR_PORT", value: "tcp://1.2.3.4:8080" },
      { key: "FOO_BAR_PORT_8080_TCP", value: "tcp://1.2.3.4:8080" },
      { key: "FOO_BAR_PORT_8080_TCP_PROTO", value: "tcp" },
      { key: "FOO_BAR_PORT_8080_TCP_PORT", value: "8080" },
      { key: "FOO_BAR_PORT_8080_TCP_ADDR", value: "1.2.3.4" },
    ]);
  });

  it("named ports get _SERVICE_PORT_<NAME>; the first port is the plain one", () => {
    const s = svc("db", "10.0.0.5", [
      { name: "pg", port: 5432 },
      { name: "metrics-http", port: 9187, protocol: "UDP" },
    ]);
    assert.deepEqual(serviceEnv([s]), [
      { key: "DB_SERVICE_HOST", value: "10.0.0.5" },
      { key: "DB_SERVICE_PORT", value: "5432" },
      { key: "DB_SERVICE_PORT_PG", value: "5432" },
      { key: "DB_SERVICE_PORT_METRICS_HTTP", value: "9187" },
      { key: "DB_PORT", value: "tcp://10.0.0.5:5432" },
      { key: "DB_PORT_5432_TCP", value: "tcp://10.0.0.5:5432" },
      { key: "DB_PORT_5432_TCP_PROTO", value: "tcp" },
      { key: "DB_PORT_5432_TCP_PORT", value: "5432" },
      { key: "DB_PORT_5432_TCP_ADDR", value: "10.0.0.5" },
      { key: "DB_PORT_9187_UDP", value: "udp://10.0.0.5:9187" },
      { key: "DB_PORT_9187_UDP_PROTO", value: "udp" },
      { key: "DB_PORT_9187_UDP_PORT", value: "9187" },
      { key: "DB_PORT_9187_UDP_ADDR", value: "10.0.0.5" },
    ]);
  });

  it("skips headless services and services without a cluster IP", () => {
    assert.deepEqual(
      serviceEnv([svc("headless", "None", [{ port: 80 }]), svc("pending", "", [{ port: 80 }])]),
      [],
    );
  });

  it("IPv6 cluster IPs are not bracketed (as upstream)", () => {
    const env = serviceEnv([svc("v6", "fd00::1", [{ port: 53, protocol: "UDP" }])]);
    assert.deepEqual(
      env.find((kv) => kv.key === "V6_PORT"),
      { key: "V6_PORT", value: "udp://fd00::1:53" },
    );
  });
});

describe("visibleServices", () => {
  const kubernetes = svc("kubernetes", "10.96.0.1", [{ name: "https", port: 443 }], "default");
  const other = svc("other", "10.96.0.9", [{ port: 80 }], "default");
  const web = svc("web", "10.96.0.2", [{ port: 80 }], "ns");
  const api = svc("api", "10.96.0.3", [{ port: 80 }], "ns");
  const headless = svc("headless", "None", [{ port: 80 }], "ns");
  const localKubernetes = svc("kubernetes", "10.96.0.50", [{ port: 443 }], "ns");
  const names = (list: Service[]) =>
    list.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`);

  const cases: [string, Service[], string, boolean, string[]][] = [
    [
      "own namespace and the master service, sorted",
      [web, kubernetes, api, headless, other],
      "ns",
      true,
      ["ns/api", "default/kubernetes", "ns/web"],
    ],
    [
      "links disabled: only the master service",
      [web, kubernetes, api],
      "ns",
      false,
      ["default/kubernetes"],
    ],
    [
      "a same-named service in the namespace replaces the master one",
      [kubernetes, localKubernetes],
      "ns",
      true,
      ["ns/kubernetes"],
    ],
    [
      "in default, other default services with links",
      [kubernetes, other],
      "default",
      true,
      ["default/kubernetes", "default/other"],
    ],
    [
      "in default without links, only kubernetes",
      [kubernetes, other],
      "default",
      false,
      ["default/kubernetes"],
    ],
  ];
  for (const [name, services, ns, links, want] of cases) {
    it(name, () => assert.deepEqual(names(visibleServices(services, ns, links)), want));
  }
});
