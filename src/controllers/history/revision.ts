import type { ControllerRevision } from "kubernetes-types/apps/v1.js";
import type { PodTemplateSpec } from "kubernetes-types/core/v1.js";
import { newControllerRef } from "../common/controller-ref.js";
import { computeHash } from "../common/hash.js";

/** The label naming a pod's (and a revision's) revision (apps/v1 ControllerRevisionHashLabelKey). */
export const CONTROLLER_REVISION_HASH_LABEL = "controller-revision-hash";

/** Upstream caps the owner-name prefix so `<prefix>-<hash>` stays a valid name. */
const MAX_PREFIX = 223;

/** What a revision belongs to: a DaemonSet or StatefulSet as the informer holds it. */
export interface RevisionParent {
  metadata?: {
    name?: string | undefined;
    namespace?: string | undefined;
    uid?: string | undefined;
    annotations?: Record<string, string> | undefined;
  };
  spec?: { template?: PodTemplateSpec | undefined } | undefined;
}

/**
 * A revision's data: the strategic-merge patch that puts `template` back
 * into its owner's spec (upstream's getPatch). kubectl rollout undo sends
 * this very patch, so the "$patch: replace" makes the old template replace
 * the current one instead of merging into it.
 */
export function templatePatch(template: PodTemplateSpec | undefined): object {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: "replace" } } };
}

/** The pod template a revision restores (the inverse of templatePatch). */
export function revisionTemplate(rev: ControllerRevision): PodTemplateSpec {
  const data = rev.data as { spec?: { template?: Record<string, unknown> } } | undefined;
  const { $patch: _directive, ...template } = data?.spec?.template ?? {};
  return structuredClone(template) as PodTemplateSpec;
}

/**
 * The hash naming a revision: of its data and, when names collided
 * before, the collision count (upstream's HashControllerRevision), so a
 * bumped count yields a fresh name.
 */
export function revisionHash(data: unknown, collisionCount: number): string {
  return computeHash(data, collisionCount);
}

/** `<owner>-<hash>`, the owner part cut to keep the name valid (upstream's ControllerRevisionName). */
export function revisionName(owner: string, hash: string): string {
  return `${owner.slice(0, MAX_PREFIX)}-${hash}`;
}

/**
 * An unsaved ControllerRevision snapshotting `parent`'s pod template
 * (upstream's NewControllerRevision plus the owners' newRevision): the
 * template's labels (so the owner's selector finds it, as kubectl's
 * rollout history does) plus the hash label, the owner's annotations, a
 * controller reference, and `revision` as its number.
 */
export function newRevision(
  parent: RevisionParent,
  opts: {
    gvk: { apiVersion: string; kind: string };
    revision: number;
    collisionCount: number;
  },
): ControllerRevision {
  const data = templatePatch(parent.spec?.template);
  const hash = revisionHash(data, opts.collisionCount);
  const annotations = parent.metadata?.annotations;
  return {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: {
      name: revisionName(parent.metadata?.name ?? "", hash),
      namespace: parent.metadata?.namespace ?? "",
      labels: {
        ...(parent.spec?.template?.metadata?.labels ?? {}),
        [CONTROLLER_REVISION_HASH_LABEL]: hash,
      },
      ...(annotations && Object.keys(annotations).length
        ? { annotations: { ...annotations } }
        : {}),
      ownerReferences: [newControllerRef(parent, opts.gvk)],
    },
    data,
    revision: opts.revision,
  };
}
