/**
 * What strategic merge patch needs to know about a field: how lists merge.
 * The schema module (src/api/schema/) answers it for built-in kinds from the
 * generated type information; custom resources answer "nothing special"
 * (upstream treats their lists as atomic and uses JSON merge semantics).
 */
export interface PatchMeta {
  /** The meta of a named object field, or undefined if unknown. */
  field(name: string): PatchMeta | undefined;
  /** The meta of list items or map values. */
  elements(): PatchMeta | undefined;
  /** x-kubernetes-patch-merge-key, e.g. "name" for containers. */
  readonly mergeKey?: string;
  /** x-kubernetes-patch-strategy, e.g. "merge", "retainKeys", "merge,retainKeys". */
  readonly patchStrategy?: string;
  /** "atomic" | "set" | "map" (x-kubernetes-list-type) for lists. */
  readonly listType?: string;
}

/** No information: every list is replaced as a whole, maps merge recursively. */
export const NO_PATCH_META: PatchMeta = {
  field: () => NO_PATCH_META,
  elements: () => NO_PATCH_META,
};
