/**
 * One watch per garbage-collectable resource (upstream's monitors), feeding
 * the dependency graph. Resources other controllers also cache (pods,
 * ReplicaSets, Jobs, ControllerRevisions, PVCs) use the shared informer, so
 * the process keeps one copy; every other resource gets a private,
 * metadata-only informer that is stopped when discovery stops listing it.
 */
import {
  type DeletedFinalStateUnknown,
  Informer,
  objectOf,
} from "../../client/informer/informer.js";
import type { ResourceRef } from "../../client/rest/resource.js";
import { ownedInformer } from "../common/informers.js";
import {
  CONTROLLER_REVISIONS,
  JOBS,
  PERSISTENT_VOLUME_CLAIMS,
  PODS,
  REPLICA_SETS,
} from "../common/resources.js";
import type { ControllerContext } from "../manager/context.js";
import { type ApiResource, apiVersionOf, refOf, resourceId } from "./api-resources.js";
import type { GraphChange, ObservedObject } from "./graph.js";
import { MetadataClient, type MetadataObject } from "./metadata-client.js";

const SHARED: readonly ResourceRef[] = [
  PODS,
  REPLICA_SETS,
  JOBS,
  CONTROLLER_REVISIONS,
  PERSISTENT_VOLUME_CLAIMS,
];

interface Monitor {
  readonly informer: Informer<MetadataObject>;
  readonly shared: boolean;
  /** Shared informers keep their handlers forever: a removed monitor just stops listening. */
  active: boolean;
}

export function observedOf(obj: MetadataObject, r: ApiResource): ObservedObject | undefined {
  const m = obj.metadata;
  if (!m?.uid) return undefined;
  return {
    identity: {
      apiVersion: apiVersionOf(r),
      kind: r.kind,
      name: m.name ?? "",
      namespace: m.namespace ?? "",
      uid: m.uid,
    },
    ownerReferences: m.ownerReferences ?? [],
    finalizers: m.finalizers ?? [],
    beingDeleted: m.deletionTimestamp !== undefined,
  };
}

export class Monitors {
  private readonly monitors = new Map<string, Monitor>();
  /** Private informers being stopped after their resource went away. */
  private readonly stopping = new Set<Promise<void>>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly onChange: (change: GraphChange) => void,
  ) {}

  /** Watches exactly `resources`: starts the new ones, stops the ones no longer listed. */
  sync(resources: readonly ApiResource[]): { added: string[]; removed: string[] } {
    const wanted = new Map(resources.map((r) => [resourceId(r), r]));
    const removed: string[] = [];
    for (const [id, m] of this.monitors) {
      if (wanted.has(id)) continue;
      m.active = false;
      if (!m.shared) {
        const done = m.informer.stop().finally(() => this.stopping.delete(done));
        this.stopping.add(done);
      }
      this.monitors.delete(id);
      removed.push(id);
    }
    const added: string[] = [];
    for (const [id, r] of wanted) {
      if (this.monitors.has(id)) continue;
      this.monitors.set(id, this.start(r));
      added.push(id);
    }
    return { added, removed };
  }

  /** Resolves once every current monitor has listed its resource. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.monitors.values()].map((m) => m.informer.waitForSync()));
  }

  async stop(): Promise<void> {
    const all = [...this.monitors.values()];
    this.monitors.clear();
    for (const m of all) m.active = false;
    await Promise.all([
      ...all.filter((m) => !m.shared).map((m) => m.informer.stop()),
      ...this.stopping,
    ]);
  }

  private start(r: ApiResource): Monitor {
    const ref = refOf(r);
    const shared = SHARED.some(
      (s) => s.group === r.group && s.version === r.version && s.resource === r.resource,
    );
    const informer = shared
      ? ownedInformer<MetadataObject>(this.ctx, ref)
      : new Informer<MetadataObject>(new MetadataClient(this.ctx.rest, ref), {
          clock: this.ctx.clock,
          onError: (err, context) =>
            this.ctx.log.warn("garbage collector watch failed", {
              resource: resourceId(r),
              context,
              err: String(err),
            }),
        });
    const monitor: Monitor = { informer, shared, active: true };
    const emit = (change: GraphChange | undefined) => {
      if (monitor.active && change) this.onChange(change);
    };
    informer.addEventHandler({
      onAdd: (obj) => {
        const object = observedOf(obj, r);
        emit(object && { type: "add", object });
      },
      onUpdate: (oldObj, obj) => {
        const object = observedOf(obj, r);
        const old = observedOf(oldObj, r);
        emit(object && old && { type: "update", object, old });
      },
      onDelete: (obj: MetadataObject | DeletedFinalStateUnknown<MetadataObject>) => {
        const object = observedOf(objectOf(obj), r);
        emit(object && { type: "delete", object });
      },
    });
    if (!shared) informer.start();
    return monitor;
  }
}
