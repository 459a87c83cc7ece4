/**
 * Which volume a claim should get (upstream FindMatchingVolume and the
 * access-mode index of the binder). Pure: everything comes in as values.
 */
import type { Node, PersistentVolume, PersistentVolumeClaim } from "kubernetes-types/core/v1.js";
import { compileNodeSelector, labelSelectorAsSelector } from "../../machinery/labels/index.js";
import { parseQuantityJSON, type Quantity } from "../../machinery/quantity/index.js";
import { claimClass, volumeClass } from "./annotations.js";

/** The storage a volume offers; a volume without a readable capacity offers none. */
export function volumeCapacity(volume: PersistentVolume): Quantity | undefined {
  return quantity(volume.spec?.capacity?.storage);
}

/** The storage a claim asks for (validation makes it present and positive). */
export function claimRequest(claim: PersistentVolumeClaim): Quantity | undefined {
  return quantity(claim.spec?.resources?.requests?.storage);
}

function quantity(value: unknown): Quantity | undefined {
  if (value === undefined) return undefined;
  try {
    return parseQuantityJSON(value);
  } catch {
    return undefined;
  }
}

/** Whether the volume holds at least what the claim asks for. */
export function capacityFits(claim: PersistentVolumeClaim, volume: PersistentVolume): boolean {
  const have = volumeCapacity(volume);
  const want = claimRequest(claim);
  if (!have) return false;
  return want === undefined || have.cmp(want) >= 0;
}

/** Every access mode the claim asks for is one the volume offers. */
export function accessModesFit(claim: PersistentVolumeClaim, volume: PersistentVolume): boolean {
  const offered = new Set(volume.spec?.accessModes ?? []);
  return (claim.spec?.accessModes ?? []).every((m) => offered.has(m));
}

/** Unset volumeMode means Filesystem on both sides. */
export function volumeModeMismatch(
  claim: PersistentVolumeClaim,
  volume: PersistentVolume,
): boolean {
  return (claim.spec?.volumeMode ?? "Filesystem") !== (volume.spec?.volumeMode ?? "Filesystem");
}

/**
 * The volume's claimRef names this claim and, when it carries a UID, this
 * claim's UID (a ref without UID is a user's reservation by name).
 */
export function isVolumeBoundToClaim(
  volume: PersistentVolume,
  claim: PersistentVolumeClaim,
): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata?.name || ref.namespace !== claim.metadata?.namespace)
    return false;
  return !ref.uid || ref.uid === claim.metadata?.uid;
}

/** Whether a node may use the volume; a volume without required affinity fits every node. */
export function volumeFitsNode(volume: PersistentVolume, node: Node | undefined): boolean {
  const required = volume.spec?.nodeAffinity?.required;
  if (!required) return true;
  if (!node) return false;
  try {
    return compileNodeSelector(required).matches(node);
  } catch {
    return false;
  }
}

export interface MatchOptions {
  /**
   * The class binds at the first consumer and none is chosen yet: only
   * volumes pre-bound to the claim may be taken now.
   */
  readonly delayBinding: boolean;
  /**
   * The node the scheduler selected for the claim, when it did: volumes
   * must be usable there. k8ts's scheduler does not bind volumes itself,
   * so the binder checks what upstream's scheduler would have.
   */
  readonly node?: Node | undefined;
  /** Whether a node was selected at all (it may be missing from the cache). */
  readonly nodeSelected?: boolean;
}

/**
 * The best volume for an unbound claim: a volume pre-bound to it if one
 * fits, else the available volume offering the fewest extra access modes
 * and then the least capacity that satisfies class, selector, modes, size
 * and (with a selected node) node affinity. undefined when none does.
 */
export function findBestMatch(
  claim: PersistentVolumeClaim,
  ctx: { volumes: readonly PersistentVolume[]; options: MatchOptions },
): PersistentVolume | undefined {
  const { volumes, options } = ctx;
  const nodeOk = (v: PersistentVolume) => !options.nodeSelected || volumeFitsNode(v, options.node);
  const candidates = volumes.filter(
    (v) =>
      !v.metadata?.deletionTimestamp && !volumeModeMismatch(claim, v) && accessModesFit(claim, v),
  );
  const preBound = candidates.find((v) => isVolumeBoundToClaim(v, claim) && capacityFits(claim, v));
  if (preBound) return nodeOk(preBound) ? preBound : undefined;
  if (options.delayBinding) return undefined;
  const selector = claimSelector(claim);
  if (!selector) return undefined;
  const wanted = claimClass(claim);
  const fitting = candidates.filter(
    (v) =>
      v.status?.phase === "Available" &&
      !v.spec?.claimRef &&
      selector.matches(v.metadata?.labels ?? {}) &&
      volumeClass(v) === wanted &&
      nodeOk(v) &&
      capacityFits(claim, v),
  );
  return fitting.sort(preferTighter)[0];
}

/**
 * The claim's label selector (none selects every volume); undefined when
 * it cannot be compiled, and then no volume matches.
 */
function claimSelector(
  claim: PersistentVolumeClaim,
): { matches(l: Record<string, string>): boolean } | undefined {
  const selector = claim.spec?.selector;
  if (!selector) return { matches: () => true };
  try {
    return labelSelectorAsSelector(selector);
  } catch {
    return undefined;
  }
}

/** Fewer access modes first (a RWO-only volume before a RWO+RWX one), then smaller. */
function preferTighter(a: PersistentVolume, b: PersistentVolume): number {
  const modes = (a.spec?.accessModes?.length ?? 0) - (b.spec?.accessModes?.length ?? 0);
  if (modes !== 0) return modes;
  const ca = volumeCapacity(a);
  const cb = volumeCapacity(b);
  if (ca && cb && ca.cmp(cb) !== 0) return ca.cmp(cb);
  return (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "");
}

/**
 * Why a volume the claim named (spec.volumeName) cannot serve it, or
 * undefined when it can (upstream checkVolumeSatisfyClaim).
 */
export function volumeMismatch(
  claim: PersistentVolumeClaim,
  volume: PersistentVolume,
): string | undefined {
  if (!capacityFits(claim, volume)) return "requested PV is too small";
  if (volumeClass(volume) !== claimClass(claim)) return "storageClassName does not match";
  if (volumeModeMismatch(claim, volume)) return "incompatible volumeMode";
  if (!accessModesFit(claim, volume)) return "incompatible accessMode";
  return undefined;
}
