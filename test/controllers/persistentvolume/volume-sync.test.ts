import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  claimBoundTo,
  claimStatus,
  volumeBoundTo,
  volumeStatus,
  volumeUnbound,
} from "../../../src/controllers/persistentvolume/binding.js";
import {
  decideReclaim,
  decideVolume,
} from "../../../src/controllers/persistentvolume/volume-sync.js";
import { pv, pvc } from "./fixtures.js";

const REF = { namespace: "default", name: "c", uid: "uid-c" };
const PROVISIONED = { "pv.kubernetes.io/provisioned-by": "rancher.io/local-path" };

describe("volume sync decisions", () => {
  it("a free or only reserved volume is Available", () => {
    assert.equal(decideVolume(pv("v"), undefined).kind, "available");
    assert.equal(
      decideVolume(pv("v", { claimRef: { namespace: "default", name: "c" } }), undefined).kind,
      "available",
    );
  });

  it("a volume whose claim names it is Bound; one whose claim does not yet waits for the claim", () => {
    const v = pv("v", { claimRef: REF });
    assert.equal(decideVolume(v, pvc("c", { volumeName: "v" })).kind, "bound");
    assert.equal(decideVolume(v, pvc("c")).kind, "syncClaim");
  });

  it("a volume whose claim is gone is released", () => {
    assert.equal(decideVolume(pv("v", { claimRef: REF }), undefined).kind, "release");
  });

  it("a volume whose claim went to another volume is given up, or released if provisioned for it", () => {
    const claim = pvc("c", { volumeName: "elsewhere" });
    assert.equal(decideVolume(pv("v", { claimRef: REF }), claim).kind, "unbind");
    const provisioned = pv("v", { claimRef: REF, annotations: PROVISIONED, reclaim: "Delete" });
    assert.equal(decideVolume(provisioned, claim).kind, "release");
  });

  it("reclaims by policy: Retain keeps, Delete deletes or waits for the provisioner, Recycle fails", () => {
    assert.equal(decideReclaim(pv("v")).kind, "retain");
    assert.equal(decideReclaim(pv("v", { reclaim: "Delete" })).kind, "delete");
    const external = decideReclaim(pv("v", { reclaim: "Delete", annotations: PROVISIONED }));
    assert.deepEqual(external, { kind: "external", provisioner: "rancher.io/local-path" });
    assert.equal(decideReclaim(pv("v", { reclaim: "Recycle" })).kind, "fail");
  });
});

describe("binding writes", () => {
  it("binds a free volume as the controller's and a reserved one as the user's", () => {
    const free = volumeBoundTo(pv("v"), pvc("c"));
    assert.deepEqual(free?.spec?.claimRef, {
      kind: "PersistentVolumeClaim",
      apiVersion: "v1",
      namespace: "default",
      name: "c",
      uid: "uid-c",
      resourceVersion: "1",
    });
    assert.equal(free?.metadata?.annotations?.["pv.kubernetes.io/bound-by-controller"], "yes");
    const reserved = volumeBoundTo(
      pv("v", { claimRef: { namespace: "default", name: "c" } }),
      pvc("c"),
    );
    assert.equal(reserved?.spec?.claimRef?.uid, "uid-c");
    assert.equal(
      reserved?.metadata?.annotations?.["pv.kubernetes.io/bound-by-controller"],
      undefined,
    );
    assert.equal(volumeBoundTo(pv("v", { claimRef: REF }), pvc("c")), undefined);
  });

  it("names the volume on the claim with bind-completed, and leaves a done claim alone", () => {
    const claim = claimBoundTo(pvc("c"), pv("v"));
    assert.equal(claim?.spec?.volumeName, "v");
    assert.deepEqual(claim?.metadata?.annotations, {
      "pv.kubernetes.io/bound-by-controller": "yes",
      "pv.kubernetes.io/bind-completed": "yes",
    });
    const named = claimBoundTo(pvc("c", { volumeName: "v" }), pv("v"));
    assert.deepEqual(named?.metadata?.annotations, { "pv.kubernetes.io/bind-completed": "yes" });
    const done = pvc("c", {
      volumeName: "v",
      annotations: { "pv.kubernetes.io/bind-completed": "yes" },
    });
    assert.equal(claimBoundTo(done, pv("v")), undefined);
  });

  it("unbinds the controller's binding fully and a user's reservation down to its name", () => {
    const mine = pv("v", {
      claimRef: REF,
      annotations: { "pv.kubernetes.io/bound-by-controller": "yes" },
    });
    const freed = volumeUnbound(mine);
    assert.equal(freed.spec?.claimRef, undefined);
    assert.deepEqual(freed.metadata?.annotations, {});
    const theirs = volumeUnbound(pv("v", { claimRef: REF }));
    assert.deepEqual(theirs.spec?.claimRef, { namespace: "default", name: "c" });
  });

  it("claim status carries the volume's capacity and modes only while Bound", () => {
    const bound = claimStatus(pvc("c"), "Bound", pv("v", { size: "2Gi" }));
    assert.deepEqual(bound, {
      phase: "Bound",
      accessModes: ["ReadWriteOnce"],
      capacity: { storage: "2Gi" },
    });
    assert.equal(claimStatus(pvc("c"), "Pending"), undefined);
    assert.deepEqual(claimStatus({ ...pvc("c"), status: bound ?? {} }, "Lost"), { phase: "Lost" });
  });

  it("volume status records when the phase changed", () => {
    const now = Date.parse("2024-05-01T10:00:00Z");
    const s = volumeStatus(pv("v"), { phase: "Bound", now });
    assert.deepEqual(s, { phase: "Bound", lastPhaseTransitionTime: "2024-05-01T10:00:00Z" });
    assert.equal(volumeStatus(pv("v"), { phase: "Available", now }), undefined);
  });
});
