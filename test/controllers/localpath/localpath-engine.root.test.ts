// Root suite: local-path volumes on real containers. A kubelet over the
// runc engine, the real scheduler, the binder and the provisioner in this
// process: a pod writes into its provisioned volume, the file lands in the
// node's directory, and deleting the claim removes that directory through
// a real helper pod.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { SharedInformerFactory } from "../../../src/client/informer/factory.js";
import { realClock } from "../../../src/client/util/clock.js";
import { LocalPathProvisioner } from "../../../src/controllers/localpath/provisioner.js";
import {
  newControllerContext,
  type RunnableController,
} from "../../../src/controllers/manager/context.js";
import { PersistentVolumeController } from "../../../src/controllers/persistentvolume/controller.js";
import { Scheduler } from "../../../src/scheduler/runner/scheduler.js";
import { silentLogger } from "../../../src/util/log.js";
import { type EngineKubelet, startEngineKubelet } from "../../kubelet/engine-harness.js";
import { until } from "../../kubelet/harness.js";
import { tempDir } from "../../support/tmp.js";

describe("local-path volumes on real containers", () => {
  let k: EngineKubelet;
  let scheduler: Scheduler;
  let informers: SharedInformerFactory;
  let controllers: RunnableController[] = [];
  const storage = tempDir("local-path");
  const kubectl = (args: string[], input?: string) => k.h.kubectl(args, input);
  const get = async (args: string[]) => JSON.parse(await kubectl(["get", ...args, "-o", "json"]));

  before(async () => {
    k = await startEngineKubelet(3);
    scheduler = new Scheduler(k.h.rest, { schedulerName: "default-scheduler", log: silentLogger });
    await scheduler.start();
    informers = new SharedInformerFactory(k.h.rest);
    const ctx = newControllerContext({
      rest: k.h.rest,
      informers,
      log: silentLogger,
      clock: realClock,
    });
    controllers = [
      new PersistentVolumeController(ctx),
      new LocalPathProvisioner(ctx, { basePath: storage.path }),
    ];
    informers.start();
    await Promise.all(controllers.map((c) => c.run(2)));
    await until("local-path class", async () =>
      (await kubectl(["get", "storageclass"])).includes("local-path") ? true : undefined,
    );
  });
  after(async () => {
    await Promise.all(controllers.map((c) => c.stop()));
    await informers?.stop();
    await scheduler?.stop();
    await k?.stop();
    storage.remove();
  });

  it("a pod's file lands in the provisioned directory, which goes with the claim", async () => {
    await k.apply({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "64Mi" } } },
    });
    await k.apply({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "writer" },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: "c",
            image: "busybox",
            command: ["sh", "-c", "echo written-by-pod > /data/f && sleep 3600"],
            volumeMounts: [{ name: "d", mountPath: "/data" }],
          },
        ],
        volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }],
      },
    });
    await until("writer scheduled", async () => {
      const p = await get(["pod", "writer"]);
      return p.spec.nodeName ? p : undefined;
    });
    // The scheduler annotated the claim with the chosen node (selected-node) and bound
    // the pod only once the provisioned volume was bound.
    await k.runningPod("writer", 90_000);
    const uid = (await get(["pvc", "data"])).metadata.uid;
    const dir = `${storage.path}/pvc-${uid}_default_data`;
    const content = await until("file on the host", async () =>
      existsSync(`${dir}/f`) ? readFileSync(`${dir}/f`, "utf8") : undefined,
    );
    assert.equal(content, "written-by-pod\n");

    await kubectl(["delete", "pod", "writer", "--wait=true", "--timeout=60s"]);
    await kubectl(["delete", "pvc", "data"]);
    await until(
      "volume deleted",
      async () => {
        const r = await k.h.kubectlRaw(["get", "pv", `pvc-${uid}`]);
        return r.code !== 0 && /NotFound/.test(r.stderr) ? true : undefined;
      },
      90_000,
    );
    assert.equal(existsSync(dir), false);
    assert.equal(existsSync(storage.path), true);
  });
});
