// System suite: the StatefulSet controller against a real API server, driven
// and observed with the real kubectl. No kubelet and no scheduler: pods stay
// unbound (so deleting one is immediate) and the test marks them Running.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { PersistentVolumeClaim, Pod } from "kubernetes-types/core/v1.js";
import { StatefulSetController } from "../../../src/controllers/statefulset/controller.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

const web = (replicas: number, image = "nginx:1") =>
  JSON.stringify({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "web" },
    spec: {
      replicas,
      serviceName: "nginx",
      selector: { matchLabels: { app: "nginx" } },
      template: {
        metadata: { labels: { app: "nginx" } },
        spec: {
          // The notes' web: the container mounts the claim template "www" by name.
          containers: [
            {
              name: "nginx",
              image,
              volumeMounts: [{ name: "www", mountPath: "/usr/share/nginx/html" }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: "www" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
      ],
    },
  });

describe("statefulset controller", () => {
  let h: ControllerHarness;

  const pod = async (name: string): Promise<Pod | undefined> => {
    const r = await h.kubectlRaw(["get", "pod", name, "-o", "json"]);
    return r.code === 0 ? (JSON.parse(r.stdout) as Pod) : undefined;
  };
  const claim = async (name: string): Promise<PersistentVolumeClaim | undefined> => {
    const r = await h.kubectlRaw(["get", "pvc", name, "-o", "json"]);
    return r.code === 0 ? (JSON.parse(r.stdout) as PersistentVolumeClaim) : undefined;
  };
  const status = async () =>
    JSON.parse(await h.kubectl(["get", "sts", "web", "-o", "json"])).status;
  /** Plays the kubelet: every pending pod starts and becomes ready. */
  const kubelet = async () => {
    for (const p of await h.pods("default", "app=nginx"))
      if (p.status?.phase === "Pending" && !p.metadata?.deletionTimestamp)
        await h.setPodPhase(p, "Running", { ready: true });
  };
  const images = async () =>
    Object.fromEntries(
      (await h.pods("default", "app=nginx")).map((p) => [
        p.metadata?.name,
        p.spec?.containers[0]?.image,
      ]),
    );

  before(async () => {
    h = await startControllers((ctx) => [new StatefulSetController(ctx)]);
  });
  after(async () => {
    await h?.stop();
  });

  it("creates web-0 with its claim, and web-1 only once web-0 is Running and Ready", async () => {
    await h.kubectl(["apply", "-f", "-"], web(2));
    const web0 = await until("web-0", () => pod("web-0"));
    assert.ok(await claim("www-web-0"), "the claim exists");
    assert.equal(web0.spec?.hostname, "web-0");
    assert.equal(web0.spec?.subdomain, "nginx");
    assert.equal(web0.metadata?.labels?.["statefulset.kubernetes.io/pod-name"], "web-0");
    assert.equal(web0.metadata?.labels?.["apps.kubernetes.io/pod-index"], "0");
    assert.match(web0.metadata?.labels?.["controller-revision-hash"] ?? "", /^web-[a-z0-9]+$/);
    assert.deepEqual(
      web0.spec?.volumes?.find((v) => v.name === "www")?.persistentVolumeClaim?.claimName,
      "www-web-0",
    );
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await pod("web-1"), undefined, "web-1 waits for web-0");

    await h.setPodPhase(web0, "Running", { ready: true });
    await until("web-1", () => pod("web-1"));
    assert.ok(await claim("www-web-1"));
  });

  it("reports ready replicas and one revision", async () => {
    await kubelet();
    const s = await until("status", async () => {
      const st = await status();
      return st?.readyReplicas === 2 ? st : undefined;
    });
    assert.equal(s.replicas, 2);
    assert.equal(s.currentReplicas, 2);
    assert.equal(s.updatedReplicas, 2);
    assert.equal(s.availableReplicas, 2);
    assert.equal(s.currentRevision, s.updateRevision);
    assert.equal(s.observedGeneration, 1);
    assert.match(await h.kubectl(["get", "sts", "web"]), /web\s+2\/2/);
  });

  it("recreates a deleted pod with the same name and the same claim", async () => {
    const before = (await pod("web-0")) as Pod;
    const claimUid = (await claim("www-web-0"))?.metadata?.uid;
    await h.kubectl(["delete", "pod", "web-0"]);
    const again = await until("web-0 recreated", async () => {
      const p = await pod("web-0");
      return p && p.metadata?.uid !== before.metadata?.uid ? p : undefined;
    });
    assert.equal(
      again.spec?.volumes?.find((v) => v.name === "www")?.persistentVolumeClaim?.claimName,
      "www-web-0",
    );
    assert.equal((await claim("www-web-0"))?.metadata?.uid, claimUid, "the same claim");
    await kubelet();
  });

  it("scales down from the highest ordinal and keeps its claim", async () => {
    await until("both ready", async () =>
      (await status())?.readyReplicas === 2 ? true : undefined,
    );
    await h.kubectl(["scale", "sts", "web", "--replicas=1"]);
    await until("web-1 gone", async () => ((await pod("web-1")) ? undefined : true));
    assert.ok(await pod("web-0"));
    assert.ok(await claim("www-web-1"), "the claim of web-1 is retained");
  });

  it("rolls an update out from the highest ordinal down, and rolls it back", async () => {
    await h.kubectl(["scale", "sts", "web", "--replicas=2"]);
    await until("two ready pods", async () => {
      await kubelet();
      return (await status())?.readyReplicas === 2 ? true : undefined;
    });
    await h.kubectl(["set", "image", "statefulset/web", "nginx=nginx:2"]);
    // web-1 is replaced first; web-0 keeps the old image until web-1 is ready again.
    const mid = await until("web-1 updated", async () => {
      const i = await images();
      return i["web-1"] === "nginx:2" ? i : undefined;
    });
    assert.equal(mid["web-0"], "nginx:1");
    await until("web-0 updated", async () => {
      await kubelet();
      return (await images())["web-0"] === "nginx:2" ? true : undefined;
    });
    const done = await until("update complete", async () => {
      await kubelet();
      const s = await status();
      return s?.readyReplicas === 2 && s.currentRevision === s.updateRevision ? s : undefined;
    });
    const revisions = async () =>
      JSON.parse(await h.kubectl(["get", "controllerrevisions", "-l", "app=nginx", "-o", "json"]))
        .items as { metadata: { name: string }; revision: number }[];
    assert.equal((await revisions()).length, 2);
    assert.equal(
      (await revisions()).find((r) => r.metadata.name === done.updateRevision)?.revision,
      2,
    );

    await h.kubectl(["rollout", "undo", "statefulset/web"]);
    await until("rolled back", async () => {
      await kubelet();
      const i = await images();
      const s = await status();
      return i["web-0"] === "nginx:1" && i["web-1"] === "nginx:1" && s?.readyReplicas === 2
        ? true
        : undefined;
    });
    const revs = await revisions();
    assert.equal(revs.length, 2, "the old revision is reused, not copied");
    assert.equal(Math.max(...revs.map((r) => r.revision)), 3);
    assert.equal(
      (await pod("web-0"))?.spec?.volumes?.find((v) => v.name === "www")?.persistentVolumeClaim
        ?.claimName,
      "www-web-0",
    );
  });
});
