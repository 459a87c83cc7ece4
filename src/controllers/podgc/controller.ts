import type { Node, Pod, PodCondition } from "kubernetes-types/core/v1.js";
import { Controller, RequeueAfter } from "../../client/controller/runner.js";
import { objectKey } from "../../client/informer/indexer.js";
import type { Informer } from "../../client/informer/informer.js";
import { isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { podInformer } from "../common/informers.js";
import { NODES, PODS } from "../common/resources.js";
import { rfc3339 } from "../job/time.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import {
  isPodTerminated,
  missingNodes,
  podsOnNodes,
  terminatedOverThreshold,
  terminatingOutOfService,
  unscheduledTerminating,
} from "./decide.js";
import { MissingNodeQuarantine } from "./quarantine.js";

export interface PodGcOptions {
  /** Finished pods kept before the oldest go (--terminated-pod-gc-threshold, 12500; 0 disables). */
  readonly terminatedPodThreshold?: number;
  /** How often the collector runs (upstream's gcCheckPeriod, 20 s). */
  readonly gcCheckPeriodMs?: number;
  /** How long a node pods point at must be missing before they go (40 s). */
  readonly quarantineMs?: number;
}

/** The one key of the queue: a GC pass looks at every pod. */
const PASS = "pass";
/** Deletes in flight at once. */
const PARALLELISM = 10;

const ORPHAN_CONDITION: Omit<PodCondition, "lastTransitionTime"> = {
  type: "DisruptionTarget",
  status: "True",
  reason: "DeletionByPodGC",
  message: "PodGC: node no longer exists",
};

interface Doomed {
  readonly pod: Pod;
  readonly condition?: Omit<PodCondition, "lastTransitionTime">;
}

/**
 * Upstream's pod garbage collector. Every pass force-deletes (grace 0)
 * pods nothing else will ever finish: finished pods beyond the threshold
 * (oldest first), pods bound to a node that no longer exists (after a
 * quarantine and a check against the API server, since the cache may
 * just lag), terminating pods on a node marked out-of-service, and
 * terminating pods never scheduled. Pods not yet finished are first
 * marked Failed, so their owners count them as failed, not vanished.
 */
export class PodGcController implements RunnableController {
  private readonly controller: Controller;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly nodeClient: ResourceClient<Node>;
  private readonly threshold: number;
  private readonly periodMs: number;
  private readonly quarantine: MissingNodeQuarantine;

  constructor(
    private readonly ctx: ControllerContext,
    opts: PodGcOptions = {},
  ) {
    this.threshold = opts.terminatedPodThreshold ?? 12_500;
    this.periodMs = opts.gcCheckPeriodMs ?? 20_000;
    this.quarantine = new MissingNodeQuarantine(opts.quarantineMs ?? 40_000);
    this.pods = podInformer(ctx);
    this.nodes = ctx.informers.informerFor<Node>(NODES);
    this.podClient = ctx.client(PODS);
    this.nodeClient = ctx.client(NODES);
    this.controller = new Controller({
      name: "pod-garbage-collector",
      sync: () => this.pass(),
      waitForSync: async () => {
        await Promise.all([this.pods.waitForSync(), this.nodes.waitForSync()]);
      },
      log: ctx.log,
    });
  }

  /** One worker whatever is asked: passes must not overlap. */
  run(_workers: number): Promise<void> {
    this.controller.enqueue(PASS);
    return this.controller.run(1);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  async pass(): Promise<RequeueAfter> {
    const pods = this.pods.store.list();
    const nodes = new Map(this.nodes.store.list().map((n) => [objectKey(n), n]));
    const doomed = new Map<string, Doomed>();
    const add = (list: Pod[], condition?: Doomed["condition"]) => {
      for (const pod of list) {
        const uid = pod.metadata?.uid ?? objectKey(pod);
        if (!doomed.has(uid)) doomed.set(uid, condition ? { pod, condition } : { pod });
      }
    };
    add(terminatedOverThreshold(pods, this.threshold));
    add(terminatingOutOfService(pods, nodes));
    const due = this.quarantine.due(missingNodes(pods, nodes), this.ctx.clock.now());
    add(podsOnNodes(pods, await this.confirmDeleted(due)), ORPHAN_CONDITION);
    add(unscheduledTerminating(pods));

    const errors = await forEachLimited([...doomed.values()], (d) => this.forceDelete(d));
    // The next pass retries them: a failure here needs no backoff of its own.
    if (errors.length > 0)
      this.ctx.log.warn("pod GC: deletes failed", {
        failures: errors.length,
        err: String(errors[0]),
      });
    return new RequeueAfter(this.periodMs);
  }

  /** Of the nodes missing from the cache, the ones the API server confirms are gone. */
  private async confirmDeleted(names: readonly string[]): Promise<Set<string>> {
    const gone = new Set<string>();
    for (const name of names) {
      try {
        await this.nodeClient.get(name);
        this.quarantine.clear(name);
      } catch (err) {
        if (isNotFound(err)) gone.add(name);
        else this.ctx.log.warn("pod GC: node lookup failed", { node: name, err: String(err) });
      }
    }
    return gone;
  }

  /** Marks an unfinished pod Failed (with the reason as a condition), then deletes it with grace 0. */
  private async forceDelete({ pod, condition }: Doomed): Promise<void> {
    const name = pod.metadata?.name ?? "";
    const namespace = pod.metadata?.namespace ?? "";
    try {
      if (!isPodTerminated(pod)) {
        const conditions = condition
          ? [{ ...condition, lastTransitionTime: rfc3339(this.ctx.clock.now()) }]
          : undefined;
        await this.podClient.patch(
          name,
          { status: { phase: "Failed", ...(conditions ? { conditions } : {}) } },
          { namespace, subresource: "status", type: "strategic" },
        );
      }
      await this.podClient.delete(name, {
        namespace,
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata?.uid ?? "" },
      });
      this.ctx.log.info("pod GC: force-deleted pod", { pod: objectKey(pod) });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }
}

/** Runs `fn` over `items`, PARALLELISM at a time; resolves with the errors. */
async function forEachLimited<T>(
  items: readonly T[],
  fn: (item: T) => Promise<void>,
): Promise<unknown[]> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item).catch((err: unknown) => {
        errors.push(err);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLELISM, items.length) }, worker));
  return errors;
}
