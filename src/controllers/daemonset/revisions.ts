import type { ControllerRevision, DaemonSet } from "kubernetes-types/apps/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { maxRevision, sameData, sortRevisions } from "../history/compare.js";
import { CONTROLLER_REVISION_HASH_LABEL, templatePatch } from "../history/revision.js";
import { createRevision, deleteRevisions, renumberRevision } from "../history/store.js";
import { DAEMON_SET_GVK } from "./kinds.js";

/**
 * The DaemonSet's revisions split by whether they hold its current
 * template (upstream's Match compares the data only). `current` is
 * highest revision first; more than one is a duplicate to fold away.
 */
export function splitRevisions(
  ds: DaemonSet,
  revisions: readonly ControllerRevision[],
): { current: ControllerRevision[]; old: ControllerRevision[] } {
  const probe = { data: templatePatch(ds.spec?.template), revision: 0 };
  const current: ControllerRevision[] = [];
  const old: ControllerRevision[] = [];
  for (const r of revisions) (sameData(r, probe) ? current : old).push(r);
  return { current: sortRevisions(current).reverse(), old };
}

export interface DaemonHistory {
  /** The revision of the current template, stored and numbered newest. */
  readonly current: ControllerRevision;
  readonly old: ControllerRevision[];
  readonly hash: string;
  readonly collisionCount: number;
}

/**
 * Makes sure the current template has the newest revision (upstream's
 * constructHistory): creates it when no revision holds the template;
 * otherwise keeps the highest-numbered one, folding duplicates into it
 * (their pods relabelled first), and renumbers it past every other
 * revision — how `kubectl rollout undo` turns an old revision into the
 * newest instead of copying it.
 */
export async function constructHistory(
  ds: DaemonSet,
  io: {
    revisions: readonly ControllerRevision[];
    pods: readonly Pod[];
    revisionClient: ResourceClient<ControllerRevision>;
    podClient: ResourceClient<Pod>;
  },
): Promise<DaemonHistory> {
  const { current, old } = splitRevisions(ds, io.revisions);
  const next = maxRevision(old) + 1;
  let collisionCount = ds.status?.collisionCount ?? 0;
  let cur = current[0];
  if (!cur) {
    const created = await createRevision(io.revisionClient, {
      parent: ds,
      gvk: DAEMON_SET_GVK,
      revision: next,
      collisionCount,
      same: sameData,
    });
    cur = created.revision;
    collisionCount = created.collisionCount;
  } else {
    await foldDuplicates(cur, { ...io, duplicates: current.slice(1) });
    if (cur.revision < next) cur = await renumberRevision(io.revisionClient, cur, next);
  }
  const hash = cur.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? cur.metadata?.name ?? "";
  return { current: cur, old, hash, collisionCount };
}

/** Relabels the duplicates' pods with the kept revision's hash, then deletes the duplicates. */
async function foldDuplicates(
  keep: ControllerRevision,
  io: {
    duplicates: readonly ControllerRevision[];
    pods: readonly Pod[];
    revisionClient: ResourceClient<ControllerRevision>;
    podClient: ResourceClient<Pod>;
  },
): Promise<void> {
  const keepHash = keep.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? "";
  for (const dup of io.duplicates) {
    const dupHash = dup.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
    for (const pod of io.pods) {
      if (
        dupHash === undefined ||
        pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] !== dupHash
      )
        continue;
      try {
        await io.podClient.patch(
          pod.metadata?.name ?? "",
          { metadata: { labels: { [CONTROLLER_REVISION_HASH_LABEL]: keepHash } } },
          { namespace: pod.metadata?.namespace ?? "", type: "merge" },
        );
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
  await deleteRevisions(io.revisionClient, io.duplicates);
}
