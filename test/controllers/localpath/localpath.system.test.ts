// System suite: the local-path provisioner with the PersistentVolume binder,
// the DefaultStorageClass admission and the real scheduler, against a real
// API server and observed with kubectl. No kubelet: the test plays it for
// the cleanup helper pod.
import assert from "node:assert/strict";
import { hostname } from "node:os";
import { after, before, describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { LocalPathProvisioner } from "../../../src/controllers/localpath/provisioner.js";
import { PersistentVolumeController } from "../../../src/controllers/persistentvolume/controller.js";
import { Scheduler } from "../../../src/scheduler/runner/scheduler.js";
import { silentLogger } from "../../../src/util/log.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

const BASE = "/var/lib/k8ts-test/storage";
const HOST = hostname().toLowerCase();

const node = JSON.stringify({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name: HOST, labels: { "kubernetes.io/hostname": HOST } },
  status: {
    capacity: { cpu: "2", memory: "4Gi", pods: "110" },
    allocatable: { cpu: "2", memory: "4Gi", pods: "110" },
    conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "ready" }],
  },
});

const claim = JSON.stringify({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: "data" },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
});

const pod = JSON.stringify({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "writer" },
  spec: {
    containers: [
      {
        name: "c",
        image: "busybox",
        command: ["sh", "-c", "echo hi > /data/f"],
        volumeMounts: [{ name: "d", mountPath: "/data" }],
      },
    ],
    volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }],
  },
});

describe("local-path provisioner", () => {
  let h: ControllerHarness;
  let scheduler: Scheduler;
  const get = async (args: string[]) => JSON.parse(await h.kubectl(["get", ...args, "-o", "json"]));

  before(async () => {
    h = await startControllers((ctx) => [
      new PersistentVolumeController(ctx),
      new LocalPathProvisioner(ctx, { basePath: BASE }),
    ]);
    scheduler = new Scheduler(h.rest, { schedulerName: "default-scheduler", log: silentLogger });
    await scheduler.start();
    await h.kubectl(["apply", "-f", "-"], node);
  });
  after(async () => {
    await scheduler?.stop();
    await h?.stop();
  });

  it("creates the default local-path StorageClass", async () => {
    const table = await until("local-path class", async () => {
      const out = await h.kubectl(["get", "storageclass"]);
      return out.includes("local-path") ? out : undefined;
    });
    assert.match(
      table,
      /local-path \(default\)\s+rancher\.io\/local-path\s+Delete\s+WaitForFirstConsumer/,
    );
  });

  it("gives a claim without a class local-path and leaves it Pending until a pod uses it", async () => {
    await h.kubectl(["apply", "-f", "-"], claim);
    const pvc = await get(["pvc", "data"]);
    assert.equal(pvc.spec.storageClassName, "local-path");
    await new Promise((r) => setTimeout(r, 500));
    const still = await get(["pvc", "data"]);
    assert.equal(still.status.phase, "Pending");
    assert.equal(still.metadata.annotations?.["volume.kubernetes.io/selected-node"], undefined);
    assert.equal((await get(["pv"])).items.length, 0);
    const events = await h.kubectl([
      "get",
      "events",
      "--field-selector",
      "involvedObject.name=data",
    ]);
    assert.match(events, /WaitForFirstConsumer/);
  });

  it("provisions a hostPath volume on the pod's node and binds the claim", async () => {
    await h.kubectl(["apply", "-f", "-"], pod);
    const scheduled = await until("writer scheduled", async () => {
      const p = await get(["pod", "writer"]);
      return p.spec.nodeName ? p : undefined;
    });
    assert.equal(scheduled.spec.nodeName, HOST);
    // The scheduler annotated the claim with the chosen node (selected-node) and bound
    // the pod only once the provisioned volume was bound.
    const pvc = await until("claim bound", async () => {
      const c = await get(["pvc", "data"]);
      return c.status.phase === "Bound" ? c : undefined;
    });
    const uid = pvc.metadata.uid;
    assert.equal(pvc.spec.volumeName, `pvc-${uid}`);
    assert.equal(
      pvc.metadata.annotations["volume.kubernetes.io/storage-provisioner"],
      "rancher.io/local-path",
    );
    const pv = await get(["pv", `pvc-${uid}`]);
    assert.equal(pv.status.phase, "Bound");
    assert.deepEqual(pv.spec.hostPath, {
      path: `${BASE}/pvc-${uid}_default_data`,
      type: "DirectoryOrCreate",
    });
    assert.deepEqual(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions, [
      { key: "kubernetes.io/hostname", operator: "In", values: [HOST] },
    ]);
    assert.equal(pv.spec.claimRef.uid, uid);
    assert.equal(pv.spec.persistentVolumeReclaimPolicy, "Delete");
    assert.equal(
      pv.metadata.annotations["pv.kubernetes.io/provisioned-by"],
      "rancher.io/local-path",
    );
    assert.equal(pv.spec.capacity.storage, "1Gi");
  });

  it("removes the data with a helper pod on the node when the claim is deleted, then the volume", async () => {
    const uid = (await get(["pvc", "data"])).metadata.uid;
    await h.kubectl(["delete", "pod", "writer", "--grace-period=0", "--force"]);
    await h.kubectl(["delete", "pvc", "data"]);
    const helper: Pod = await until("helper pod", async () => {
      const pods = await h.pods("kube-system");
      return pods.find((p) => p.metadata?.name === `helper-pod-delete-pvc-${uid}`);
    });
    assert.equal(helper.spec?.nodeName, HOST);
    assert.deepEqual(helper.spec?.volumes?.[0]?.hostPath, {
      path: BASE,
      type: "DirectoryOrCreate",
    });
    const env = helper.spec?.containers[0]?.env ?? [];
    assert.equal(env.find((e) => e.name === "VOL_DIR")?.value, `${BASE}/pvc-${uid}_default_data`);
    assert.equal((await get(["pv", `pvc-${uid}`])).status.phase, "Released");
    await h.setPodPhase(helper, "Succeeded");
    await until("volume deleted", async () => {
      const r = await h.kubectlRaw(["get", "pv", `pvc-${uid}`]);
      return r.code !== 0 && /NotFound/.test(r.stderr) ? true : undefined;
    });
    await until("helper pod deleted", async () => {
      const pods = await h.pods("kube-system");
      return pods.length === 0 ? true : undefined;
    });
  });
});
