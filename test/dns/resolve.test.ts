import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Answer } from "dns-packet";
import { type LocalAnswer, type Resolution, resolve } from "../../src/dns/resolve.js";
import { clusterIpService, externalService, headlessService, slice, zoneOf } from "./fixtures.js";

function local(res: Resolution): LocalAnswer {
  assert.equal(res.kind, "answer", "answered locally, not forwarded");
  return res as LocalAnswer;
}

/** The data of the answers, as strings, sorted. */
function data(res: Resolution): string[] {
  return local(res)
    .answers.map((a) => {
      const d = (a as { data: unknown }).data;
      if (a.type === "SRV") {
        const s = d as { priority: number; weight: number; port: number; target: string };
        return `${s.priority} ${s.weight} ${s.port} ${s.target}`;
      }
      return typeof d === "string" ? d : JSON.stringify(d);
    })
    .sort();
}

const web = clusterIpService("web", {
  ip: "10.43.0.20",
  ports: [
    { name: "http", port: 80, protocol: "TCP" },
    { name: "dns", port: 53, protocol: "UDP" },
    { port: 9000 },
  ],
});

const db = headlessService("db", { ports: [{ name: "pg", port: 5432 }] });
const dbSlices = [
  slice("db", {
    name: "db-1",
    endpoints: [
      { addresses: ["10.42.0.5"], hostname: "db-0", conditions: { ready: true } },
      { addresses: ["10.42.0.6"], hostname: "db-1" },
      { addresses: ["10.42.0.7"], conditions: { ready: false } },
    ],
    ports: [{ name: "pg", port: 15432, protocol: "TCP" }],
  }),
  // The same address in a second slice (a handover) is one record, not two.
  slice("db", { name: "db-2", endpoints: [{ addresses: ["10.42.0.5"], hostname: "db-0" }] }),
];

const zone = zoneOf([
  { service: web, slices: [slice("web", { endpoints: [{ addresses: ["10.42.0.9"] }] })] },
  { service: db, slices: dbSlices },
  { service: headlessService("empty") },
  { service: externalService("search", "Search.Example.COM.") },
  { service: externalService("alias", "web.default.svc.cluster.local") },
  {
    service: clusterIpService("kube-dns", { namespace: "kube-system", ip: "10.43.0.10" }),
  },
]);

describe("cluster DNS answers (pure)", () => {
  it("answers a ClusterIP service's A record with its cluster IP and TTL 5", () => {
    const res = local(resolve(zone, { name: "Web.Default.svc.cluster.local", type: "A" }));
    assert.equal(res.rcode, "NOERROR");
    assert.deepEqual(res.answers, [
      { type: "A", name: "Web.Default.svc.cluster.local", ttl: 5, class: "IN", data: "10.43.0.20" },
    ]);
  });

  it("answers AAAA for an IPv4 service with no data and the SOA", () => {
    const res = local(resolve(zone, { name: "web.default.svc.cluster.local", type: "AAAA" }));
    assert.equal(res.rcode, "NOERROR");
    assert.deepEqual(res.answers, []);
    assert.equal(res.authorities[0]?.type, "SOA");
  });

  it("answers NXDOMAIN with CoreDNS's SOA for a service that does not exist", () => {
    const res = local(resolve(zone, { name: "nope.default.svc.cluster.local", type: "A" }));
    assert.equal(res.rcode, "NXDOMAIN");
    const soa = res.authorities[0] as Extract<Answer, { type: "SOA" }>;
    assert.equal(soa.name, "cluster.local");
    assert.equal(soa.ttl, 5);
    assert.deepEqual(
      { ...soa.data, serial: 0 },
      {
        mname: "ns.dns.cluster.local",
        rname: "hostmaster.cluster.local",
        serial: 0,
        refresh: 7200,
        retry: 1800,
        expire: 86400,
        minimum: 5,
      },
    );
  });

  it("keeps NXDOMAIN for search-path guesses with too many labels", () => {
    const res = resolve(zone, { name: "www.example.com.default.svc.cluster.local", type: "A" });
    assert.equal(local(res).rcode, "NXDOMAIN");
  });

  it("answers names with descendants (namespace, svc) with no data, not NXDOMAIN", () => {
    for (const name of [
      "default.svc.cluster.local",
      "svc.cluster.local",
      "_tcp.web.default.svc.cluster.local",
    ]) {
      const res = local(resolve(zone, { name, type: "A" }));
      assert.equal(res.rcode, "NOERROR", name);
      assert.deepEqual(res.answers, [], name);
    }
    assert.equal(
      local(resolve(zone, { name: "other.svc.cluster.local", type: "A" })).rcode,
      "NXDOMAIN",
    );
  });

  it("answers SRV for each named port, pointing at the service with glue", () => {
    const res = local(
      resolve(zone, { name: "_http._tcp.web.default.svc.cluster.local", type: "SRV" }),
    );
    assert.deepEqual(data(res), ["0 100 80 web.default.svc.cluster.local"]);
    assert.deepEqual(
      res.additionals.map((a) => [a.name, (a as { data: string }).data]),
      [["web.default.svc.cluster.local", "10.43.0.20"]],
    );
    assert.deepEqual(
      data(resolve(zone, { name: "_dns._udp.web.default.svc.cluster.local", type: "SRV" })),
      ["0 100 53 web.default.svc.cluster.local"],
    );
    const wrongProto = resolve(zone, {
      name: "_http._udp.web.default.svc.cluster.local",
      type: "SRV",
    });
    assert.equal(local(wrongProto).rcode, "NXDOMAIN");
  });

  it("answers SRV at the bare service name for every port, weights shared", () => {
    assert.deepEqual(data(resolve(zone, { name: "web.default.svc.cluster.local", type: "SRV" })), [
      "0 33 53 web.default.svc.cluster.local",
      "0 33 80 web.default.svc.cluster.local",
      "0 33 9000 web.default.svc.cluster.local",
    ]);
  });

  it("answers a headless service with its ready endpoints' addresses", () => {
    assert.deepEqual(data(resolve(zone, { name: "db.default.svc.cluster.local", type: "A" })), [
      "10.42.0.5",
      "10.42.0.6",
    ]);
  });

  it("answers an endpoint's hostname under its headless service (StatefulSet pods)", () => {
    assert.deepEqual(
      data(resolve(zone, { name: "db-1.db.default.svc.cluster.local", type: "A" })),
      ["10.42.0.6"],
    );
    // A not-ready endpoint has no name.
    const unready = resolve(zone, { name: "10-42-0-7.db.default.svc.cluster.local", type: "A" });
    assert.equal(local(unready).rcode, "NXDOMAIN");
    // An endpoint without a hostname answers to its dashed address.
    assert.deepEqual(
      data(resolve(zone, { name: "10-42-0-9.web.default.svc.cluster.local", type: "A" })),
      ["10.42.0.9"],
    );
  });

  it("answers headless SRV with one record per endpoint, on the endpoint port", () => {
    const res = local(
      resolve(zone, { name: "_pg._tcp.db.default.svc.cluster.local", type: "SRV" }),
    );
    assert.deepEqual(data(res), [
      "0 50 15432 db-0.db.default.svc.cluster.local",
      "0 50 15432 db-1.db.default.svc.cluster.local",
    ]);
    assert.deepEqual(res.additionals.map((a) => (a as { data: string }).data).sort(), [
      "10.42.0.5",
      "10.42.0.6",
    ]);
  });

  it("answers NXDOMAIN for a headless service without ready endpoints (DNS spec 2.4.1)", () => {
    const res = resolve(zone, { name: "empty.default.svc.cluster.local", type: "A" });
    assert.equal(local(res).rcode, "NXDOMAIN");
  });

  it("counts not-ready endpoints when the service publishes them", () => {
    const z = zoneOf([
      {
        service: headlessService("peers", { publishNotReady: true }),
        slices: [
          slice("peers", {
            endpoints: [{ addresses: ["10.42.1.1"], conditions: { ready: false } }],
          }),
        ],
      },
    ]);
    assert.deepEqual(data(resolve(z, { name: "peers.default.svc.cluster.local", type: "A" })), [
      "10.42.1.1",
    ]);
  });

  it("answers PTR for cluster IPs and endpoint addresses", () => {
    assert.deepEqual(data(resolve(zone, { name: "20.0.43.10.in-addr.arpa", type: "PTR" })), [
      "web.default.svc.cluster.local",
    ]);
    assert.deepEqual(data(resolve(zone, { name: "5.0.42.10.in-addr.arpa", type: "PTR" })), [
      "db-0.db.default.svc.cluster.local",
    ]);
    assert.deepEqual(data(resolve(zone, { name: "9.0.42.10.in-addr.arpa", type: "PTR" })), [
      "10-42-0-9.web.default.svc.cluster.local",
    ]);
  });

  it("forwards reverse names it does not know, and everything outside the domain", () => {
    assert.equal(resolve(zone, { name: "8.8.8.8.in-addr.arpa", type: "PTR" }).kind, "forward");
    assert.equal(resolve(zone, { name: "example.com", type: "A" }).kind, "forward");
    assert.equal(resolve(zone, { name: "cluster.localhost", type: "A" }).kind, "forward");
  });

  it("answers an ExternalName service with a CNAME and asks for its target upstream", () => {
    const res = local(resolve(zone, { name: "search.default.svc.cluster.local", type: "A" }));
    assert.deepEqual(data(res), ["search.example.com"]);
    assert.deepEqual(res.chase, { name: "search.example.com", type: "A" });
    const cname = local(resolve(zone, { name: "search.default.svc.cluster.local", type: "CNAME" }));
    assert.deepEqual(data(cname), ["search.example.com"]);
    assert.equal(cname.chase, undefined);
  });

  it("follows an ExternalName that points inside the cluster without leaving it", () => {
    const res = local(resolve(zone, { name: "alias.default.svc.cluster.local", type: "A" }));
    assert.deepEqual(
      res.answers.map((a) => `${a.name} ${a.type} ${(a as { data: string }).data}`),
      [
        "alias.default.svc.cluster.local CNAME web.default.svc.cluster.local",
        "web.default.svc.cluster.local A 10.43.0.20",
      ],
    );
    assert.equal(res.chase, undefined);
  });

  it("answers pod names from the name itself (pods insecure)", () => {
    assert.deepEqual(
      data(resolve(zone, { name: "10-42-3-4.any-ns.pod.cluster.local", type: "A" })),
      ["10.42.3.4"],
    );
    const aaaa = local(resolve(zone, { name: "10-42-3-4.any-ns.pod.cluster.local", type: "AAAA" }));
    assert.deepEqual([aaaa.rcode, aaaa.answers.length], ["NOERROR", 0]);
    const bad = resolve(zone, { name: "web.any-ns.pod.cluster.local", type: "A" });
    assert.equal(local(bad).rcode, "NXDOMAIN");
  });

  it("answers the apex SOA and NS, the schema version and the nameserver", () => {
    assert.equal(
      local(resolve(zone, { name: "cluster.local", type: "SOA" })).answers[0]?.type,
      "SOA",
    );
    assert.deepEqual(data(resolve(zone, { name: "cluster.local", type: "NS" })), [
      "ns.dns.cluster.local",
    ]);
    assert.deepEqual(data(resolve(zone, { name: "dns-version.cluster.local", type: "TXT" })), [
      '["1.1.0"]',
    ]);
    assert.deepEqual(data(resolve(zone, { name: "ns.dns.cluster.local", type: "A" })), [
      "10.43.0.10",
    ]);
  });

  it("answers AAAA from IPv6 cluster IPs and endpoint addresses", () => {
    const dual = clusterIpService("dual", { ip: "10.43.0.30" });
    dual.spec = { ...dual.spec, clusterIPs: ["10.43.0.30", "fd00:43::30"] };
    const v6 = headlessService("v6");
    const z = zoneOf([
      { service: dual },
      {
        service: v6,
        slices: [slice("v6", { addressType: "IPv6", endpoints: [{ addresses: ["fd00:42::5"] }] })],
      },
    ]);
    assert.deepEqual(data(resolve(z, { name: "dual.default.svc.cluster.local", type: "AAAA" })), [
      "fd00:43:0:0:0:0:0:30",
    ]);
    assert.deepEqual(data(resolve(z, { name: "dual.default.svc.cluster.local", type: "A" })), [
      "10.43.0.30",
    ]);
    assert.deepEqual(data(resolve(z, { name: "v6.default.svc.cluster.local", type: "AAAA" })), [
      "fd00:42:0:0:0:0:0:5",
    ]);
  });

  it("serves another cluster domain", () => {
    const z = zoneOf([{ service: web }], { domain: "k8s.test" });
    assert.deepEqual(data(resolve(z, { name: "web.default.svc.k8s.test", type: "A" })), [
      "10.43.0.20",
    ]);
    assert.equal(resolve(z, { name: "web.default.svc.cluster.local", type: "A" }).kind, "forward");
  });
});
