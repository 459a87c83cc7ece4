// System suite: the built-in service load balancer against a real API
// server holding Node objects, observed with the real kubectl.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ServiceLoadBalancerController } from "../../../src/controllers/servicelb/controller.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

const node = (name: string, ip: string) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name },
    status: {
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "ready" }],
      addresses: [{ type: "InternalIP", address: ip }],
    },
  });

describe("service load balancer controller", () => {
  let h: ControllerHarness;
  const ingress = async (name: string) =>
    h.kubectl(["get", "service", name, "-o", "jsonpath={.status.loadBalancer.ingress[*].ip}"]);

  before(async () => {
    h = await startControllers((ctx) => [new ServiceLoadBalancerController(ctx)]);
    await h.kubectl(["apply", "-f", "-"], node("node-a", "192.0.2.10"));
  });
  after(async () => {
    await h?.stop();
  });

  it("gives a LoadBalancer Service the nodes' addresses and follows the nodes", async () => {
    await h.kubectl(["create", "service", "loadbalancer", "web", "--tcp=80:8080"]);
    await until("address", async () =>
      (await ingress("web")) === "192.0.2.10" ? true : undefined,
    );
    const table = await h.kubectl(["get", "service", "web"]);
    assert.match(table, /web\s+LoadBalancer\s+\S+\s+192\.0\.2\.10\s+80:\d+\/TCP/);
    await h.kubectl(["apply", "-f", "-"], node("node-b", "192.0.2.11"));
    await until("second node's address", async () =>
      (await ingress("web")) === "192.0.2.10 192.0.2.11" ? true : undefined,
    );
    await h.kubectl(["delete", "node", "node-b"]);
    await until("address of the deleted node gone", async () =>
      (await ingress("web")) === "192.0.2.10" ? true : undefined,
    );
  });

  it("leaves other Services alone", async () => {
    await h.kubectl(["create", "service", "clusterip", "internal", "--tcp=80:8080"]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await ingress("internal"), "");
  });
});
