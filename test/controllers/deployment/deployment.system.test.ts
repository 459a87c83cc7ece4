// System suite: the Deployment controller (with the ReplicaSet controller)
// against a real API server, driven with the real kubectl the way the
// notes' walkthrough does; the test plays the kubelet, starting pods a
// moment after they are created.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { DeploymentController } from "../../../src/controllers/deployment/controller.js";
import { ReplicaSetController } from "../../../src/controllers/replicaset/controller.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

const deployment = (name: string, image: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "nginx", image, ports: [{ containerPort: 80 }] }] },
      },
      ...extra,
    },
  });

const isReady = (p: Pod) =>
  p.status?.phase === "Running" &&
  p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
const imageOf = (p: Pod) => p.spec?.containers[0]?.image;

describe("deployment controller", () => {
  let h: ControllerHarness;
  let stopPods: () => Promise<void>;
  const live = async (app: string) =>
    (await h.pods("default", `app=${app}`)).filter((p) => !p.metadata?.deletionTimestamp);
  const rolledOut = (name: string) =>
    h.kubectl(["rollout", "status", `deployment/${name}`, "--timeout=60s"]);
  const annotation = async (kind: string, name: string, key: string) =>
    h.kubectl([
      "get",
      kind,
      name,
      "-o",
      `jsonpath={.metadata.annotations.${key.replace(/\./g, "\\.")}}`,
    ]);

  /** Samples pods while `during` runs: the most that existed and the fewest available. */
  async function watchBounds(app: string, during: () => Promise<unknown>) {
    let max = 0;
    let min = Number.POSITIVE_INFINITY;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const pods = await live(app);
        max = Math.max(max, pods.length);
        min = Math.min(min, pods.filter(isReady).length);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await during();
    sampling = false;
    await sampler;
    return { max, min };
  }

  before(async () => {
    h = await startControllers((ctx) => [
      new DeploymentController(ctx),
      new ReplicaSetController(ctx),
    ]);
    stopPods = h.runPods({ skip: (p) => imageOf(p)?.includes("never") === true });
  });
  after(async () => {
    await stopPods?.();
    await h?.stop();
  });

  it("creates a ReplicaSet named after the template hash and rolls out 3 pods", async () => {
    await h.kubectl(["apply", "-f", "-"], deployment("nginx-deployment", "nginx:1.7.9"));
    await h.kubectl([
      "annotate",
      "deployment",
      "nginx-deployment",
      "kubernetes.io/change-cause=create nginx 1.7.9",
    ]);
    const out = await rolledOut("nginx-deployment");
    assert.match(out, /successfully rolled out/);
    const rs = JSON.parse(
      await h.kubectl(["get", "rs", "-l", "app=nginx-deployment", "-o", "json"]),
    ).items;
    assert.equal(rs.length, 1);
    const hash = rs[0].metadata.labels["pod-template-hash"];
    assert.equal(rs[0].metadata.name, `nginx-deployment-${hash}`);
    assert.equal(rs[0].metadata.annotations["deployment.kubernetes.io/revision"], "1");
    assert.equal(rs[0].spec.selector.matchLabels["pod-template-hash"], hash);
    const pods = await live("nginx-deployment");
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => p.metadata?.name?.startsWith(`nginx-deployment-${hash}-`)));
    const table = await h.kubectl(["get", "deployment", "nginx-deployment"]);
    assert.match(table, /nginx-deployment\s+3\/3\s+3\s+3/);
  });

  it("rolls to a new image keeping at least 2 available and at most 4 pods", async () => {
    const bounds = await watchBounds("nginx-deployment", async () => {
      await h.kubectl(["set", "image", "deployment/nginx-deployment", "nginx=nginx:1.8"]);
      await h.kubectl([
        "annotate",
        "deployment",
        "nginx-deployment",
        "kubernetes.io/change-cause=update to 1.8",
        "--overwrite",
      ]);
      await rolledOut("nginx-deployment");
    });
    assert.ok(bounds.max <= 4, `at most 4 pods existed (saw ${bounds.max})`);
    assert.ok(bounds.min >= 2, `at least 2 pods were available (saw ${bounds.min})`);
    const pods = await live("nginx-deployment");
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => imageOf(p) === "nginx:1.8"));
    const events = await h.kubectl([
      "get",
      "events",
      "--field-selector",
      "involvedObject.name=nginx-deployment",
    ]);
    assert.match(events, /ScalingReplicaSet/);
    assert.equal(
      await annotation("deployment", "nginx-deployment", "deployment.kubernetes.io/revision"),
      "2",
    );
  });

  it("shows the rollout history with change causes and undoes to revision 1 as revision 3", async () => {
    const history = await h.kubectl(["rollout", "history", "deployment/nginx-deployment"]);
    assert.match(history, /1\s+create nginx 1\.7\.9/);
    assert.match(history, /2\s+update to 1\.8/);
    await h.kubectl(["rollout", "undo", "deployment/nginx-deployment", "--to-revision=1"]);
    await until("back on 1.7.9", async () => {
      const pods = await live("nginx-deployment");
      return pods.length === 3 && pods.every((p) => imageOf(p) === "nginx:1.7.9" && isReady(p))
        ? true
        : undefined;
    });
    await rolledOut("nginx-deployment");
    assert.equal(
      await annotation("deployment", "nginx-deployment", "deployment.kubernetes.io/revision"),
      "3",
    );
    const after = await h.kubectl(["rollout", "history", "deployment/nginx-deployment"]);
    assert.match(after, /\n2\s+/);
    assert.match(after, /\n3\s+/);
    assert.doesNotMatch(after, /\n1\s+/);
    // The old ReplicaSet was reused: still two ReplicaSets.
    const rs = JSON.parse(
      await h.kubectl(["get", "rs", "-l", "app=nginx-deployment", "-o", "json"]),
    ).items;
    assert.equal(rs.length, 2);
    const reused = rs.find((r: { spec: { replicas: number } }) => r.spec.replicas === 3);
    assert.equal(reused.metadata.annotations["deployment.kubernetes.io/revision-history"], "1");
  });

  it("applies edits made while paused as one rollout on resume", async () => {
    await h.kubectl(["rollout", "pause", "deployment/nginx-deployment"]);
    await h.kubectl(["set", "image", "deployment/nginx-deployment", "nginx=nginx:1.9"]);
    await h.kubectl(["set", "resources", "deployment/nginx-deployment", "--limits=cpu=200m"]);
    await new Promise((r) => setTimeout(r, 300));
    let rs = JSON.parse(
      await h.kubectl(["get", "rs", "-l", "app=nginx-deployment", "-o", "json"]),
    ).items;
    assert.equal(rs.length, 2, "nothing rolls while paused");
    const progressing = await h.kubectl([
      "get",
      "deployment",
      "nginx-deployment",
      "-o",
      'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}',
    ]);
    assert.equal(progressing, "DeploymentPaused");
    await h.kubectl(["rollout", "resume", "deployment/nginx-deployment"]);
    await rolledOut("nginx-deployment");
    rs = JSON.parse(
      await h.kubectl(["get", "rs", "-l", "app=nginx-deployment", "-o", "json"]),
    ).items;
    assert.equal(rs.length, 3, "one new ReplicaSet for both edits");
    const pods = await live("nginx-deployment");
    assert.ok(
      pods.every(
        (p) =>
          imageOf(p) === "nginx:1.9" && p.spec?.containers[0]?.resources?.limits?.cpu === "200m",
      ),
    );
  });

  it("scales mid-rollout", async () => {
    await h.kubectl(["set", "image", "deployment/nginx-deployment", "nginx=nginx:1.10"]);
    await h.kubectl(["scale", "deployment/nginx-deployment", "--replicas=4"]);
    await rolledOut("nginx-deployment");
    const pods = await until("4 new pods", async () => {
      const ps = await live("nginx-deployment");
      return ps.length === 4 ? ps : undefined;
    });
    assert.ok(pods.every((p) => imageOf(p) === "nginx:1.10"));
  });

  it("keeps revisionHistoryLimit old ReplicaSets", async () => {
    await h.kubectl([
      "patch",
      "deployment/nginx-deployment",
      "-p",
      '{"spec":{"revisionHistoryLimit":1}}',
    ]);
    await rolledOut("nginx-deployment");
    await until("old ReplicaSets cleaned up", async () => {
      const rs = JSON.parse(
        await h.kubectl(["get", "rs", "-l", "app=nginx-deployment", "-o", "json"]),
      ).items;
      return rs.length === 2 ? true : undefined;
    });
  });

  it("Recreate never runs old and new pods together", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      deployment("recreate", "nginx:1", { strategy: { type: "Recreate" } }),
    );
    await rolledOut("recreate");
    let overlap = false;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const images = new Set((await live("recreate")).map(imageOf));
        if (images.size > 1) overlap = true;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await h.kubectl(["set", "image", "deployment/recreate", "nginx=nginx:2"]);
    await rolledOut("recreate");
    sampling = false;
    await sampler;
    assert.equal(overlap, false);
    const pods = await live("recreate");
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => imageOf(p) === "nginx:2"));
  });

  it("reports ProgressDeadlineExceeded when a rollout stalls", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      deployment("stuck", "nginx:never", { replicas: 1, progressDeadlineSeconds: 2 }),
    );
    const reason = await until(
      "deadline exceeded",
      async () => {
        const r = await h.kubectl([
          "get",
          "deployment",
          "stuck",
          "-o",
          'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}',
        ]);
        return r === "ProgressDeadlineExceeded" ? r : undefined;
      },
      15_000,
    );
    assert.equal(reason, "ProgressDeadlineExceeded");
    const status = await h.kubectlRaw(["rollout", "status", "deployment/stuck", "--timeout=10s"]);
    assert.notEqual(status.code, 0);
    assert.match(status.stderr, /exceeded its progress deadline/);
    const available = await h.kubectl([
      "get",
      "deployment",
      "stuck",
      "-o",
      'jsonpath={.status.conditions[?(@.type=="Available")].status}',
    ]);
    assert.equal(available, "False");
  });

  it("rejects a template whose restartPolicy is not Always", async () => {
    const bad = JSON.parse(deployment("bad", "nginx"));
    bad.spec.template.spec.restartPolicy = "Never";
    const r = await h.kubectlRaw(["apply", "-f", "-"], JSON.stringify(bad));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /spec\.template\.spec\.restartPolicy: Unsupported value: "Never"/);
  });
});
