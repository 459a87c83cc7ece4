/**
 * The garbage collector (upstream pkg/controller/garbagecollector):
 * discovers every resource that can be listed, watched and deleted
 * (again every 30 s, so new resources are picked up), watches each, keeps
 * the ownerReference graph, and runs two queues over it: attemptToDelete
 * (collect dependents whose owners are gone, finish foreground deletions)
 * and attemptToOrphan (detach dependents of an owner deleted with
 * propagationPolicy=Orphan).
 */
import type { EventRecorder } from "../../client/events/recorder.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { type ApiResource, apiVersionOf, RestMapper } from "./api-resources.js";
import { attemptToDelete, type GcDeps } from "./attempt-to-delete.js";
import { attemptToOrphan } from "./attempt-to-orphan.js";
import { discoverResources } from "./discovery.js";
import { DependencyGraph, type GraphSink } from "./graph.js";
import type { ObjectIdentity, OwnerReference } from "./identity.js";
import { Monitors } from "./monitors.js";
import { Operations } from "./operations.js";
import { WorkLoop } from "./work-loop.js";

export interface GarbageCollectorOptions {
  /** How often discovery runs again to pick up new or removed resources (default 30 s). */
  readonly resyncPeriodMs?: number;
}

/** Upstream's objectReference.String(). */
function describe(ref: OwnerReference, namespace: string): string {
  return `[${ref.apiVersion}/${ref.kind}, namespace: ${namespace}, name: ${ref.name}, uid: ${ref.uid}]`;
}

/**
 * Keeps, for group versions that failed this discovery, the resources the
 * previous one found: a passing failure must not stop their watches.
 */
export function mergeDiscovery(opts: {
  previous: readonly ApiResource[];
  found: readonly ApiResource[];
  failedGroupVersions: ReadonlySet<string>;
}): ApiResource[] {
  const kept = opts.previous.filter((r) => opts.failedGroupVersions.has(apiVersionOf(r)));
  return [...opts.found, ...kept];
}

export class GarbageCollector implements RunnableController {
  readonly graph: DependencyGraph;
  private mapper = new RestMapper([]);
  private readonly monitors: Monitors;
  private readonly deletes: WorkLoop;
  private readonly orphans: WorkLoop;
  private readonly recorder: EventRecorder;
  private readonly resyncPeriodMs: number;
  private cancelResync: (() => void) | undefined;
  private resyncing: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: ControllerContext,
    opts: GarbageCollectorOptions = {},
  ) {
    this.resyncPeriodMs = opts.resyncPeriodMs ?? 30_000;
    this.recorder = ctx.recorder("garbage-collector-controller");
    const sink: GraphSink = {
      attemptToDelete: (uid, o) =>
        o?.rateLimited ? this.deletes.queue.addRateLimited(uid) : this.deletes.queue.add(uid),
      attemptToOrphan: (uid) => this.orphans.queue.add(uid),
      invalidOwnerNamespace: (dependent, owner) => this.reportInvalidNamespace(dependent, owner),
    };
    this.graph = new DependencyGraph(sink);
    this.monitors = new Monitors(ctx, (change) => this.graph.observe(change));
    const deps: GcDeps = {
      graph: this.graph,
      ops: new Operations(ctx.rest, () => this.mapper),
      enqueueDelete: (uid) => this.deletes.queue.add(uid),
    };
    const loop = (name: string, process: (key: string) => Promise<"forget" | "requeue">) =>
      new WorkLoop({ name, process, log: ctx.log, clock: ctx.clock });
    this.deletes = loop("attemptToDelete", (uid) => attemptToDelete(deps, uid));
    this.orphans = loop("attemptToOrphan", (uid) => attemptToOrphan(deps, uid));
  }

  /** Discovers and watches every resource, waits for the first lists, then starts the workers. */
  async run(workers: number): Promise<void> {
    await this.resync();
    await this.waitForSync();
    if (this.stopped) return;
    this.deletes.start(workers);
    this.orphans.start(workers);
    this.scheduleResync();
  }

  /**
   * Waits for the first lists, but not forever: a resource whose list keeps
   * failing must not stop collection of every other (workers verify
   * everything live anyway; the graph fills in as watches catch up).
   */
  private async waitForSync(): Promise<void> {
    let cancel: (() => void) | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      cancel = this.ctx.clock.setTimeout(() => resolve(true), this.resyncPeriodMs);
    });
    const synced = this.monitors.waitForSync().then(() => false);
    if (await Promise.race([synced, timedOut])) {
      this.ctx.log.warn("garbage collector: starting before every watch listed its resource");
    }
    cancel?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelResync?.();
    await this.resyncing;
    await Promise.all([this.deletes.stop(), this.orphans.stop()]);
    await this.monitors.stop();
  }

  private scheduleResync(): void {
    this.cancelResync = this.ctx.clock.setTimeout(() => {
      if (this.stopped) return;
      void this.resync().finally(() => {
        if (!this.stopped) this.scheduleResync();
      });
    }, this.resyncPeriodMs);
  }

  /** Runs discovery and brings the watches in line with it. Never throws. */
  private resync(): Promise<void> {
    this.resyncing = (async () => {
      try {
        const { resources, error } = await discoverResources(this.ctx.rest);
        if (this.stopped) return;
        if (error) {
          this.ctx.log.warn("garbage collector: discovery failed for some groups", {
            err: error.message,
          });
        }
        const merged = mergeDiscovery({
          previous: this.mapper.resources,
          found: resources,
          failedGroupVersions: new Set(error?.groups.keys() ?? []),
        });
        this.mapper = new RestMapper(merged);
        const { added, removed } = this.monitors.sync(this.mapper.garbageCollectable());
        if (added.length + removed.length > 0) {
          this.ctx.log.info("garbage collector watches changed", { added, removed });
        }
      } catch (err) {
        this.ctx.log.warn("garbage collector: discovery failed", { err: String(err) });
      }
    })();
    return this.resyncing;
  }

  private reportInvalidNamespace(dependent: ObjectIdentity, owner: OwnerReference): void {
    this.recorder.event(
      {
        apiVersion: dependent.apiVersion,
        kind: dependent.kind,
        metadata: { name: dependent.name, namespace: dependent.namespace, uid: dependent.uid },
      },
      {
        type: "Warning",
        reason: "OwnerRefInvalidNamespace",
        message: `ownerRef ${describe(owner, dependent.namespace)} does not exist in namespace "${dependent.namespace}"`,
      },
    );
  }
}
