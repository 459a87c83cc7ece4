// System suite: the Endpoints controller against a real API server, observed
// with the real kubectl. No kubelet: the tests write pod IPs and readiness.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Endpoints } from "kubernetes-types/core/v1.js";
import { EndpointsController } from "../../../src/controllers/endpoint/controller.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";
import { getJson, runPod, serviceManifest, startPod } from "./fixtures.js";

describe("endpoints controller", () => {
  let h: ControllerHarness;
  const endpoints = (name: string) => getJson<Endpoints>(h, ["endpoints", name]);
  const endpointsWhere = (name: string, ok: (ep: Endpoints) => boolean) =>
    until(`endpoints ${name}`, async () => {
      const ep = await endpoints(name);
      return ep && ok(ep) ? ep : undefined;
    });
  const ips = (list: { ip: string }[] | undefined) => (list ?? []).map((a) => a.ip).sort();

  before(async () => {
    h = await startControllers((ctx) => [new EndpointsController(ctx)]);
  });
  after(async () => {
    await h?.stop();
  });

  it("kubectl get endpoints shows the ready pods' IP:port", async () => {
    await h.kubectl(["apply", "-f", "-"], serviceManifest("my-svc"));
    await runPod(h, { name: "web-1", labels: { app: "my-svc" }, ip: "10.1.0.1" });
    const table = await until("endpoints table", async () => {
      const out = await h.kubectl(["get", "endpoints", "my-svc"]);
      return /10\.1\.0\.1:8080/.test(out) ? out : undefined;
    });
    assert.match(table, /^NAME\s+ENDPOINTS\s+AGE/);
    const ep = (await endpoints("my-svc")) as Endpoints;
    const address = ep.subsets?.[0]?.addresses?.[0];
    assert.equal(address?.targetRef?.kind, "Pod");
    assert.equal(address?.targetRef?.name, "web-1");
    assert.ok(address?.targetRef?.uid);
    assert.deepEqual(ep.subsets?.[0]?.ports, [{ port: 8080, protocol: "TCP" }]);
    assert.equal(ep.metadata?.labels?.team, "blue", "the service's labels are copied");
    assert.equal(
      ep.metadata?.labels?.["endpoints.kubernetes.io/managed-by"],
      "endpoint-controller",
    );
    assert.ok(ep.metadata?.annotations?.["endpoints.kubernetes.io/last-change-trigger-time"]);
  });

  it("lists a not-ready pod under notReadyAddresses", async () => {
    await runPod(h, { name: "web-2", labels: { app: "my-svc" }, ip: "10.1.0.2", ready: false });
    const ep = await endpointsWhere(
      "my-svc",
      (e) => ips(e.subsets?.[0]?.notReadyAddresses).length > 0,
    );
    assert.equal(ep.subsets?.length, 1);
    assert.deepEqual(ips(ep.subsets?.[0]?.addresses), ["10.1.0.1"]);
    assert.deepEqual(ips(ep.subsets?.[0]?.notReadyAddresses), ["10.1.0.2"]);
    // The table lists ready addresses only.
    const table = await h.kubectl(["get", "endpoints", "my-svc"]);
    assert.doesNotMatch(table, /10\.1\.0\.2/);
    // Becoming ready moves it over.
    await startPod(h, { name: "web-2", ip: "10.1.0.2", ready: true });
    const after = await endpointsWhere(
      "my-svc",
      (e) => ips(e.subsets?.[0]?.addresses).length === 2,
    );
    assert.equal(after.subsets?.[0]?.notReadyAddresses, undefined);
  });

  it("leaves out terminal and terminating pods", async () => {
    await runPod(h, { name: "web-done", labels: { app: "my-svc" }, ip: "10.1.0.3" });
    await runPod(h, {
      name: "web-going",
      labels: { app: "my-svc" },
      ip: "10.1.0.4",
      finalizers: ["example.com/hold"],
    });
    await endpointsWhere("my-svc", (e) => ips(e.subsets?.[0]?.addresses).length === 4);
    await startPod(h, { name: "web-done", ip: "10.1.0.3", phase: "Succeeded", ready: false });
    await h.kubectl(["delete", "pod", "web-going", "--wait=false"]);
    const ep = await endpointsWhere(
      "my-svc",
      (e) => ips(e.subsets?.[0]?.addresses).join() === "10.1.0.1,10.1.0.2",
    );
    assert.equal(ep.subsets?.[0]?.notReadyAddresses, undefined);
    await h.kubectl([
      "patch",
      "pod",
      "web-going",
      "--type=merge",
      "-p",
      '{"metadata":{"finalizers":null}}',
    ]);
  });

  it("resolves a named targetPort per pod and leaves out pods without it", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      serviceManifest("named", { ports: [{ name: "web", port: 80, targetPort: "http" }] }),
    );
    const labels = { app: "named" };
    await runPod(h, {
      name: "n-a",
      labels,
      ip: "10.2.0.1",
      ports: [{ name: "http", containerPort: 8080 }],
    });
    await runPod(h, {
      name: "n-b",
      labels,
      ip: "10.2.0.2",
      ports: [{ name: "http", containerPort: 9090 }],
    });
    await runPod(h, { name: "n-c", labels, ip: "10.2.0.3" });
    const ep = await endpointsWhere("named", (e) => (e.subsets ?? []).length === 2);
    const byPort = new Map((ep.subsets ?? []).map((s) => [s.ports?.[0]?.port, ips(s.addresses)]));
    assert.deepEqual(byPort.get(8080), ["10.2.0.1"]);
    assert.deepEqual(byPort.get(9090), ["10.2.0.2"]);
    assert.equal(ep.subsets?.[0]?.ports?.[0]?.name, "web");
    // Settled: no further writes once the Endpoints match.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(
      (await endpoints("named"))?.metadata?.resourceVersion,
      ep.metadata?.resourceVersion,
    );
    const table = await h.kubectl(["get", "endpoints", "named"]);
    assert.match(table, /10\.2\.0\.1:8080/);
    assert.match(table, /10\.2\.0\.2:9090/);
  });

  it("publishes not-ready pods as addresses when the service asks", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      serviceManifest("eager", { publishNotReadyAddresses: true }),
    );
    await runPod(h, { name: "e-1", labels: { app: "eager" }, ip: "10.3.0.1", ready: false });
    const ep = await endpointsWhere("eager", (e) => ips(e.subsets?.[0]?.addresses).length === 1);
    assert.equal(ep.subsets?.[0]?.notReadyAddresses, undefined);
  });

  it("gives headless services hostnames for pods in their subdomain", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      serviceManifest("db", { clusterIP: "None", ports: [{ port: 5432 }] }),
    );
    const labels = { app: "db" };
    await runPod(h, { name: "db-0", labels, ip: "10.4.0.1", hostname: "db-0", subdomain: "db" });
    await runPod(h, { name: "db-x", labels, ip: "10.4.0.2", hostname: "db-x", subdomain: "other" });
    const ep = await endpointsWhere("db", (e) => ips(e.subsets?.[0]?.addresses).length === 2);
    const hostnames = new Map((ep.subsets?.[0]?.addresses ?? []).map((a) => [a.ip, a.hostname]));
    assert.equal(hostnames.get("10.4.0.1"), "db-0");
    assert.equal(hostnames.get("10.4.0.2"), undefined);
    assert.equal(ep.metadata?.labels?.["service.kubernetes.io/headless"], "");
    assert.match(await h.kubectl(["get", "endpoints", "db"]), /10\.4\.0\.1:5432/);
  });

  it("leaves a selectorless service's own Endpoints alone", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "external" },
        spec: { ports: [{ port: 5432 }] },
      }),
    );
    await h.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "Endpoints",
        metadata: { name: "external" },
        subsets: [{ addresses: [{ ip: "192.0.2.10" }], ports: [{ port: 5432 }] }],
      }),
    );
    // Another sync of the service (a label change) must not touch them.
    await h.kubectl(["label", "svc", "external", "touched=yes"]);
    await new Promise((r) => setTimeout(r, 500));
    const ep = (await endpoints("external")) as Endpoints;
    assert.deepEqual(ips(ep.subsets?.[0]?.addresses), ["192.0.2.10"]);
    assert.equal(ep.metadata?.labels?.touched, undefined);
  });

  it("removes its Endpoints when the service loses its selector", async () => {
    await h.kubectl([
      "patch",
      "svc",
      "eager",
      "--type=json",
      "-p",
      '[{"op":"remove","path":"/spec/selector"}]',
    ]);
    await until("endpoints gone", async () => ((await endpoints("eager")) ? undefined : true));
  });

  it("deletes the Endpoints when the service is deleted", async () => {
    await h.kubectl(["delete", "svc", "my-svc"]);
    await until("endpoints gone", async () => ((await endpoints("my-svc")) ? undefined : true));
    // And puts them back when someone deletes them while the service exists.
    await h.kubectl(["delete", "endpoints", "named"]);
    await endpointsWhere("named", (e) => (e.subsets ?? []).length === 2);
  });
});
