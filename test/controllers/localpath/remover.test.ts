import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { Indexer } from "../../../src/client/informer/indexer.js";
import type { ResourceClient } from "../../../src/client/rest/resource.js";
import { FakeClock } from "../../../src/client/util/clock.js";
import { helperPod, splitVolumePath } from "../../../src/controllers/localpath/helper-pod.js";
import { DataRemovalError, HelperPodRemover } from "../../../src/controllers/localpath/remover.js";

const LOCATION = { volume: "pvc-1", path: "/var/lib/k8ts/storage/pvc-1_default_data", node: "n1" };

function fakePods() {
  const created: Pod[] = [];
  const deleted: string[] = [];
  const client = {
    create: async (pod: Pod) => {
      created.push(pod);
      return pod;
    },
    delete: async (name: string) => {
      deleted.push(name);
      return {};
    },
  } as unknown as ResourceClient<Pod>;
  return { client, created, deleted };
}

describe("helper pod", () => {
  it("runs rm -rf of the volume directory on the node, with the parent directory mounted", () => {
    const pod = helperPod({
      action: "delete",
      ...LOCATION,
      namespace: "kube-system",
      image: "busybox",
      script: "rm",
    });
    assert.equal(pod.metadata?.name, "helper-pod-delete-pvc-1");
    assert.equal(pod.spec?.nodeName, "n1");
    assert.equal(pod.spec?.restartPolicy, "Never");
    assert.deepEqual(pod.spec?.volumes, [
      { name: "data", hostPath: { path: "/var/lib/k8ts/storage", type: "DirectoryOrCreate" } },
    ]);
    const c = pod.spec?.containers[0];
    assert.deepEqual(c?.volumeMounts, [{ name: "data", mountPath: "/var/lib/k8ts/storage" }]);
    assert.equal(c?.env?.find((e) => e.name === "VOL_DIR")?.value, LOCATION.path);
  });

  it("refuses paths without a parent directory", () => {
    assert.equal(splitVolumePath("/"), undefined);
    assert.equal(splitVolumePath("/data"), undefined);
    assert.equal(splitVolumePath("relative/x"), undefined);
    assert.deepEqual(splitVolumePath("/a/b/"), { parent: "/a", dir: "b" });
  });
});

describe("helper pod remover", () => {
  const setup = () => {
    const pods = fakePods();
    const cache = new Indexer<Pod>();
    const clock = new FakeClock(Date.parse("2024-05-01T10:00:00Z"));
    const remover = new HelperPodRemover({
      pods: pods.client,
      podCache: cache,
      namespace: "kube-system",
      image: "busybox",
      clock,
      timeoutMs: 60_000,
    });
    const inCache = (phase: string) => {
      const pod = pods.created[0] as Pod;
      cache.upsert({
        ...pod,
        metadata: { ...pod.metadata, uid: "u1", creationTimestamp: "2024-05-01T10:00:00Z" },
        status: { phase },
      });
    };
    return { pods, cache, clock, remover, inCache };
  };

  it("starts a helper pod, waits while it runs, and is done once it Succeeded (deleting it)", async () => {
    const { pods, remover, inCache } = setup();
    assert.equal(await remover.remove(LOCATION), "pending");
    assert.equal(pods.created.length, 1);
    inCache("Running");
    assert.equal(await remover.remove(LOCATION), "pending");
    inCache("Succeeded");
    assert.equal(await remover.remove(LOCATION), "done");
    assert.deepEqual(pods.deleted, ["helper-pod-delete-pvc-1"]);
    assert.equal(pods.created.length, 1);
  });

  it("fails (deleting the pod) when the helper pod fails or takes too long", async () => {
    const failed = setup();
    await failed.remover.remove(LOCATION);
    failed.inCache("Failed");
    await assert.rejects(failed.remover.remove(LOCATION), DataRemovalError);
    assert.equal(failed.pods.deleted.length, 1);

    const slow = setup();
    await slow.remover.remove(LOCATION);
    slow.inCache("Pending");
    slow.clock.step(61_000);
    await assert.rejects(slow.remover.remove(LOCATION), /did not finish in time/);
  });
});
