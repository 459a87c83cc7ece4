// System suite: the PersistentVolume binder against a real API server,
// driven and observed with the real kubectl.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PersistentVolumeController } from "../../../src/controllers/persistentvolume/controller.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

const pv = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, labels: { suite: "pv" } },
    spec: {
      capacity: { storage: "1Gi" },
      accessModes: ["ReadWriteOnce"],
      hostPath: { path: `/tmp/k8ts-pv-test/${name}`, type: "DirectoryOrCreate" },
      ...extra,
    },
  });

const pvc = (name: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "500Mi" } },
      ...extra,
    },
  });

describe("persistentvolume binder", () => {
  let h: ControllerHarness;
  const get = async (kind: string, name: string) =>
    JSON.parse(await h.kubectl(["get", kind, name, "-o", "json"]));
  const phase = (kind: string, name: string, want: string) =>
    until(`${kind} ${name} ${want}`, async () => {
      const obj = await get(kind, name);
      return obj.status?.phase === want ? obj : undefined;
    });

  before(async () => {
    h = await startControllers((ctx) => [new PersistentVolumeController(ctx)]);
  });
  after(async () => {
    await h?.stop();
  });

  it("makes a new volume Available and binds a claim created after it", async () => {
    await h.kubectl(["apply", "-f", "-"], pv("pv-first"));
    await phase("pv", "pv-first", "Available");
    await h.kubectl(["apply", "-f", "-"], pvc("claim-after"));
    const claim = await phase("pvc", "claim-after", "Bound");
    assert.equal(claim.spec.volumeName, "pv-first");
    assert.equal(claim.status.capacity.storage, "1Gi");
    assert.deepEqual(claim.status.accessModes, ["ReadWriteOnce"]);
    assert.equal(claim.metadata.annotations["pv.kubernetes.io/bind-completed"], "yes");
    assert.equal(claim.metadata.annotations["pv.kubernetes.io/bound-by-controller"], "yes");
    const volume = await phase("pv", "pv-first", "Bound");
    assert.equal(volume.spec.claimRef.name, "claim-after");
    assert.equal(volume.spec.claimRef.uid, claim.metadata.uid);
    assert.equal(volume.metadata.annotations["pv.kubernetes.io/bound-by-controller"], "yes");
    const table = await h.kubectl(["get", "pvc", "claim-after"]);
    assert.match(table, /claim-after\s+Bound\s+pv-first\s+1Gi\s+RWO/);
  });

  it("keeps a claim Pending until a fitting volume appears, then binds it", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      pvc("claim-before", { resources: { requests: { storage: "2Gi" } } }),
    );
    await phase("pvc", "claim-before", "Pending");
    await h.kubectl(["apply", "-f", "-"], pv("pv-small"));
    await phase("pv", "pv-small", "Available");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await get("pvc", "claim-before")).status.phase, "Pending");
    await h.kubectl(["apply", "-f", "-"], pv("pv-right", { capacity: { storage: "2Gi" } }));
    const claim = await phase("pvc", "claim-before", "Bound");
    assert.equal(claim.spec.volumeName, "pv-right");
    assert.equal((await get("pv", "pv-small")).status.phase, "Available");
  });

  it("binds the smallest volume that fits", async () => {
    await h.kubectl(["apply", "-f", "-"], pv("pv-big", { capacity: { storage: "5Gi" } }));
    await h.kubectl(["apply", "-f", "-"], pv("pv-mid", { capacity: { storage: "3Gi" } }));
    await phase("pv", "pv-big", "Available");
    await phase("pv", "pv-mid", "Available");
    await h.kubectl(
      ["apply", "-f", "-"],
      pvc("picky", { resources: { requests: { storage: "2500Mi" } } }),
    );
    assert.equal((await phase("pvc", "picky", "Bound")).spec.volumeName, "pv-mid");
  });

  it("binds a claim that names its volume, and a volume reserved for a claim", async () => {
    await h.kubectl(["apply", "-f", "-"], pvc("named", { volumeName: "pv-big" }));
    const named = await phase("pvc", "named", "Bound");
    assert.equal(named.metadata.annotations["pv.kubernetes.io/bound-by-controller"], undefined);
    await h.kubectl(
      ["apply", "-f", "-"],
      pv("pv-reserved", { claimRef: { namespace: "default", name: "reserved" } }),
    );
    await h.kubectl(["apply", "-f", "-"], pvc("reserved"));
    const reserved = await phase("pvc", "reserved", "Bound");
    assert.equal(reserved.spec.volumeName, "pv-reserved");
    const volume = await phase("pv", "pv-reserved", "Bound");
    assert.equal(volume.metadata.annotations?.["pv.kubernetes.io/bound-by-controller"], undefined);
  });

  it("releases a Retain volume when its claim is deleted, and keeps it", async () => {
    await h.kubectl(["delete", "pvc", "claim-after"]);
    const volume = await phase("pv", "pv-first", "Released");
    assert.equal(volume.spec.persistentVolumeReclaimPolicy, "Retain");
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await get("pv", "pv-first")).status.phase, "Released");
    // A Released volume is not handed to another claim.
    await h.kubectl(["apply", "-f", "-"], pvc("late"));
    await new Promise((r) => setTimeout(r, 500));
    assert.notEqual((await get("pvc", "late")).spec.volumeName, "pv-first");
  });

  it("deletes a Delete volume once its claim is deleted", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      pv("pv-delete", {
        persistentVolumeReclaimPolicy: "Delete",
        storageClassName: "scratch",
      }),
    );
    await h.kubectl(["apply", "-f", "-"], pvc("scratch", { storageClassName: "scratch" }));
    await phase("pvc", "scratch", "Bound");
    await h.kubectl(["delete", "pvc", "scratch"]);
    await until("pv-delete removed", async () => {
      const r = await h.kubectlRaw(["get", "pv", "pv-delete"]);
      return r.code !== 0 && /NotFound/.test(r.stderr) ? true : undefined;
    });
  });

  it("marks a bound claim Lost when its volume disappears", async () => {
    await h.kubectl(["delete", "pv", "pv-right", "--wait=false"]);
    await phase("pvc", "claim-before", "Lost");
  });
});
