import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ControllerRevision } from "kubernetes-types/apps/v1.js";
import { AlreadyExistsError } from "../../../src/client/rest/errors.js";
import type { ResourceClient } from "../../../src/client/rest/resource.js";
import {
  equalRevision,
  findEqualRevisions,
  nextRevision,
  sameData,
  sortRevisions,
} from "../../../src/controllers/history/compare.js";
import {
  CONTROLLER_REVISION_HASH_LABEL,
  newRevision,
  revisionHash,
  revisionName,
  revisionTemplate,
  templatePatch,
} from "../../../src/controllers/history/revision.js";
import { createRevision } from "../../../src/controllers/history/store.js";
import { revisionsToTruncate } from "../../../src/controllers/history/truncate.js";

const GVK = { apiVersion: "apps/v1", kind: "StatefulSet" };

function parent(image: string) {
  return {
    metadata: { name: "web", namespace: "default", uid: "uid-1", annotations: { a: "b" } },
    spec: {
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "c", image }] },
      },
    },
  };
}

function rev(name: string, revision: number, extra: Partial<ControllerRevision> = {}) {
  return {
    metadata: { name, creationTimestamp: "2024-01-01T00:00:00Z" },
    revision,
    data: {},
    ...extra,
  } as ControllerRevision;
}

describe("controller revision history", () => {
  it("stores the template as a replacing strategic-merge patch and restores it", () => {
    const p = parent("nginx:1");
    const data = templatePatch(p.spec.template) as { spec: { template: Record<string, unknown> } };
    assert.equal(data.spec.template.$patch, "replace");
    assert.deepEqual(revisionTemplate({ revision: 1, data }), p.spec.template);
  });

  it("names a revision <owner>-<hash> and labels it for the owner's selector", () => {
    const r = newRevision(parent("nginx:1"), { gvk: GVK, revision: 3, collisionCount: 0 });
    const hash = r.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? "";
    assert.equal(r.metadata?.name, `web-${hash}`);
    assert.equal(r.metadata?.labels?.app, "web");
    assert.equal(r.metadata?.annotations?.a, "b");
    assert.equal(r.revision, 3);
    assert.deepEqual(r.metadata?.ownerReferences?.[0], {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      name: "web",
      uid: "uid-1",
      controller: true,
      blockOwnerDeletion: true,
    });
  });

  it("changes the hash with the template and with the collision count", () => {
    const a = templatePatch(parent("nginx:1").spec.template);
    const b = templatePatch(parent("nginx:2").spec.template);
    assert.notEqual(revisionHash(a, 0), revisionHash(b, 0));
    assert.notEqual(revisionHash(a, 0), revisionHash(a, 1));
    assert.equal(revisionHash(a, 0), revisionHash(structuredClone(a), 0));
  });

  it("cuts long owner names so the revision name stays valid", () => {
    assert.equal(revisionName("x".repeat(300), "abc").length, 223 + 4);
  });

  it("compares revisions by hash label, then by data regardless of key order", () => {
    const a = rev("a", 1, { data: { spec: { x: 1, y: 2 } } });
    const b = rev("b", 2, { data: { spec: { y: 2, x: 1 } } });
    assert.ok(sameData(a, b));
    assert.ok(equalRevision(a, b));
    const labelled = (r: ControllerRevision, h: string) => ({
      ...r,
      metadata: { ...r.metadata, labels: { [CONTROLLER_REVISION_HASH_LABEL]: h } },
    });
    assert.ok(!equalRevision(labelled(a, "h1"), labelled(b, "h2")));
    assert.deepEqual(
      findEqualRevisions([a, b, rev("c", 3, { data: { z: 1 } })], a).map((r) => r.metadata?.name),
      ["a", "b"],
    );
  });

  it("sorts by revision number and numbers the next one past the highest", () => {
    const sorted = sortRevisions([rev("c", 3), rev("a", 1), rev("b", 2)]);
    assert.deepEqual(
      sorted.map((r) => r.revision),
      [1, 2, 3],
    );
    assert.equal(nextRevision(sorted), 4);
    assert.equal(nextRevision([]), 1);
  });

  it("truncates the oldest non-live revisions down to the limit", () => {
    const revs = Array.from({ length: 14 }, (_, i) => rev(`r${i + 1}`, i + 1));
    const doomed = revisionsToTruncate(revs, { isLive: (r) => r.metadata?.name === "r1" });
    // 13 non-live; the default limit keeps 10: r2..r4 go, live r1 stays.
    assert.deepEqual(
      doomed.map((r) => r.metadata?.name),
      ["r2", "r3", "r4"],
    );
    assert.deepEqual(revisionsToTruncate(revs, { isLive: () => true, limit: 0 }), []);
    assert.equal(revisionsToTruncate(revs, { isLive: () => false, limit: 0 }).length, 14);
  });

  it("bumps the collision count when the name is taken by other data, reuses an equal one", async () => {
    const stored = new Map<string, ControllerRevision>();
    const client = {
      async create(r: ControllerRevision) {
        const name = r.metadata?.name ?? "";
        if (stored.has(name)) throw new AlreadyExistsError(409, { reason: "AlreadyExists" });
        stored.set(name, r);
        return r;
      },
      async get(name: string) {
        return stored.get(name) as ControllerRevision;
      },
    } as unknown as ResourceClient<ControllerRevision>;
    const p = parent("nginx:1");
    // A squatter with other data holds the name collision count 0 would give.
    const squatter = newRevision(p, { gvk: GVK, revision: 1, collisionCount: 0 });
    stored.set(squatter.metadata?.name ?? "", { ...squatter, data: { other: true } });
    const made = await createRevision(client, {
      parent: p,
      gvk: GVK,
      revision: 1,
      collisionCount: 0,
      same: equalRevision,
    });
    assert.equal(made.collisionCount, 1);
    assert.notEqual(made.revision.metadata?.name, squatter.metadata?.name);
    const again = await createRevision(client, {
      parent: p,
      gvk: GVK,
      revision: 1,
      collisionCount: 1,
      same: equalRevision,
    });
    assert.equal(again.collisionCount, 1);
    assert.equal(again.revision.metadata?.name, made.revision.metadata?.name);
  });
});
