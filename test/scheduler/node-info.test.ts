import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { NodeInfo } from "../../src/scheduler/framework/node-info.js";
import { Snapshot } from "../../src/scheduler/framework/snapshot.js";
import { makeNode, makePod } from "./fixtures.js";

const term = {
  labelSelector: { matchLabels: { app: "web" } },
  topologyKey: "kubernetes.io/hostname",
};
const antiAffine = (name: string) =>
  makePod(name, {
    nodeName: "n1",
    labels: { app: "web" },
    spec: {
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } },
    },
  });
const preferring = (name: string) =>
  makePod(name, {
    nodeName: "n1",
    spec: {
      affinity: {
        podAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term }],
        },
      },
    },
  });
const names = (pods: readonly { pod: Pod }[]) => pods.map((p) => p.pod.metadata?.name);

describe("NodeInfo pod lists", () => {
  it("keeps the pods with (anti-)affinity in step with adds and removals", () => {
    const info = new NodeInfo(makeNode("n1"));
    const plain = makePod("plain", { nodeName: "n1" });
    info.addPod(plain);
    info.addPod(antiAffine("anti"));
    info.addPod(preferring("pref"));
    assert.deepEqual(names(info.pods), ["plain", "anti", "pref"]);
    assert.deepEqual(names(info.podsWithAffinity), ["anti", "pref"]);
    assert.deepEqual(names(info.podsWithRequiredAntiAffinity), ["anti"]);

    assert.equal(info.removePod(antiAffine("anti")), true);
    assert.deepEqual(names(info.pods), ["plain", "pref"]);
    assert.deepEqual(names(info.podsWithAffinity), ["pref"]);
    assert.deepEqual(names(info.podsWithRequiredAntiAffinity), []);
    assert.equal(info.removePod(antiAffine("anti")), false);
  });

  it("gives a clone lists of its own", () => {
    const info = new NodeInfo(makeNode("n1"));
    info.addPod(antiAffine("anti"));
    const copy = info.clone();
    copy.removePod(antiAffine("anti"));
    copy.addPod(makePod("other", { nodeName: "n1" }));
    assert.deepEqual(names(info.pods), ["anti"]);
    assert.deepEqual(names(info.podsWithRequiredAntiAffinity), ["anti"]);
    assert.deepEqual(names(copy.pods), ["other"]);
    assert.deepEqual(names(copy.podsWithRequiredAntiAffinity), []);
  });
});

describe("Snapshot affinity lookups", () => {
  it("finds the nodes holding pods with affinity as pods come and go", () => {
    const n1 = new NodeInfo(makeNode("n1"));
    const n2 = new NodeInfo(makeNode("n2"));
    const snapshot = new Snapshot([n1, n2]);
    assert.equal(snapshot.anyPodWithRequiredAntiAffinity(), false);
    assert.deepEqual(snapshot.havePodsWithAffinity(), []);

    n1.addPod(preferring("pref"));
    assert.equal(snapshot.anyPodWithRequiredAntiAffinity(), false);
    assert.deepEqual(
      snapshot.havePodsWithAffinity().map((n) => n.name),
      ["n1"],
    );

    n2.addPod(antiAffine("anti"));
    assert.equal(snapshot.anyPodWithRequiredAntiAffinity(), true);
    assert.deepEqual(
      snapshot.havePodsWithRequiredAntiAffinity().map((n) => n.name),
      ["n2"],
    );
    assert.deepEqual(
      snapshot.havePodsWithAffinity().map((n) => n.name),
      ["n1", "n2"],
    );
  });
});
