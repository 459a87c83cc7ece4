// System suite: the EndpointSlice and EndpointSlice mirroring controllers
// against a real API server, observed with the real kubectl. No kubelet:
// the tests write pod IPs and readiness themselves.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { EndpointSlice, EndpointSliceList } from "kubernetes-types/discovery/v1.js";
import { EndpointsController } from "../../../src/controllers/endpoint/controller.js";
import { EndpointSliceController } from "../../../src/controllers/endpointslice/controller.js";
import { EndpointSliceMirroringController } from "../../../src/controllers/endpointslicemirroring/controller.js";
import { getJson, runPod, serviceManifest } from "../endpoint/fixtures.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

const SERVICE_NAME = "kubernetes.io/service-name";
const MANAGED_BY = "endpointslice.kubernetes.io/managed-by";

describe("endpointslice controllers", () => {
  let h: ControllerHarness;
  const slices = async (selector: string): Promise<EndpointSlice[]> =>
    (await getJson<EndpointSliceList>(h, ["endpointslices", "-l", selector]))?.items ?? [];
  const slicesWhere = (selector: string, ok: (s: EndpointSlice[]) => boolean) =>
    until(`slices ${selector}`, async () => {
      const list = await slices(selector);
      return ok(list) ? list : undefined;
    });
  const endpointsOf = (list: EndpointSlice[]) => list.flatMap((s) => s.endpoints ?? []);
  const addresses = (list: EndpointSlice[]) =>
    endpointsOf(list)
      .flatMap((e) => e.addresses)
      .sort();

  before(async () => {
    // All three, as the controller manager runs them, so they are seen not to fight.
    h = await startControllers((ctx) => [
      new EndpointsController(ctx),
      new EndpointSliceController(ctx),
      new EndpointSliceMirroringController(ctx),
    ]);
    await h.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "Node",
        metadata: { name: "node-a", labels: { "topology.kubernetes.io/zone": "zone-a" } },
      }),
    );
  });
  after(async () => {
    await h?.stop();
  });

  it("keeps an empty placeholder slice for a service without endpoints", async () => {
    await h.kubectl(["apply", "-f", "-"], serviceManifest("my-svc"));
    const [slice] = await slicesWhere(`${SERVICE_NAME}=my-svc`, (l) => l.length === 1);
    assert.match(slice?.metadata?.name ?? "", /^my-svc-[a-z0-9]{5}$/);
    assert.deepEqual(slice?.endpoints ?? [], []);
    assert.deepEqual(slice?.ports ?? [], []);
    assert.equal(slice?.addressType, "IPv4");
    assert.equal(slice?.metadata?.labels?.[MANAGED_BY], "endpointslice-controller.k8s.io");
    assert.equal(slice?.metadata?.labels?.team, "blue");
    const owner = slice?.metadata?.ownerReferences?.[0];
    assert.equal(owner?.kind, "Service");
    assert.equal(owner?.name, "my-svc");
    assert.equal(owner?.controller, true);
    const table = await h.kubectl(["get", "endpointslices", "-l", `${SERVICE_NAME}=my-svc`]);
    assert.match(table, /my-svc-[a-z0-9]{5}\s+IPv4\s+<unset>\s+<unset>/);
  });

  it("kubectl get endpointslices shows the pods with their conditions", async () => {
    const placeholder = (await slices(`${SERVICE_NAME}=my-svc`))[0]?.metadata?.name;
    const labels = { app: "my-svc" };
    await runPod(h, { name: "web-1", labels, ip: "10.5.0.1", nodeName: "node-a" });
    await runPod(h, { name: "web-2", labels, ip: "10.5.0.2", nodeName: "node-a", ready: false });
    const list = await slicesWhere(
      `${SERVICE_NAME}=my-svc`,
      (l) => addresses(l).join() === "10.5.0.1,10.5.0.2",
    );
    assert.equal(list.length, 1);
    // The placeholder was reused, not replaced.
    assert.equal(list[0]?.metadata?.name, placeholder);
    assert.deepEqual(list[0]?.ports, [{ name: "", port: 8080, protocol: "TCP" }]);
    const byName = new Map(endpointsOf(list).map((e) => [e.targetRef?.name, e]));
    const ready = byName.get("web-1");
    assert.deepEqual(ready?.conditions, { ready: true, serving: true, terminating: false });
    assert.equal(ready?.nodeName, "node-a");
    assert.equal(ready?.zone, "zone-a");
    assert.equal(ready?.targetRef?.kind, "Pod");
    assert.deepEqual(byName.get("web-2")?.conditions, {
      ready: false,
      serving: false,
      terminating: false,
    });
    const table = await h.kubectl(["get", "endpointslices", "-l", `${SERVICE_NAME}=my-svc`]);
    assert.match(table, /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE/);
    assert.match(table, /my-svc-[a-z0-9]{5}\s+IPv4\s+8080\s+10\.5\.0\.[12],10\.5\.0\.[12]/);
    // Settled: no further writes once the slice matches.
    const rv = list[0]?.metadata?.resourceVersion;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await slices(`${SERVICE_NAME}=my-svc`))[0]?.metadata?.resourceVersion, rv);
  });

  it("marks a terminating pod serving but not ready", async () => {
    await runPod(h, {
      name: "web-3",
      labels: { app: "my-svc" },
      ip: "10.5.0.3",
      nodeName: "node-a",
      finalizers: ["example.com/hold"],
    });
    await slicesWhere(`${SERVICE_NAME}=my-svc`, (l) => addresses(l).length === 3);
    await h.kubectl(["delete", "pod", "web-3", "--wait=false"]);
    const list = await slicesWhere(`${SERVICE_NAME}=my-svc`, (l) =>
      endpointsOf(l).some((e) => e.conditions?.terminating === true),
    );
    const ep = endpointsOf(list).find((e) => e.targetRef?.name === "web-3");
    assert.deepEqual(ep?.conditions, { ready: false, serving: true, terminating: true });
    await h.kubectl([
      "patch",
      "pod",
      "web-3",
      "--type=merge",
      "-p",
      '{"metadata":{"finalizers":null}}',
    ]);
    // No kubelet finishes the graceful deletion: force it.
    await h.kubectl(["delete", "pod", "web-3", "--grace-period=0", "--force"]);
    await slicesWhere(`${SERVICE_NAME}=my-svc`, (l) => addresses(l).length === 2);
  });

  it("groups pods by the ports a named targetPort resolves to", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      serviceManifest("named", { ports: [{ name: "web", port: 80, targetPort: "http" }] }),
    );
    const labels = { app: "named" };
    const nodeName = "node-a";
    await runPod(h, {
      name: "n-a",
      labels,
      nodeName,
      ip: "10.6.0.1",
      ports: [{ name: "http", containerPort: 8080 }],
    });
    await runPod(h, {
      name: "n-b",
      labels,
      nodeName,
      ip: "10.6.0.2",
      ports: [{ name: "http", containerPort: 9090 }],
    });
    const list = await slicesWhere(
      `${SERVICE_NAME}=named`,
      (l) => l.length === 2 && addresses(l).length === 2,
    );
    const ports = list.map((s) => s.ports?.[0]?.port).sort();
    assert.deepEqual(ports, [8080, 9090]);
  });

  it("removes its slices when the service loses its selector", async () => {
    await h.kubectl([
      "patch",
      "svc",
      "named",
      "--type=json",
      "-p",
      '[{"op":"remove","path":"/spec/selector"}]',
    ]);
    await slicesWhere(`${SERVICE_NAME}=named`, (l) => l.length === 0);
    // The endpoint controller's Endpoints go too, and are never mirrored.
    await until("endpoints gone", async () =>
      (await getJson(h, ["endpoints", "named"])) ? undefined : true,
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await slices(`${SERVICE_NAME}=named`), []);
  });

  it("mirrors a selectorless service's Endpoints into a slice", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "external" },
        spec: { ports: [{ name: "pg", port: 5432 }] },
      }),
    );
    await h.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "Endpoints",
        metadata: { name: "external", labels: { db: "pg" }, annotations: { note: "by hand" } },
        subsets: [
          {
            addresses: [{ ip: "192.0.2.10" }],
            notReadyAddresses: [{ ip: "192.0.2.11" }],
            ports: [{ name: "pg", port: 5432 }],
          },
        ],
      }),
    );
    const [slice] = await slicesWhere(`${SERVICE_NAME}=external`, (l) => addresses(l).length === 2);
    assert.equal(slice?.metadata?.labels?.[MANAGED_BY], "endpointslicemirroring-controller.k8s.io");
    assert.equal(slice?.metadata?.labels?.db, "pg");
    assert.equal(slice?.metadata?.annotations?.note, "by hand");
    assert.equal(
      slice?.metadata?.annotations?.["kubectl.kubernetes.io/last-applied-configuration"],
      undefined,
    );
    assert.equal(slice?.metadata?.ownerReferences?.[0]?.kind, "Endpoints");
    assert.deepEqual(slice?.ports, [{ name: "pg", port: 5432, protocol: "TCP" }]);
    const ready = new Map(
      (slice?.endpoints ?? []).map((e) => [e.addresses[0], e.conditions?.ready]),
    );
    assert.equal(ready.get("192.0.2.10"), true);
    assert.equal(ready.get("192.0.2.11"), false);
    // Edits to the Endpoints follow.
    await h.kubectl([
      "patch",
      "endpoints",
      "external",
      "--type=merge",
      "-p",
      JSON.stringify({
        subsets: [{ addresses: [{ ip: "192.0.2.12" }], ports: [{ name: "pg", port: 5432 }] }],
      }),
    ]);
    await slicesWhere(`${SERVICE_NAME}=external`, (l) => addresses(l).join() === "192.0.2.12");
  });

  it("honours the skip-mirror label and removes mirrored slices", async () => {
    await h.kubectl([
      "label",
      "endpoints",
      "external",
      "endpointslice.kubernetes.io/skip-mirror=true",
    ]);
    await slicesWhere(`${SERVICE_NAME}=external`, (l) => l.length === 0);
    await h.kubectl(["label", "endpoints", "external", "endpointslice.kubernetes.io/skip-mirror-"]);
    await slicesWhere(`${SERVICE_NAME}=external`, (l) => l.length === 1);
    await h.kubectl(["delete", "endpoints", "external"]);
    await slicesWhere(`${SERVICE_NAME}=external`, (l) => l.length === 0);
  });

  it("removes the slices when the service is deleted", async () => {
    await h.kubectl(["delete", "svc", "my-svc"]);
    await slicesWhere(`${SERVICE_NAME}=my-svc`, (l) => l.length === 0);
  });
});
