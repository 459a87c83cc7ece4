import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  findBestMatch,
  volumeMismatch,
} from "../../../src/controllers/persistentvolume/matching.js";
import { node, pv, pvc } from "./fixtures.js";

const match = (
  claim: ReturnType<typeof pvc>,
  volumes: ReturnType<typeof pv>[],
  options: Parameters<typeof findBestMatch>[1]["options"] = { delayBinding: false },
) => findBestMatch(claim, { volumes, options })?.metadata?.name;

describe("volume matching", () => {
  it("takes the smallest volume that holds the request", () => {
    const volumes = [
      pv("big", { size: "10Gi" }),
      pv("small", { size: "1Gi" }),
      pv("mid", { size: "2Gi" }),
    ];
    assert.equal(match(pvc("c", { size: "1500Mi" }), volumes), "mid");
    assert.equal(match(pvc("c", { size: "1Gi" }), volumes), "small");
    assert.equal(match(pvc("c", { size: "20Gi" }), volumes), undefined);
  });

  it("needs every requested access mode and prefers volumes offering fewer extra ones", () => {
    const volumes = [
      pv("rwo-rwx", { size: "1Gi", modes: ["ReadWriteOnce", "ReadWriteMany"] }),
      pv("rwo", { size: "5Gi", modes: ["ReadWriteOnce"] }),
    ];
    assert.equal(match(pvc("c"), volumes), "rwo");
    assert.equal(match(pvc("c", { modes: ["ReadWriteMany"] }), volumes), "rwo-rwx");
    assert.equal(match(pvc("c", { modes: ["ReadOnlyMany"] }), volumes), undefined);
  });

  it("matches classes exactly, an unset class being the empty class", () => {
    const volumes = [pv("none"), pv("fast", { cls: "fast" })];
    assert.equal(match(pvc("c"), volumes), "none");
    assert.equal(match(pvc("c", { cls: "" }), volumes), "none");
    assert.equal(match(pvc("c", { cls: "fast" }), volumes), "fast");
    assert.equal(match(pvc("c", { cls: "slow" }), volumes), undefined);
    const beta = pvc("c", { annotations: { "volume.beta.kubernetes.io/storage-class": "fast" } });
    assert.equal(match(beta, volumes), "fast");
  });

  it("honours the claim's label selector and volume mode", () => {
    const volumes = [pv("a", { labels: { tier: "db" } }), pv("b"), pv("blk", { mode: "Block" })];
    assert.equal(match(pvc("c", { selector: { tier: "db" } }), volumes), "a");
    assert.equal(match(pvc("c", { mode: "Block" }), volumes), "blk");
  });

  it("skips volumes that are bound, not Available, or being deleted", () => {
    const deleting = pv("deleting");
    deleting.metadata = { ...deleting.metadata, deletionTimestamp: "2024-01-01T00:00:00Z" };
    const volumes = [
      pv("taken", { claimRef: { namespace: "default", name: "other", uid: "x" } }),
      pv("released", { phase: "Released" }),
      deleting,
    ];
    assert.equal(match(pvc("c"), volumes), undefined);
  });

  it("prefers a volume pre-bound to the claim by name, or by name and UID", () => {
    const volumes = [
      pv("free"),
      pv("mine", { size: "5Gi", claimRef: { namespace: "default", name: "c" } }),
    ];
    assert.equal(match(pvc("c"), volumes), "mine");
    const wrongUid = [pv("mine", { claimRef: { namespace: "default", name: "c", uid: "old" } })];
    assert.equal(match(pvc("c"), wrongUid), undefined);
  });

  it("with delayed binding takes only pre-bound volumes", () => {
    const volumes = [
      pv("free"),
      pv("mine", { phase: "Pending", claimRef: { namespace: "default", name: "c" } }),
    ];
    assert.equal(match(pvc("c"), volumes, { delayBinding: true }), "mine");
    assert.equal(match(pvc("other"), volumes, { delayBinding: true }), undefined);
  });

  it("with a selected node only takes volumes that node can reach", () => {
    const volumes = [
      pv("far", { hostname: "n2" }),
      pv("near", { size: "2Gi", hostname: "n1" }),
      pv("any", { size: "3Gi" }),
    ];
    const options = { delayBinding: false, nodeSelected: true, node: node("n1") };
    assert.equal(match(pvc("c"), volumes, options), "near");
    assert.equal(
      match(pvc("c"), volumes, { delayBinding: false, nodeSelected: true, node: undefined }),
      "any",
    );
    const preBoundFar = [
      pv("far", { hostname: "n2", claimRef: { namespace: "default", name: "c" } }),
    ];
    assert.equal(match(pvc("c"), preBoundFar, options), undefined);
  });

  it("explains why a named volume cannot serve a claim", () => {
    assert.equal(volumeMismatch(pvc("c", { size: "2Gi" }), pv("v")), "requested PV is too small");
    assert.equal(
      volumeMismatch(pvc("c", { cls: "x" }), pv("v")),
      "storageClassName does not match",
    );
    assert.equal(volumeMismatch(pvc("c", { mode: "Block" }), pv("v")), "incompatible volumeMode");
    assert.equal(
      volumeMismatch(pvc("c", { modes: ["ReadWriteMany"] }), pv("v")),
      "incompatible accessMode",
    );
    assert.equal(volumeMismatch(pvc("c"), pv("v")), undefined);
  });
});
