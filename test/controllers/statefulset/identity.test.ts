import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  claimName,
  claimOwnerRefs,
  claimOwnersUpToDate,
  claimsForOrdinal,
} from "../../../src/controllers/statefulset/claims.js";
import {
  identityMatches,
  isMemberOf,
  newStatefulPod,
  parentAndOrdinal,
  storageMatches,
} from "../../../src/controllers/statefulset/identity.js";
import { statefulPod, statefulSet } from "./fixtures.js";

describe("stateful pod identity", () => {
  it("parses the set and ordinal out of a pod name", () => {
    assert.deepEqual(parentAndOrdinal("web-0"), { parent: "web", ordinal: 0 });
    assert.deepEqual(parentAndOrdinal("my-web-12"), { parent: "my-web", ordinal: 12 });
    assert.deepEqual(parentAndOrdinal("web"), { parent: "", ordinal: -1 });
    assert.equal(parentAndOrdinal("web-99999999999").ordinal, -1);
  });

  it("builds <set>-<ordinal> with identity labels, hostname, subdomain and claim volumes", () => {
    const set = statefulSet();
    const pod = newStatefulPod(set, { ordinal: 1, revision: "web-abc" });
    assert.equal(pod.metadata?.name, "web-1");
    assert.deepEqual(pod.metadata?.labels, {
      app: "web",
      "controller-revision-hash": "web-abc",
      "statefulset.kubernetes.io/pod-name": "web-1",
      "apps.kubernetes.io/pod-index": "1",
    });
    assert.equal(pod.spec?.hostname, "web-1");
    assert.equal(pod.spec?.subdomain, "nginx");
    assert.deepEqual(pod.spec?.volumes, [
      { name: "www", persistentVolumeClaim: { claimName: "www-web-1" } },
    ]);
    assert.equal(pod.metadata?.ownerReferences?.[0]?.kind, "StatefulSet");
    assert.ok(identityMatches(set, pod));
    assert.ok(storageMatches(set, pod));
    assert.ok(isMemberOf(set, pod));
  });

  it("replaces a template volume named like a claim template", () => {
    const set = statefulSet();
    const tpl = set.spec?.template.spec;
    if (tpl)
      tpl.volumes = [
        { name: "www", emptyDir: {} },
        { name: "tmp", emptyDir: {} },
      ];
    const pod = newStatefulPod(set, { ordinal: 0, revision: "r" });
    assert.deepEqual(
      pod.spec?.volumes?.map((v) => [v.name, v.persistentVolumeClaim?.claimName]),
      [
        ["www", "www-web-0"],
        ["tmp", undefined],
      ],
    );
  });

  it("notices a pod that lost its identity label or claim volume", () => {
    const set = statefulSet();
    const pod = newStatefulPod(set, { ordinal: 0, revision: "r" });
    const unlabelled = { ...pod, metadata: { ...pod.metadata, labels: {} } };
    assert.ok(!identityMatches(set, unlabelled));
    const noVolume = { ...pod, spec: { containers: [] } };
    assert.ok(!storageMatches(set, noVolume));
  });
});

describe("stateful claims", () => {
  it("names claims <template>-<set>-<ordinal> with the selector labels", () => {
    assert.equal(claimName("www", { set: "web", ordinal: 2 }), "www-web-2");
    const [claim] = claimsForOrdinal(statefulSet(), 2);
    assert.equal(claim?.metadata?.name, "www-web-2");
    assert.deepEqual(claim?.metadata?.labels, { app: "web" });
    assert.deepEqual(claim?.spec?.resources?.requests, { storage: "1Gi" });
  });

  it("retains claims by default: no owners", () => {
    const set = statefulSet();
    const pod = statefulPod(set, 0);
    const [claim] = claimsForOrdinal(set, 0);
    assert.ok(claim);
    assert.deepEqual(claimOwnerRefs(claim, { set, pod, scaledDown: false }), []);
    assert.ok(claimOwnersUpToDate(claim, { set, pod, scaledDown: false }));
  });

  it("makes the set the owner for whenDeleted=Delete, the pod for a scaled-away whenScaled=Delete", () => {
    const set = statefulSet({ retention: { whenDeleted: "Delete", whenScaled: "Delete" } });
    const pod = statefulPod(set, 4);
    const [claim] = claimsForOrdinal(set, 4);
    assert.ok(claim);
    const kept = claimOwnerRefs(claim, { set, pod, scaledDown: false });
    assert.deepEqual(
      kept.map((r) => [r.kind, r.name, r.controller]),
      [["StatefulSet", "web", true]],
    );
    assert.ok(!claimOwnersUpToDate(claim, { set, pod, scaledDown: false }));
    const owned = { ...claim, metadata: { ...claim.metadata, ownerReferences: kept } };
    assert.ok(claimOwnersUpToDate(owned, { set, pod, scaledDown: false }));
    const scaled = claimOwnerRefs(owned, { set, pod, scaledDown: true });
    assert.deepEqual(
      scaled.map((r) => [r.kind, r.name, r.uid]),
      [["Pod", "web-4", "pod-uid-4"]],
    );
  });

  it("leaves a claim another controller owns alone", () => {
    const set = statefulSet({ retention: { whenDeleted: "Delete", whenScaled: "Retain" } });
    const pod = statefulPod(set, 0);
    const [claim] = claimsForOrdinal(set, 0);
    assert.ok(claim);
    const foreign = {
      ...claim,
      metadata: {
        ...claim.metadata,
        ownerReferences: [
          { apiVersion: "v1", kind: "Thing", name: "t", uid: "t", controller: true },
        ],
      },
    };
    assert.ok(claimOwnersUpToDate(foreign, { set, pod, scaledDown: false }));
    assert.equal(claimOwnerRefs(foreign, { set, pod, scaledDown: false }).length, 1);
  });
});
