// System suite: the ReplicaSet and ReplicationController controllers
// against a real API server, driven and observed with the real kubectl.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { controllerOf } from "../../../src/controllers/common/controller-ref.js";
import { ReplicaSetController } from "../../../src/controllers/replicaset/controller.js";
import { REPLICATION_CONTROLLER_KIND } from "../../../src/controllers/replicaset/kinds.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

const rs = (name: string, replicas: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, tier: "web" } },
        spec: { containers: [{ name: "c", image: "nginx" }] },
      },
      ...extra,
    },
  });

describe("replicaset controller", () => {
  let h: ControllerHarness;
  const live = async (selector: string) =>
    (await h.pods("default", selector)).filter((p) => !p.metadata?.deletionTimestamp);
  const count = (selector: string, n: number) =>
    until(`${n} pods for ${selector}`, async () => {
      const pods = await live(selector);
      return pods.length === n ? pods : undefined;
    });

  before(async () => {
    h = await startControllers((ctx) => [
      new ReplicaSetController(ctx),
      new ReplicaSetController(ctx, REPLICATION_CONTROLLER_KIND),
    ]);
  });
  after(async () => {
    await h?.stop();
  });

  it("creates replicas pods owned by the ReplicaSet, named after it", async () => {
    await h.kubectl(["apply", "-f", "-"], rs("web", 3));
    const pods = await count("app=web", 3);
    const uid = await h.kubectl(["get", "rs", "web", "-o", "jsonpath={.metadata.uid}"]);
    for (const p of pods) {
      assert.match(p.metadata?.name ?? "", /^web-[a-z0-9]{5}$/);
      assert.equal(controllerOf(p)?.uid, uid);
      assert.equal(controllerOf(p)?.kind, "ReplicaSet");
      assert.equal(p.metadata?.labels?.tier, "web");
    }
    // Stays at 3: expectations keep a stale cache from creating more.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await live("app=web")).length, 3);
  });

  it("reports ready and available replicas once pods run", async () => {
    for (const p of await live("app=web")) await h.setPodPhase(p, "Running");
    const status = await until("status", async () => {
      const s = JSON.parse(await h.kubectl(["get", "rs", "web", "-o", "json"])).status;
      return s.availableReplicas === 3 ? s : undefined;
    });
    assert.equal(status.replicas, 3);
    assert.equal(status.readyReplicas, 3);
    assert.equal(status.fullyLabeledReplicas, 3);
    assert.equal(status.observedGeneration, 1);
    const table = await h.kubectl(["get", "rs", "web"]);
    assert.match(table, /web\s+3\s+3\s+3/);
  });

  it("replaces a deleted pod and scales down least valuable first", async () => {
    const [victim] = await live("app=web");
    await h.kubectl(["delete", "pod", victim?.metadata?.name ?? "", "--wait=false"]);
    const pods = await until("replacement", async () => {
      const ps = await live("app=web");
      return ps.length === 3 && !ps.some((p) => p.metadata?.name === victim?.metadata?.name)
        ? ps
        : undefined;
    });
    // The replacement is not running (no kubelet): scaling to 2 removes it first.
    const pending = pods.find((p) => p.status?.phase !== "Running") as Pod;
    assert.ok(pending, "the replacement is pending");
    await h.kubectl(["scale", "rs", "web", "--replicas=2"]);
    const left = await count("app=web", 2);
    assert.ok(!left.some((p) => p.metadata?.name === pending.metadata?.name));
    assert.ok(left.every((p) => p.status?.phase === "Running"));
  });

  it("adopts a matching orphan and releases a pod that stops matching", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "stray", labels: { app: "web" } },
        spec: { containers: [{ name: "c", image: "nginx" }] },
      }),
    );
    // The orphan is adopted, making 3; the RS then deletes the least valuable: the pending stray.
    // It only ever deletes pods it controls, so the stray's deletion proves the adoption.
    await until("stray adopted and removed", async () => {
      const r = await h.kubectlRaw(["get", "pod", "stray", "-o", "json"]);
      if (r.code !== 0) return true;
      const p = JSON.parse(r.stdout) as Pod;
      return p.metadata?.deletionTimestamp && controllerOf(p)?.kind === "ReplicaSet"
        ? true
        : undefined;
    });
    assert.equal((await live("app=web")).length, 2);
    const [one] = await live("app=web");
    const name = one?.metadata?.name ?? "";
    await h.kubectl(["label", "pod", name, "app=other", "--overwrite"]);
    await until("released pod", async () => {
      const p = JSON.parse(await h.kubectl(["get", "pod", name, "-o", "json"])) as Pod;
      return controllerOf(p) === undefined ? p : undefined;
    });
    await count("app=web", 2);
  });

  it("reports a failed create in the ReplicaFailure condition", async () => {
    await h.kubectl(["create", "quota", "tiny", "--hard=pods=3"]);
    await h.kubectl(["scale", "rs", "web", "--replicas=4"]);
    const cond = await until("ReplicaFailure", async () => {
      const s = JSON.parse(await h.kubectl(["get", "rs", "web", "-o", "json"])).status;
      return s.conditions?.find((c: { type: string }) => c.type === "ReplicaFailure");
    });
    assert.equal(cond.reason, "FailedCreate");
    assert.match(cond.message, /exceeded quota/);
    await h.kubectl(["delete", "quota", "tiny"]);
    await count("app=web", 4);
    await until("condition cleared", async () => {
      const s = JSON.parse(await h.kubectl(["get", "rs", "web", "-o", "json"])).status;
      return s.conditions === undefined ? true : undefined;
    });
  });

  it("runs ReplicationControllers the same way", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "ReplicationController",
        metadata: { name: "legacy" },
        spec: {
          replicas: 2,
          selector: { app: "legacy" },
          template: {
            metadata: { labels: { app: "legacy" } },
            spec: { containers: [{ name: "c", image: "nginx" }] },
          },
        },
      }),
    );
    const pods = await count("app=legacy", 2);
    assert.ok(pods.every((p) => controllerOf(p)?.kind === "ReplicationController"));
    await h.kubectl(["scale", "rc", "legacy", "--replicas=0"]);
    await count("app=legacy", 0);
  });
});
