import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PersistentVolumeClaim } from "kubernetes-types/core/v1.js";
import {
  decideProvision,
  type ProvisionContext,
  shouldDelete,
  volumeLocation,
  volumePath,
} from "../../../src/controllers/localpath/plan.js";
import { node, pv, pvc, storageClass } from "../persistentvolume/fixtures.js";

const NAME = "rancher.io/local-path";
const ctx = (o: Partial<ProvisionContext> = {}): ProvisionContext => ({
  provisioner: NAME,
  basePath: "/var/lib/k8ts/storage/",
  storageClass: (n) =>
    n === "local-path" ? storageClass("local-path", { provisioner: NAME, wffc: true }) : undefined,
  node: (n) => (n === "n1" ? node("n1", "host-1") : undefined),
  volumeExists: () => false,
  ...o,
});
const claim = (
  annotations: Record<string, string> = {},
  extra: Partial<Parameters<typeof pvc>[1]> = {},
) =>
  pvc("data", {
    cls: "local-path",
    size: "2Gi",
    annotations: { "volume.kubernetes.io/storage-provisioner": NAME, ...annotations },
    ...extra,
  });
const SELECTED = { "volume.kubernetes.io/selected-node": "n1" };

describe("local-path provisioning decisions", () => {
  it("places the volume directory under basePath, named pvc-<uid>_<namespace>_<name>", () => {
    assert.equal(
      volumePath(claim(), "/var/lib/k8ts/storage/"),
      "/var/lib/k8ts/storage/pvc-uid-data_default_data",
    );
  });

  it("leaves claims of other provisioners, bound claims and claims whose node is not chosen", () => {
    assert.equal(decideProvision(pvc("x", { cls: "local-path" }), ctx()).kind, "skip");
    const other = claim({ "volume.kubernetes.io/storage-provisioner": "other.io/x", ...SELECTED });
    assert.equal(decideProvision(other, ctx()).kind, "skip");
    assert.equal(decideProvision(claim(SELECTED, { volumeName: "v" }), ctx()).kind, "skip");
    assert.equal(decideProvision(claim(), ctx()).kind, "skip");
    assert.equal(decideProvision(claim(SELECTED), ctx({ volumeExists: () => true })).kind, "skip");
  });

  it("creates a hostPath volume on the selected node, pre-bound to the claim", () => {
    const d = decideProvision(claim(SELECTED), ctx());
    assert.equal(d.kind, "create");
    const v = d.kind === "create" ? d.volume : undefined;
    assert.equal(v?.metadata?.name, "pvc-uid-data");
    assert.equal(v?.metadata?.annotations?.["pv.kubernetes.io/provisioned-by"], NAME);
    assert.deepEqual(v?.spec?.hostPath, {
      path: "/var/lib/k8ts/storage/pvc-uid-data_default_data",
      type: "DirectoryOrCreate",
    });
    assert.deepEqual(v?.spec?.capacity, { storage: "2Gi" });
    assert.deepEqual(v?.spec?.accessModes, ["ReadWriteOnce"]);
    assert.equal(v?.spec?.persistentVolumeReclaimPolicy, "Delete");
    assert.equal(v?.spec?.storageClassName, "local-path");
    assert.deepEqual(v?.spec?.claimRef, {
      kind: "PersistentVolumeClaim",
      apiVersion: "v1",
      namespace: "default",
      name: "data",
      uid: "uid-data",
      resourceVersion: "1",
    });
    assert.deepEqual(v?.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions, [
      { key: "kubernetes.io/hostname", operator: "In", values: ["host-1"] },
    ]);
  });

  it("retries while the class or the node is not known, and refuses what local-path cannot serve", () => {
    const unknownNode = claim({ "volume.kubernetes.io/selected-node": "n9" });
    assert.equal(decideProvision(unknownNode, ctx()).kind, "retry");
    assert.equal(
      decideProvision(claim(SELECTED), ctx({ storageClass: () => undefined })).kind,
      "retry",
    );
    const rwx = decideProvision(claim(SELECTED, { modes: ["ReadWriteMany"] }), ctx());
    assert.equal(rwx.kind, "fail");
    const selector: PersistentVolumeClaim = claim(SELECTED, { selector: { a: "b" } });
    assert.equal(decideProvision(selector, ctx()).kind, "fail");
    const immediate = ctx({
      storageClass: () => storageClass("local-path", { provisioner: NAME }),
    });
    assert.equal(decideProvision(claim(), immediate).kind, "fail");
  });

  it("deletes only Released volumes it provisioned with reclaim policy Delete", () => {
    const mine = { "pv.kubernetes.io/provisioned-by": NAME };
    assert.equal(
      shouldDelete(pv("v", { annotations: mine, reclaim: "Delete", phase: "Released" }), NAME),
      true,
    );
    assert.equal(
      shouldDelete(pv("v", { annotations: mine, reclaim: "Retain", phase: "Released" }), NAME),
      false,
    );
    assert.equal(
      shouldDelete(pv("v", { annotations: mine, reclaim: "Delete", phase: "Bound" }), NAME),
      false,
    );
    assert.equal(shouldDelete(pv("v", { reclaim: "Delete", phase: "Released" }), NAME), false);
  });

  it("finds a volume's directory and node from its hostPath and node affinity", () => {
    assert.deepEqual(volumeLocation(pv("v", { hostname: "host-1" })), {
      path: "/data/v",
      hostname: "host-1",
    });
    assert.deepEqual(volumeLocation(pv("v")), { error: "cannot find affinited node" });
  });
});
