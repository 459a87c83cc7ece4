/**
 * Overlayfs mount options for a container root (pure). Layers are given
 * top-most first, as overlayfs wants its lowerdir list.
 */

/** The mount data must fit one page; overlayfs refuses longer option strings. */
export const MAX_MOUNT_DATA = 4096;

export class RootfsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RootfsError";
  }
}

export interface OverlayLayout {
  /** Read-only layers, top-most first (the init layer, then the image's newest layer ... oldest). */
  readonly lower: readonly string[];
  /** The container's writable layer; absent for a read-only view. */
  readonly upper?: string;
  /** overlayfs's scratch directory, on the same filesystem as `upper`. */
  readonly work?: string;
}

export function overlayOptions(layout: OverlayLayout): string {
  if (layout.lower.length === 0) throw new RootfsError("an overlay needs at least one lower layer");
  for (const dir of [...layout.lower, layout.upper ?? "", layout.work ?? ""]) {
    if (/[,:]/.test(dir)) throw new RootfsError(`overlay layer path ${dir} contains ',' or ':'`);
  }
  if ((layout.upper === undefined) !== (layout.work === undefined)) {
    throw new RootfsError("upper and work directories go together");
  }
  // A single lower layer without upper cannot be an overlay: overlayfs needs two layers then.
  if (layout.upper === undefined && layout.lower.length < 2) {
    throw new RootfsError("a read-only overlay needs at least two lower layers");
  }
  const parts = [`lowerdir=${layout.lower.join(":")}`];
  if (layout.upper !== undefined) parts.push(`upperdir=${layout.upper}`, `workdir=${layout.work}`);
  // Without index/metacopy a copy-up is a full copy, the behaviour Docker's overlay2 relies on.
  const data = parts.join(",");
  if (data.length >= MAX_MOUNT_DATA) {
    throw new RootfsError(
      `overlay mount options are ${data.length} bytes, over the ${MAX_MOUNT_DATA}-byte limit (too many layers)`,
    );
  }
  return data;
}
