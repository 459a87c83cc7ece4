import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { indexServices, resolveBackend } from "../../src/ingress/backends.js";
import { RoundRobin } from "../../src/ingress/balancer.js";
import { backend, service, slice } from "./fixtures.js";

const web = service("web", [
  { name: "http", port: 80 },
  { name: "admin", port: 9000 },
]);
const slices = [
  slice("web", {
    ports: [
      { name: "http", port: 8080 },
      { name: "admin", port: 9090 },
    ],
    ready: ["10.0.0.2", "10.0.0.1"],
    notReady: ["10.0.0.9"],
  }),
  slice("web", {
    suffix: "b",
    ports: [{ name: "http", port: 8080 }],
    ready: ["10.0.0.1", "10.0.0.3"],
  }),
];
const index = indexServices([web], slices);
const resolve = (ref: string, ns = "default") =>
  resolveBackend({ namespace: ns, backend: backend(ref) }, index);
const addrs = (b: ReturnType<typeof resolve>) => b.endpoints.map((e) => `${e.host}:${e.port}`);

describe("ingress backends", () => {
  it("resolves a service port by number to the ready endpoints of its target port, deduplicated", () => {
    const b = resolve("web:80");
    assert.equal(b.key, "default/web:80");
    assert.deepEqual(addrs(b), ["10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080"]);
  });

  it("resolves a service port by name", () => {
    assert.deepEqual(addrs(resolve("web:admin")), ["10.0.0.1:9090", "10.0.0.2:9090"]);
  });

  it("has no endpoints, and says why, for a missing service, port, or ready endpoint", () => {
    assert.match(resolve("nope:80").problem ?? "", /not found/);
    assert.match(resolve("web:81").problem ?? "", /no such port/);
    assert.match(resolve("web:80", "other").problem ?? "", /not found/);
    const idle = indexServices([service("idle", [{ port: 80 }])], []);
    const b = resolveBackend({ namespace: "default", backend: backend("idle:80") }, idle);
    assert.deepEqual([b.endpoints.length, b.problem], [0, "no endpoints"]);
  });

  it("reaches an ExternalName service by its name on the service port", () => {
    const ext = indexServices(
      [
        {
          metadata: { name: "ext", namespace: "default" },
          spec: { type: "ExternalName", externalName: "example.org" },
        },
      ],
      [],
    );
    const b = resolveBackend({ namespace: "default", backend: backend("ext:443") }, ext);
    assert.deepEqual(addrs(b), ["example.org:443"]);
  });

  it("round-robins over endpoints, keeping turns per backend", () => {
    const rr = new RoundRobin();
    const b = resolve("web:80");
    const seen = [rr.next(b), rr.next(b), rr.next(b), rr.next(b)].map((e) => e?.host);
    assert.deepEqual(seen, ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.1"]);
    assert.equal(rr.next(resolve("nope:80")), undefined);
  });
});
