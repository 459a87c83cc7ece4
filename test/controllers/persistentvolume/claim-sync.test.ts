import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideClaim } from "../../../src/controllers/persistentvolume/claim-sync.js";
import { node, pv, pvc, storageClass, world } from "./fixtures.js";

const COMPLETED = { "pv.kubernetes.io/bind-completed": "yes" };
const SELECTED = (n: string) => ({ "volume.kubernetes.io/selected-node": n });

describe("claim sync decisions", () => {
  it("binds an unbound claim to its best match", () => {
    const d = decideClaim(pvc("c"), world({ volumes: [pv("v")] }));
    assert.equal(d.kind, "bind");
    assert.equal(d.kind === "bind" && d.volume.metadata?.name, "v");
  });

  it("stays Pending without a match and without a class", () => {
    const d = decideClaim(pvc("c"), world({}));
    assert.equal(d.kind, "pending");
    assert.equal(d.kind === "pending" && d.event?.reason, "FailedBinding");
  });

  it("hands a claim whose class has a provisioner to that provisioner", () => {
    const d = decideClaim(pvc("c", { cls: "fast" }), world({ classes: [storageClass("fast")] }));
    assert.equal(d.kind, "provision");
    assert.equal(d.kind === "provision" && d.provisioner, "example.com/disk");
  });

  it("reports a missing class", () => {
    const d = decideClaim(pvc("c", { cls: "gone" }), world({}));
    assert.equal(d.kind === "pending" && d.event?.reason, "ProvisioningFailed");
  });

  it("waits for the first consumer, then provisions once a node is selected", () => {
    const classes = [storageClass("local", { wffc: true })];
    const volumes = [pv("static", { cls: "local" })];
    const waiting = decideClaim(pvc("c", { cls: "local" }), world({ classes, volumes }));
    assert.equal(waiting.kind === "pending" && waiting.event?.reason, "WaitForFirstConsumer");
    const selected = pvc("c", { cls: "local", annotations: SELECTED("n1") });
    const d = decideClaim(selected, world({ classes, nodes: [node("n1")] }));
    assert.equal(d.kind, "provision");
  });

  it("with a selected node binds a static volume on that node instead of provisioning", () => {
    const classes = [storageClass("local", { wffc: true })];
    const volumes = [
      pv("other", { cls: "local", hostname: "n2" }),
      pv("here", { cls: "local", hostname: "n1" }),
    ];
    const claim = pvc("c", { cls: "local", annotations: SELECTED("n1") });
    const d = decideClaim(claim, world({ classes, volumes, nodes: [node("n1"), node("n2")] }));
    assert.equal(d.kind === "bind" && d.volume.metadata?.name, "here");
  });

  it("binds a claim naming a free volume that fits, and refuses one that does not", () => {
    assert.equal(
      decideClaim(pvc("c", { volumeName: "v" }), world({ volumes: [pv("v")] })).kind,
      "bind",
    );
    const small = decideClaim(
      pvc("c", { volumeName: "v", size: "5Gi" }),
      world({ volumes: [pv("v")] }),
    );
    assert.equal(small.kind === "pending" && small.event?.reason, "VolumeMismatch");
    const missing = decideClaim(pvc("c", { volumeName: "v" }), world({}));
    assert.equal(missing.kind, "pending");
  });

  it("waits while the volume a claim names is held by another claim", () => {
    const held = pv("v", { claimRef: { namespace: "default", name: "other", uid: "o" } });
    const d = decideClaim(pvc("c", { volumeName: "v" }), world({ volumes: [held] }));
    assert.equal(d.kind, "pending");
  });

  it("keeps a bound claim bound, rebinding a volume that came unbound", () => {
    const claim = pvc("c", { volumeName: "v", annotations: COMPLETED, phase: "Bound" });
    const bound = pv("v", { claimRef: { namespace: "default", name: "c", uid: "uid-c" } });
    assert.equal(decideClaim(claim, world({ volumes: [bound] })).kind, "bind");
    assert.equal(decideClaim(claim, world({ volumes: [pv("v")] })).kind, "bind");
  });

  it("declares a bound claim Lost when its volume is gone or belongs to another claim", () => {
    const claim = pvc("c", { volumeName: "v", annotations: COMPLETED, phase: "Bound" });
    const gone = decideClaim(claim, world({}));
    assert.equal(gone.kind === "lost" && gone.event.reason, "ClaimLost");
    const other = pv("v", { claimRef: { namespace: "default", name: "x", uid: "uid-x" } });
    const misbound = decideClaim(claim, world({ volumes: [other] }));
    assert.equal(misbound.kind === "lost" && misbound.event.reason, "ClaimMisbound");
    const unnamed = pvc("c", { annotations: COMPLETED, phase: "Bound" });
    assert.equal(decideClaim(unnamed, world({})).kind, "lost");
  });
});
