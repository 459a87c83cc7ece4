import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PersistentVolume, PersistentVolumeClaim, Pod } from "kubernetes-types/core/v1.js";
import type { StorageClass } from "kubernetes-types/storage/v1.js";
import type { Lookups } from "../../../src/scheduler/framework/interface.js";
import { newCycleContext, runPreFilters } from "../../../src/scheduler/framework/schedule.js";
import { imageLocality } from "../../../src/scheduler/plugins/image-locality/plugin.js";
import {
  normalizedImageName,
  podImageNames,
} from "../../../src/scheduler/plugins/image-locality/score.js";
import { volumeBinding } from "../../../src/scheduler/plugins/volume-binding/plugin.js";
import { makeNode, makePod, snapshotOf } from "../fixtures.js";

const MB = 1024 * 1024;

describe("ImageLocality", () => {
  it("normalises image names to a tag", () => {
    assert.equal(normalizedImageName("nginx"), "nginx:latest");
    assert.equal(normalizedImageName("registry:5000/team/app"), "registry:5000/team/app:latest");
    assert.equal(normalizedImageName("nginx:1.27"), "nginx:1.27");
  });

  it("lists the pod's images once per cycle, init containers first", () => {
    const pod = makePod("p", {
      containers: [{ name: "app", image: "nginx" }],
      spec: { initContainers: [{ name: "init", image: "busybox:1.36" }] },
    });
    assert.deepEqual(podImageNames(pod), ["busybox:1.36", "nginx:latest"]);
  });

  it("scores the same with and without PreScore", () => {
    const image = { names: ["nginx:1.27"], sizeBytes: 500 * MB };
    const snapshot = snapshotOf([makeNode("has-it", { images: [image] }), makeNode("none")]);
    const plugin = imageLocality();
    const fresh = newCycleContext(makePod("p"), { snapshot });
    const prepared = newCycleContext(makePod("p"), { snapshot });
    assert.equal(plugin.preScore?.(prepared, snapshot.nodeInfos).code, "Success");
    for (const n of snapshot.nodeInfos) {
      assert.equal(plugin.score(prepared, n), plugin.score(fresh, n));
    }
  });

  it("scores by image size spread over the nodes that have it", () => {
    const image = { names: ["nginx:1.27"], sizeBytes: 500 * MB };
    const snapshot = snapshotOf([
      makeNode("has-it", { images: [image] }),
      makeNode("also", { images: [image] }),
      makeNode("none"),
      makeNode("tiny", { images: [{ names: ["busybox:latest"], sizeBytes: 2 * MB }] }),
    ]);
    const pod = makePod("p");
    const ctx = newCycleContext(pod, { snapshot });
    const scores = snapshot.nodeInfos.map((n) => imageLocality().score(ctx, n));
    // 500 MB × 2/4 nodes = 250 MB; (250 − 23) / (1000 − 23) × 100 = 23.
    assert.deepEqual(scores, [23, 23, 0, 0]);
  });
});

describe("VolumeBinding", () => {
  const nodes = [
    makeNode("z1-node", { labels: { "topology.kubernetes.io/zone": "z1" } }),
    makeNode("z2-node", { labels: { "topology.kubernetes.io/zone": "z2" } }),
  ];
  const pv: PersistentVolume = {
    metadata: { name: "pv-z1" },
    spec: {
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: "topology.kubernetes.io/zone", operator: "In", values: ["z1"] },
              ],
            },
          ],
        },
      },
    },
  };
  const claims: Record<string, PersistentVolumeClaim> = {
    bound: { metadata: { name: "bound", namespace: "default" }, spec: { volumeName: "pv-z1" } },
    lazy: { metadata: { name: "lazy", namespace: "default" }, spec: { storageClassName: "local" } },
    eager: {
      metadata: { name: "eager", namespace: "default" },
      spec: { storageClassName: "standard" },
    },
  };
  const classes: Record<string, StorageClass> = {
    local: {
      metadata: { name: "local" },
      provisioner: "x",
      volumeBindingMode: "WaitForFirstConsumer",
    },
    standard: { metadata: { name: "standard" }, provisioner: "x", volumeBindingMode: "Immediate" },
  };
  const lookups: Lookups = {
    getPVC: (_ns, name) => claims[name],
    getPV: (name) => (name === "pv-z1" ? pv : undefined),
    getStorageClass: (name) => classes[name],
  };
  const withClaim = (claimName: string): Pod =>
    makePod("p", { spec: { volumes: [{ name: "data", persistentVolumeClaim: { claimName } }] } });

  const cases = [
    {
      name: "a bound claim's volume node affinity picks the zone",
      claim: "bound",
      pre: "Success",
      want: ["z1-node"],
    },
    {
      name: "an unbound WaitForFirstConsumer claim passes every node",
      claim: "lazy",
      pre: "Success",
      want: ["z1-node", "z2-node"],
    },
    {
      name: "an unbound Immediate claim rejects the pod in PreFilter",
      claim: "eager",
      pre: "UnschedulableAndUnresolvable",
      want: [],
    },
    {
      name: "a missing claim rejects the pod in PreFilter",
      claim: "gone",
      pre: "UnschedulableAndUnresolvable",
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const snapshot = snapshotOf(nodes);
      const plugin = volumeBinding();
      const ctx = newCycleContext(withClaim(c.claim), { snapshot, lookups });
      const pre = runPreFilters(ctx, [plugin]);
      assert.equal(pre.rejection?.code ?? "Success", c.pre);
      if (pre.rejection) return;
      const fits = snapshot.nodeInfos.filter((n) => plugin.filter(ctx, n).code === "Success");
      assert.deepEqual(
        fits.map((n) => n.name),
        c.want,
      );
    });
  }

  it("words the rejections as upstream", () => {
    const snapshot = snapshotOf(nodes);
    const plugin = volumeBinding();
    const eager = runPreFilters(newCycleContext(withClaim("eager"), { snapshot, lookups }), [
      plugin,
    ]);
    assert.deepEqual(eager.rejection?.reasons, [
      "pod has unbound immediate PersistentVolumeClaims",
    ]);
    const gone = runPreFilters(newCycleContext(withClaim("gone"), { snapshot, lookups }), [plugin]);
    assert.deepEqual(gone.rejection?.reasons, ['persistentvolumeclaim "gone" not found']);
    const ctx = newCycleContext(withClaim("bound"), { snapshot, lookups });
    runPreFilters(ctx, [plugin]);
    const z2 = snapshot.get("z2-node");
    assert.ok(z2);
    assert.deepEqual(plugin.filter(ctx, z2).reasons, ["node(s) had volume node affinity conflict"]);
  });
});
