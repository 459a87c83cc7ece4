import type {
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
} from "kubernetes-types/core/v1.js";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import type { StorageClass } from "kubernetes-types/storage/v1.js";
import { type CoreEvent, EVENTS, EventRecorder } from "../../client/events/recorder.js";
import { SharedInformerFactory } from "../../client/informer/factory.js";
import { objectKey } from "../../client/informer/indexer.js";
import { objectOf } from "../../client/informer/informer.js";
import type { RestClient } from "../../client/rest/client.js";
import { isConflict, isNotFound } from "../../client/rest/errors.js";
import { ResourceClient } from "../../client/rest/resource.js";
import { type Clock, realClock } from "../../client/util/clock.js";
import type { Logger } from "../../util/log.js";
import type { Lookups, Profile } from "../framework/interface.js";
import { schedulePod } from "../framework/schedule.js";
import { defaultProfile } from "../plugins/registry.js";
import { classifyClaims } from "../plugins/volume-binding/predicate.js";
import { preempt } from "../preemption/index.js";
import { type QueuedPod, SchedulingQueue } from "../queue/scheduling-queue.js";
import { SchedulerCache } from "./cache.js";

export const DEFAULT_SCHEDULER_NAME = "default-scheduler";
/** Bindings sent but not yet answered before the scheduling loop waits. */
const MAX_BINDINGS_IN_FLIGHT = 32;
/** The annotation telling a provisioner where a WaitForFirstConsumer claim's pod goes. */
const SELECTED_NODE = "volume.kubernetes.io/selected-node";
/** Upstream's bind timeout for those claims (--bind-timeout-seconds 600). */
const CLAIM_BIND_TIMEOUT_MS = 600_000;

const PODS = { group: "", version: "v1", resource: "pods", namespaced: true } as const;
const NODES = { group: "", version: "v1", resource: "nodes", namespaced: false } as const;
const PVCS = {
  group: "",
  version: "v1",
  resource: "persistentvolumeclaims",
  namespaced: true,
} as const;
const PVS = { group: "", version: "v1", resource: "persistentvolumes", namespaced: false } as const;
const STORAGE_CLASSES = {
  group: "storage.k8s.io",
  version: "v1",
  resource: "storageclasses",
  namespaced: false,
} as const;
const PDBS = {
  group: "policy",
  version: "v1",
  resource: "poddisruptionbudgets",
  namespaced: true,
} as const;

export interface SchedulerOptions {
  /** Pods whose spec.schedulerName is this are ours (default "default-scheduler"). */
  readonly schedulerName?: string;
  readonly profile?: Profile;
  readonly random?: () => number;
  readonly clock?: Clock;
  readonly log?: Logger;
}

const timestamp = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

function queued(pod: Pod): QueuedPod {
  return {
    key: objectKey(pod as never),
    priority: pod.spec?.priority ?? 0,
    created: Date.parse(pod.metadata?.creationTimestamp ?? "") || 0,
  };
}

/**
 * The scheduler's I/O half: informers feed a scheduling queue; one cycle
 * at a time takes the next pod, filters and scores the nodes of a snapshot
 * (assigned pods plus pods assumed on their node until the informer sees
 * them bound), binds through pods/binding, and reports the outcome as the
 * PodScheduled condition and Scheduled / FailedScheduling events. A pod
 * that fits nowhere may preempt lower-priority pods.
 */
export class Scheduler {
  private readonly factory: SharedInformerFactory;
  private readonly queue: SchedulingQueue;
  private readonly pods: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;
  private readonly name: string;
  private readonly profile: Profile;
  private readonly random: () => number;
  private readonly clock: Clock;
  private readonly cache = new SchedulerCache();
  /** Where the next cycle starts filtering, so every node gets its turn when not all are checked. */
  private nextStartNodeIndex = 0;
  private readonly bindings = new Set<Promise<void>>();
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly rest: RestClient,
    private readonly opts: SchedulerOptions = {},
  ) {
    this.name = opts.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.profile = opts.profile ?? defaultProfile();
    this.random = opts.random ?? Math.random;
    this.clock = opts.clock ?? realClock;
    this.factory = new SharedInformerFactory(rest, {
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    this.queue = new SchedulingQueue({ clock: this.clock });
    this.pods = new ResourceClient<Pod>(rest, PODS);
    this.recorder = new EventRecorder(new ResourceClient<CoreEvent>(rest, EVENTS), {
      component: this.name,
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
  }

  private ours(pod: Pod): boolean {
    return (pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) === this.name;
  }

  private pending(pod: Pod): boolean {
    return (
      !pod.spec?.nodeName &&
      !pod.metadata?.deletionTimestamp &&
      this.ours(pod) &&
      pod.status?.phase !== "Succeeded" &&
      pod.status?.phase !== "Failed"
    );
  }

  async start(): Promise<void> {
    const podInformer = this.factory.informerFor<Pod & { metadata?: { name?: string } }>(
      PODS as never,
    );
    const nodeInformer = this.factory.informerFor<Node>(NODES as never);
    for (const ref of [PVCS, PVS, STORAGE_CLASSES, PDBS]) this.factory.informerFor(ref as never);
    podInformer.addEventHandler({
      onAdd: (pod) => {
        if (pod.spec?.nodeName) this.cache.upsertPod(pod);
        else if (this.pending(pod)) this.queue.add(queued(pod));
      },
      onUpdate: (old, pod) => {
        const key = objectKey(pod as never);
        if (pod.spec?.nodeName) {
          this.cache.upsertPod(pod);
          this.queue.delete(key);
          // A pod that finished frees its room.
          if (old.spec?.nodeName && pod.status?.phase !== old.status?.phase)
            this.queue.moveAllToActive();
        } else if (this.pending(pod)) {
          this.queue.add(queued(pod));
        } else {
          this.queue.delete(key);
        }
      },
      onDelete: (obj) => {
        const pod = objectOf(obj);
        this.cache.removePod(pod);
        this.queue.delete(objectKey(pod as never));
        // A pod that held resources is gone: room may have appeared.
        if (pod.spec?.nodeName) this.queue.moveAllToActive();
      },
    });
    nodeInformer.addEventHandler({
      onAdd: (node) => {
        this.cache.upsertNode(node);
        this.queue.moveAllToActive();
      },
      onUpdate: (old, node) => {
        this.cache.upsertNode(node);
        // Heartbeats only touch condition times: only spec, labels or allocatable can help a pod.
        const changed = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
        if (
          changed(old.spec, node.spec) ||
          changed(old.metadata?.labels, node.metadata?.labels) ||
          changed(old.status?.allocatable, node.status?.allocatable)
        ) {
          this.queue.moveAllToActive();
        }
      },
      onDelete: (obj) => this.cache.removeNode(objectOf(obj).metadata?.name ?? ""),
    });
    this.factory.start();
    await this.factory.waitForCacheSync();
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.queue.close();
    await this.loop;
    await Promise.all(this.bindings);
    await this.factory.stop();
    await this.recorder.flush();
  }

  /** Waits while too many bindings are in flight. */
  private async bindingSlot(): Promise<void> {
    while (this.bindings.size >= MAX_BINDINGS_IN_FLIGHT) await Promise.race(this.bindings);
  }

  private async run(): Promise<void> {
    while (this.running) {
      const next = await this.queue.pop();
      if (!next) return;
      try {
        await this.scheduleOne(next);
      } catch (err) {
        this.opts.log?.warn("scheduling attempt failed", { pod: next.key, err: String(err) });
        this.queue.errorAttempt(next);
      }
    }
  }

  /** Read-only views of the informer caches the plugins consult; the same every cycle. */
  private readonly lookups: Lookups = {
    getPVC: (ns: string, name: string) =>
      this.store<PersistentVolumeClaim>(PVCS).get(`${ns}/${name}`) as
        | PersistentVolumeClaim
        | undefined,
    getPV: (name: string) =>
      this.store<PersistentVolume>(PVS).get(name) as PersistentVolume | undefined,
    getStorageClass: (name: string) =>
      this.store<StorageClass>(STORAGE_CLASSES).get(name) as StorageClass | undefined,
  };

  private store<T>(ref: object) {
    return this.factory.informerFor<T & { metadata?: { name?: string } }>(ref as never).store;
  }

  private async scheduleOne(item: QueuedPod): Promise<void> {
    const pod = this.store<Pod>(PODS).get(item.key) as Pod | undefined;
    if (!pod || !this.pending(pod)) {
      this.queue.done(item.key);
      return;
    }
    const snapshot = this.cache.snapshot();
    const lookups = this.lookups;
    const result = schedulePod(pod, {
      snapshot,
      profile: this.profile,
      random: this.random,
      lookups,
      startIndex: this.nextStartNodeIndex,
    });
    if (result.kind === "scheduled" && snapshot.size > 0) {
      this.nextStartNodeIndex = (this.nextStartNodeIndex + result.processed) % snapshot.size;
    }
    if (result.kind === "scheduled") {
      // Assume now, bind in the background (upstream's binding cycle): the
      // next pod is scheduled while this binding is in flight.
      this.cache.assume(pod, result.host);
      await this.bindingSlot();
      const binding = this.bind(pod, item, result.host, lookups).catch((err: unknown) => {
        this.opts.log?.warn("binding failed", { pod: item.key, err: String(err) });
        this.queue.errorAttempt(item);
      });
      this.bindings.add(binding);
      void binding.finally(() => this.bindings.delete(binding));
      return;
    }
    let message = result.kind === "noNodes" ? result.message : result.fitError.message;
    if (result.kind === "unschedulable") {
      const pdbs = this.store<PodDisruptionBudget>(PDBS).list() as PodDisruptionBudget[];
      const outcome = preempt(pod, {
        snapshot,
        profile: this.profile,
        lookups,
        pdbs,
        diagnosis: result.fitError.diagnosis,
      });
      if (outcome.kind === "preempt") {
        await this.evictVictims(pod, outcome.nodeName, outcome.victims);
        // The attempt still failed; the pod is nominated and retried once room appears.
        message = result.fitError.message;
      } else {
        message = result.fitError.withPostFilterMsg(outcome.message).message;
      }
    }
    await this.markUnschedulable(pod, message);
    this.queue.unschedulableAttempt(item);
  }

  /**
   * Upstream's VolumeBinding PreBind: claims that wait for their first
   * consumer learn the chosen node (the `selected-node` annotation a
   * provisioner acts on), and the pod is bound only once they are bound,
   * so the kubelet never sees a pod whose volumes do not exist yet.
   */
  private async bindDelayedClaims(pod: Pod, node: string, lookups: Lookups): Promise<void> {
    const verdict = classifyClaims(pod, lookups);
    if (verdict.kind !== "ok" || verdict.delayed.length === 0) return;
    const claims = new ResourceClient<PersistentVolumeClaim>(this.rest, PVCS);
    for (const claim of verdict.delayed) {
      if (claim.metadata?.annotations?.[SELECTED_NODE] === node) continue;
      await claims.patch(
        claim.metadata?.name ?? "",
        { metadata: { annotations: { [SELECTED_NODE]: node } } },
        { namespace: claim.metadata?.namespace ?? "", type: "merge" },
      );
    }
    const deadline = Date.now() + CLAIM_BIND_TIMEOUT_MS;
    for (;;) {
      const unbound = verdict.delayed.filter(
        (c) =>
          !lookups.getPVC?.(c.metadata?.namespace ?? "", c.metadata?.name ?? "")?.spec?.volumeName,
      );
      if (unbound.length === 0) return;
      if (Date.now() > deadline)
        throw new Error(
          `binding volumes: timed out waiting for claims ${unbound.map((c) => c.metadata?.name).join(", ")}`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private async bind(pod: Pod, item: QueuedPod, node: string, lookups: Lookups): Promise<void> {
    const ns = pod.metadata?.namespace ?? "default";
    const name = pod.metadata?.name ?? "";
    try {
      await this.bindDelayedClaims(pod, node, lookups);
      await this.rest.request({
        method: "POST",
        path: `${this.pods.path({ namespace: ns, name })}/binding`,
        body: {
          apiVersion: "v1",
          kind: "Binding",
          metadata: { name, namespace: ns },
          target: { apiVersion: "v1", kind: "Node", name: node },
        },
      });
    } catch (err) {
      this.cache.forget(pod);
      if (isNotFound(err)) {
        this.queue.done(item.key);
        return;
      }
      if (isConflict(err)) {
        // Bound by someone else meanwhile: nothing left to do.
        this.queue.done(item.key);
        return;
      }
      throw err;
    }
    this.queue.done(item.key);
    this.recorder.event({ apiVersion: "v1", kind: "Pod", metadata: pod.metadata ?? {} } as never, {
      type: "Normal",
      reason: "Scheduled",
      message: `Successfully assigned ${ns}/${name} to ${node}`,
    });
  }

  private async markUnschedulable(pod: Pod, message: string): Promise<void> {
    const ns = pod.metadata?.namespace ?? "default";
    const name = pod.metadata?.name ?? "";
    const existing = pod.status?.conditions?.find((c) => c.type === "PodScheduled");
    if (
      !(
        existing?.status === "False" &&
        existing.reason === "Unschedulable" &&
        existing.message === message
      )
    ) {
      try {
        await this.pods.patch(
          name,
          {
            status: {
              conditions: [
                {
                  type: "PodScheduled",
                  status: "False",
                  reason: "Unschedulable",
                  message,
                  lastProbeTime: null,
                  lastTransitionTime:
                    existing?.status === "False"
                      ? existing.lastTransitionTime
                      : timestamp(this.clock.now()),
                },
              ],
            },
          },
          { namespace: ns, type: "strategic", subresource: "status" },
        );
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    this.recorder.event({ apiVersion: "v1", kind: "Pod", metadata: pod.metadata ?? {} } as never, {
      type: "Warning",
      reason: "FailedScheduling",
      message,
    });
  }

  /** Preemption: gracefully delete the victims and nominate the node for the preemptor. */
  private async evictVictims(pod: Pod, node: string, victims: readonly Pod[]): Promise<void> {
    for (const v of victims) {
      try {
        await this.pods.delete(v.metadata?.name ?? "", {
          namespace: v.metadata?.namespace ?? "default",
        });
        this.recorder.event(
          { apiVersion: "v1", kind: "Pod", metadata: v.metadata ?? {} } as never,
          {
            type: "Normal",
            reason: "Preempted",
            message: `Preempted by pod ${pod.metadata?.uid ?? ""} on node ${node}`,
          },
        );
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    await this.pods.patch(
      pod.metadata?.name ?? "",
      { status: { nominatedNodeName: node } },
      { namespace: pod.metadata?.namespace ?? "default", type: "merge", subresource: "status" },
    );
  }
}
