import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  accessModes,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  storageClassPrinter,
} from "../../../src/api/tables/storage.js";
import { ago, MIN, NOW, obj } from "./fixtures.js";

describe("storage printers", () => {
  it("prints a bound host-path persistent volume", () => {
    const pv = obj({
      metadata: { name: "pv0001", creationTimestamp: ago(MIN) },
      spec: {
        capacity: { storage: "10Gi" },
        accessModes: ["ReadWriteOnce", "ReadOnlyMany"],
        persistentVolumeReclaimPolicy: "Retain",
        claimRef: { namespace: "default", name: "myclaim" },
        storageClassName: "manual",
        volumeMode: "Filesystem",
        hostPath: { path: "/data" },
      },
      status: { phase: "Bound" },
    });
    assert.deepEqual(persistentVolumePrinter.row(pv, NOW), [
      "pv0001",
      "10Gi",
      "RWO,ROX",
      "Retain",
      "Bound",
      "default/myclaim",
      "manual",
      "<unset>",
      "",
      "60s",
      "Filesystem",
    ]);
  });

  it("prints a pending claim without capacity or modes", () => {
    const pvc = obj({
      metadata: { name: "myclaim", creationTimestamp: ago(MIN), deletionTimestamp: ago(1000) },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "8Gi" } } },
      status: { phase: "Pending" },
    });
    assert.deepEqual(persistentVolumeClaimPrinter.row(pvc, NOW), [
      "myclaim",
      "Terminating",
      "",
      "",
      "",
      "",
      "<unset>",
      "60s",
      "<unset>",
    ]);
  });

  it("prints a bound claim's volume, capacity and beta class annotation", () => {
    const pvc = obj({
      metadata: {
        name: "c",
        annotations: { "volume.beta.kubernetes.io/storage-class": "slow" },
      },
      spec: { volumeName: "pv0001", storageClassName: "fast", volumeMode: "Block" },
      status: { phase: "Bound", capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOncePod"] },
    });
    assert.deepEqual(persistentVolumeClaimPrinter.row(pvc, NOW).slice(1, 7), [
      "Bound",
      "pv0001",
      "10Gi",
      "RWOP",
      "slow",
      "<unset>",
    ]);
  });

  it("marks the default storage class and fills upstream defaults", () => {
    const sc = obj({
      metadata: {
        name: "local-path",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "rancher.io/local-path",
    });
    assert.deepEqual(storageClassPrinter.row(sc, NOW).slice(0, 5), [
      "local-path (default)",
      "rancher.io/local-path",
      "Delete",
      "Immediate",
      false,
    ]);
  });

  it("abbreviates access modes in a fixed order", () => {
    assert.equal(accessModes(["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"]), "RWO,RWX");
  });
});
