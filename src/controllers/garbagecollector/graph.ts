/**
 * The dependency graph the garbage collector keeps (upstream's
 * GraphBuilder): a node per object seen, keyed by UID, each knowing its
 * ownerReferences and its dependents. An owner referenced before it is
 * seen gets a "virtual" node, to be verified against the API server.
 * Watch events change the graph and name which objects must be looked at
 * (attempt to delete) or orphaned; the sink receives those. Pure: no I/O.
 */
import { AbsentOwnerCache } from "./absent-owner-cache.js";
import {
  FOREGROUND_FINALIZER,
  isBlocking,
  type ObjectIdentity,
  ORPHAN_FINALIZER,
  type OwnerReference,
  ownerIdentity,
  refMatches,
  sameIdentity,
} from "./identity.js";
import {
  alternateOwnerIdentity,
  diffRefs,
  partitionDependents,
  type RefChanges,
} from "./references.js";

/** An object as a watch reports it, reduced to what the graph needs. */
export interface ObservedObject {
  readonly identity: ObjectIdentity;
  readonly ownerReferences: readonly OwnerReference[];
  readonly finalizers: readonly string[];
  /** deletionTimestamp is set. */
  readonly beingDeleted: boolean;
}

export type GraphChange =
  | { readonly type: "add"; readonly object: ObservedObject }
  | { readonly type: "update"; readonly object: ObservedObject; readonly old: ObservedObject }
  | { readonly type: "delete"; readonly object: ObservedObject };

/** Where the graph sends the work its changes create. */
export interface GraphSink {
  /** Look at this object: delete it if its owners are gone, finish a foreground deletion, ... */
  attemptToDelete(uid: string, opts?: { rateLimited?: boolean }): void;
  /** Remove this owner from its dependents, then its `orphan` finalizer. */
  attemptToOrphan(uid: string): void;
  /** A dependent names an owner that lives in another namespace (never valid). */
  invalidOwnerNamespace(dependent: ObjectIdentity, owner: OwnerReference): void;
}

export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  owners: readonly OwnerReference[] = [];
  beingDeleted = false;
  /** Being deleted in the foreground: waits for its blocking dependents. */
  deletingDependents = false;

  constructor(
    public identity: ObjectIdentity,
    /** Known only from an ownerReference, not yet seen in a watch. */
    public virtual: boolean,
  ) {}

  get uid(): string {
    return this.identity.uid;
  }

  /** Dependents whose reference to this node has blockOwnerDeletion=true. */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((d) =>
      d.owners.some((r) => r.uid === this.uid && isBlocking(r)),
    );
  }
}

const hasFinalizer = (o: ObservedObject, f: string) => o.beingDeleted && o.finalizers.includes(f);

/** The deletion has just begun (or was first seen) with finalizer `f`. */
function startsDeletionWith(
  o: ObservedObject,
  old: ObservedObject | undefined,
  f: string,
): boolean {
  return hasFinalizer(o, f) && (old === undefined || !hasFinalizer(old, f));
}

export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();
  readonly absentOwners: AbsentOwnerCache;

  constructor(
    private readonly sink: GraphSink,
    opts: { absentOwnerCacheSize?: number } = {},
  ) {
    this.absentOwners = new AbsentOwnerCache(opts.absentOwnerCacheSize ?? 500);
  }

  node(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** Applies a watch event. */
  observe(change: GraphChange): void {
    const obj = change.object;
    let existing = this.nodes.get(obj.identity.uid);
    if (existing?.virtual) this.markObserved(existing, obj.identity);
    if (change.type === "delete") {
      if (existing) this.remove(existing, obj.identity);
      return;
    }
    const old = change.type === "update" ? change.old : undefined;
    if (!existing) {
      existing = new GraphNode(obj.identity, false);
      existing.owners = [...obj.ownerReferences];
      existing.beingDeleted = obj.beingDeleted;
      existing.deletingDependents = hasFinalizer(obj, FOREGROUND_FINALIZER);
      this.nodes.set(obj.identity.uid, existing);
      this.addToOwners(existing, existing.owners);
    } else {
      // The same UID under another apiVersion/kind (a different watched version).
      if (
        existing.identity.apiVersion !== obj.identity.apiVersion ||
        existing.identity.kind !== obj.identity.kind
      ) {
        existing.identity = obj.identity;
      }
      const diff = diffRefs(existing.owners, obj.ownerReferences);
      if (diff.added.length + diff.removed.length + diff.changed.length > 0) {
        this.enqueueUnblockedOwners(diff);
        existing.owners = [...obj.ownerReferences];
        this.addToOwners(existing, diff.added);
        for (const ref of diff.removed) this.nodes.get(ref.uid)?.dependents.delete(existing);
      }
      if (obj.beingDeleted) existing.beingDeleted = true;
    }
    this.processTransitions(existing, obj, old);
  }

  /**
   * The API server says `identity` does not exist (404 or another UID):
   * drop its node, unless dependents name that UID with other coordinates
   * still to be verified.
   */
  virtualDelete(identity: ObjectIdentity): void {
    const existing = this.nodes.get(identity.uid);
    if (!existing) return;
    let remove = true;
    if (existing.virtual) {
      const { matching, nonmatching } = partitionDependents(existing.dependents, identity);
      if (nonmatching.length > 0) {
        remove = false;
        this.verifiedAbsent(identity, matching);
        if (sameIdentity(existing.identity, identity)) {
          const alt = alternateOwnerIdentity(nonmatching, identity);
          if (alt) {
            existing.identity = alt;
            this.sink.attemptToDelete(existing.uid, { rateLimited: true });
          }
        }
      }
    } else if (!sameIdentity(existing.identity, identity)) {
      // The observed object is real; only the coordinates that were looked up are absent.
      remove = false;
      this.verifiedAbsent(identity, partitionDependents(existing.dependents, identity).matching);
    }
    if (remove) this.remove(existing, identity);
  }

  private verifiedAbsent(identity: ObjectIdentity, dependents: readonly GraphNode[]): void {
    if (dependents.length === 0) return;
    this.absentOwners.add(identity);
    for (const d of dependents) this.sink.attemptToDelete(d.uid);
  }

  /** A virtual node's object is seen at last: its real identity replaces the guessed one. */
  private markObserved(node: GraphNode, observed: ObjectIdentity): void {
    if (!sameIdentity(node.identity, observed)) {
      // Dependents that named it otherwise may be invalid: let attemptToDelete judge them.
      for (const dep of partitionDependents(node.dependents, observed).nonmatching) {
        if (observed.namespace !== "" && dep.identity.namespace !== observed.namespace) {
          const ref = dep.owners.find((r) => r.uid === observed.uid);
          if (ref) this.sink.invalidOwnerNamespace(dep.identity, ref);
        }
        this.sink.attemptToDelete(dep.uid);
      }
      node.identity = observed;
    }
    node.virtual = false;
  }

  private remove(node: GraphNode, deleted: ObjectIdentity): void {
    this.nodes.delete(node.uid);
    for (const ref of node.owners) this.nodes.get(ref.uid)?.dependents.delete(node);
    if (node.dependents.size > 0) this.absentOwners.add(deleted);
    for (const dep of node.dependents) this.sink.attemptToDelete(dep.uid);
    // An owner deleting in the foreground may have been waiting for this one.
    for (const ref of node.owners) {
      const owner = this.nodes.get(ref.uid);
      if (owner?.deletingDependents) this.sink.attemptToDelete(owner.uid);
    }
  }

  /**
   * Adds `node` to its owners' dependents, creating virtual owners (to be
   * verified) for UIDs not seen yet; a reference that disagrees with an
   * owner already seen sends the dependent to be verified too.
   */
  private addToOwners(node: GraphNode, refs: readonly OwnerReference[]): void {
    let suspicious = false;
    for (const ref of refs) {
      let owner = this.nodes.get(ref.uid);
      if (!owner) {
        owner = new GraphNode(ownerIdentity(ref, node.identity.namespace), true);
        this.nodes.set(ref.uid, owner);
        owner.dependents.add(node);
        this.sink.attemptToDelete(owner.uid);
        continue;
      }
      owner.dependents.add(node);
      if (suspicious) continue;
      const ownerNamespaced = owner.identity.namespace !== "";
      if (ownerNamespaced && owner.identity.namespace !== node.identity.namespace) {
        // Namespaced owners can only own objects of their own namespace.
        if (!owner.virtual) this.sink.invalidOwnerNamespace(node.identity, ref);
        suspicious = true;
      } else if (!refMatches(ref, owner.identity)) {
        suspicious = true;
      } else if (
        !ownerNamespaced &&
        owner.virtual &&
        owner.identity.namespace !== node.identity.namespace
      ) {
        // A virtual "cluster-scoped" owner may really be a namespaced kind a cluster-scoped object named.
        suspicious = true;
      }
    }
    if (suspicious) this.sink.attemptToDelete(node.uid);
  }

  /** Owners a removed or no-longer-blocking reference may have been holding up. */
  private enqueueUnblockedOwners(diff: RefChanges): void {
    const unblocked = [
      ...diff.removed.filter(isBlocking),
      ...diff.changed.filter((c) => isBlocking(c.old) && !isBlocking(c.now)).map((c) => c.now),
    ];
    for (const ref of unblocked) if (this.nodes.has(ref.uid)) this.sink.attemptToDelete(ref.uid);
  }

  private processTransitions(
    node: GraphNode,
    obj: ObservedObject,
    old: ObservedObject | undefined,
  ): void {
    if (startsDeletionWith(obj, old, ORPHAN_FINALIZER)) {
      this.sink.attemptToOrphan(node.uid);
      return;
    }
    if (startsDeletionWith(obj, old, FOREGROUND_FINALIZER)) {
      node.deletingDependents = true;
      for (const dep of node.dependents) this.sink.attemptToDelete(dep.uid);
      this.sink.attemptToDelete(node.uid);
    }
  }
}
