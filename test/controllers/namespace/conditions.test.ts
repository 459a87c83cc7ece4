import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import {
  type DeletionReport,
  nextConditions,
  remainingKey,
} from "../../../src/controllers/namespace/conditions.js";
import {
  podTerminationEstimate,
  requeueDelayMs,
} from "../../../src/controllers/namespace/estimate.js";

const clean: DeletionReport = { contentErrors: [], remaining: new Map(), finalizers: new Map() };
const T0 = "2026-01-01T00:00:00Z";
const T1 = "2026-01-01T00:01:00Z";

describe("namespace deletion conditions", () => {
  it("reports all five conditions False with upstream's reasons when all went well", () => {
    const { conditions, changed } = nextConditions([], { report: clean, now: T0 });
    assert.equal(changed, true);
    assert.deepEqual(
      conditions.map((c) => [c.type, c.status, c.reason]),
      [
        ["NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered"],
        ["NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions"],
        ["NamespaceDeletionContentFailure", "False", "ContentDeleted"],
        ["NamespaceContentRemaining", "False", "ContentRemoved"],
        ["NamespaceFinalizersRemaining", "False", "ContentHasNoFinalizers"],
      ],
    );
    assert.ok(conditions.every((c) => c.lastTransitionTime === T0));
  });

  it("describes remaining content and finalizers, sorted, in upstream's words", () => {
    const { conditions } = nextConditions([], {
      report: {
        contentErrors: [],
        remaining: new Map([
          [remainingKey({ group: "apps", resource: "deployments" }), 2],
          [remainingKey({ group: "", resource: "configmaps" }), 1],
        ]),
        finalizers: new Map([["example.com/hold", 3]]),
      },
      now: T0,
    });
    const byType = new Map(conditions.map((c) => [c.type, c]));
    assert.equal(
      byType.get("NamespaceContentRemaining")?.message,
      "Some resources are remaining: configmaps. has 1 resource instances, deployments.apps has 2 resource instances",
    );
    assert.equal(byType.get("NamespaceContentRemaining")?.reason, "SomeResourcesRemain");
    assert.equal(
      byType.get("NamespaceFinalizersRemaining")?.message,
      "Some content in the namespace has finalizers remaining: example.com/hold in 3 resource instances",
    );
    assert.equal(byType.get("NamespaceFinalizersRemaining")?.status, "True");
  });

  it("reports discovery and content failures", () => {
    const { conditions } = nextConditions([], {
      report: {
        discoveryError: { message: "boom", failedGroups: 2 },
        contentErrors: ["b failed", "a failed"],
        remaining: new Map(),
        finalizers: new Map(),
      },
      now: T0,
    });
    const byType = new Map(conditions.map((c) => [c.type, c]));
    assert.deepEqual(
      [
        byType.get("NamespaceDeletionDiscoveryFailure")?.reason,
        byType.get("NamespaceDeletionDiscoveryFailure")?.message,
      ],
      ["DiscoveryFailed", "Discovery failed for some groups, 2 failing: boom"],
    );
    assert.equal(
      byType.get("NamespaceDeletionContentFailure")?.message,
      "Failed to delete all resource types, 2 remaining: a failed, b failed",
    );
  });

  it("changes nothing when nothing changed, and moves transition times only on a status flip", () => {
    const first = nextConditions([], { report: clean, now: T0 }).conditions;
    assert.equal(nextConditions(first, { report: clean, now: T1 }).changed, false);
    const held = nextConditions(first, {
      report: { ...clean, finalizers: new Map([["f", 1]]) },
      now: T1,
    });
    assert.equal(held.changed, true);
    const byType = new Map(held.conditions.map((c) => [c.type, c]));
    assert.equal(byType.get("NamespaceFinalizersRemaining")?.lastTransitionTime, T1);
    assert.equal(byType.get("NamespaceContentRemaining")?.lastTransitionTime, T0);
  });
});

describe("pod termination estimate", () => {
  const pod = (grace: number | undefined, phase = "Running"): Pod => ({
    spec: {
      containers: [],
      ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
    },
    status: { phase },
  });

  it("is the longest grace period of pods still running", () => {
    assert.equal(
      podTerminationEstimate([pod(30), pod(60), pod(600, "Succeeded")], {
        namespaceDeletedAt: 0,
        now: 1000,
      }),
      60,
    );
  });

  it("is zero once that long has passed since the namespace was deleted", () => {
    assert.equal(podTerminationEstimate([pod(30)], { namespaceDeletedAt: 0, now: 30_000 }), 0);
    assert.equal(podTerminationEstimate([], { namespaceDeletedAt: 0, now: 0 }), 0);
  });

  it("looks again after half the estimate plus a second", () => {
    assert.equal(requeueDelayMs(15), 8000);
    assert.equal(requeueDelayMs(1), 1000);
  });
});
