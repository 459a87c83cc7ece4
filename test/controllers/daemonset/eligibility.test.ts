import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nodeNameAffinity, targetNodeName } from "../../../src/controllers/daemonset/affinity.js";
import { nodeShouldRunDaemonPod } from "../../../src/controllers/daemonset/eligibility.js";
import {
  daemonTolerations,
  withDaemonTolerations,
} from "../../../src/controllers/daemonset/tolerations.js";
import { daemonPod, daemonSet, node } from "./fixtures.js";

describe("daemon pod eligibility", () => {
  it("runs on a plain node", () => {
    assert.deepEqual(nodeShouldRunDaemonPod(node("n1"), daemonSet()), {
      shouldRun: true,
      shouldContinueRunning: true,
    });
  });

  it("honours the nodeSelector and required node affinity", () => {
    const bySelector = daemonSet({ spec: { nodeSelector: { disk: "ssd" } } });
    assert.equal(nodeShouldRunDaemonPod(node("n1"), bySelector).shouldRun, false);
    assert.equal(
      nodeShouldRunDaemonPod(node("n1", { labels: { disk: "ssd" } }), bySelector).shouldRun,
      true,
    );
    const byAffinity = daemonSet({
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] },
              ],
            },
          },
        },
      },
    });
    assert.deepEqual(nodeShouldRunDaemonPod(node("n1", { labels: { zone: "b" } }), byAffinity), {
      shouldRun: false,
      shouldContinueRunning: false,
    });
    assert.equal(
      nodeShouldRunDaemonPod(node("n1", { labels: { zone: "a" } }), byAffinity).shouldRun,
      true,
    );
  });

  it("keeps off untolerated NoSchedule taints but lets a running pod stay", () => {
    const tainted = node("n1", { taints: [{ key: "gpu", value: "yes", effect: "NoSchedule" }] });
    assert.deepEqual(nodeShouldRunDaemonPod(tainted, daemonSet()), {
      shouldRun: false,
      shouldContinueRunning: true,
    });
    const tolerant = daemonSet({
      spec: { tolerations: [{ key: "gpu", operator: "Exists", effect: "NoSchedule" }] },
    });
    assert.equal(nodeShouldRunDaemonPod(tainted, tolerant).shouldRun, true);
  });

  it("evicts from untolerated NoExecute taints", () => {
    const tainted = node("n1", { taints: [{ key: "dedicated", effect: "NoExecute" }] });
    assert.deepEqual(nodeShouldRunDaemonPod(tainted, daemonSet()), {
      shouldRun: false,
      shouldContinueRunning: false,
    });
  });

  it("runs on cordoned and not-ready nodes: daemons tolerate those automatically", () => {
    assert.equal(
      nodeShouldRunDaemonPod(node("n1", { unschedulable: true }), daemonSet()).shouldRun,
      true,
    );
    const notReady = node("n1", {
      taints: [{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }],
    });
    assert.equal(nodeShouldRunDaemonPod(notReady, daemonSet()).shouldRun, true);
    const noNetwork = node("n1", {
      taints: [{ key: "node.kubernetes.io/network-unavailable", effect: "NoSchedule" }],
    });
    assert.equal(nodeShouldRunDaemonPod(noNetwork, daemonSet()).shouldRun, false);
    assert.equal(
      nodeShouldRunDaemonPod(noNetwork, daemonSet({ spec: { hostNetwork: true } })).shouldRun,
      true,
    );
  });

  it("respects a template that names its node", () => {
    const pinned = daemonSet({ spec: { nodeName: "n2" } });
    assert.equal(nodeShouldRunDaemonPod(node("n1"), pinned).shouldRun, false);
    assert.equal(nodeShouldRunDaemonPod(node("n2"), pinned).shouldRun, true);
  });
});

describe("daemon pod tolerations", () => {
  it("adds the automatic tolerations, network-unavailable only for host network", () => {
    const keys = (h: boolean) => daemonTolerations({ hostNetwork: h }).map((t) => t.key);
    assert.deepEqual(keys(false), [
      "node.kubernetes.io/not-ready",
      "node.kubernetes.io/unreachable",
      "node.kubernetes.io/disk-pressure",
      "node.kubernetes.io/memory-pressure",
      "node.kubernetes.io/pid-pressure",
      "node.kubernetes.io/unschedulable",
    ]);
    assert.ok(keys(true).includes("node.kubernetes.io/network-unavailable"));
  });

  it("replaces a matching toleration (dropping its tolerationSeconds) and keeps others", () => {
    const spec = withDaemonTolerations({
      containers: [],
      tolerations: [
        {
          key: "node.kubernetes.io/not-ready",
          operator: "Exists",
          effect: "NoExecute",
          tolerationSeconds: 300,
        },
        { key: "mine", operator: "Exists" },
      ],
    });
    const notReady = spec.tolerations?.filter((t) => t.key === "node.kubernetes.io/not-ready");
    assert.deepEqual(notReady, [
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
    ]);
    assert.ok(spec.tolerations?.some((t) => t.key === "mine"));
    assert.equal(spec.tolerations?.length, 7);
  });
});

describe("daemon pod node affinity", () => {
  it("pins the pod to its node with a matchFields term, replacing required terms", () => {
    const affinity = nodeNameAffinity(
      {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchFields: [{ key: "metadata.name", operator: "In", values: ["old"] }] },
            ],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 1, preference: { matchExpressions: [{ key: "a", operator: "Exists" }] } },
          ],
        },
      },
      "n1",
    );
    assert.deepEqual(affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, {
      nodeSelectorTerms: [
        { matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] },
      ],
    });
    assert.equal(affinity.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length, 1);
    assert.deepEqual(
      nodeNameAffinity(undefined, "n2").nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        ?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values,
      ["n2"],
    );
  });

  it("finds a pod's node from its binding or, unbound, from its affinity", () => {
    assert.equal(targetNodeName(daemonPod("n1")), "n1");
    assert.equal(targetNodeName(daemonPod("n2", { bound: false })), "n2");
    assert.equal(targetNodeName({ spec: { containers: [] } }), undefined);
  });
});
