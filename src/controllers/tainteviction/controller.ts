import type { Node, Pod, Toleration } from "kubernetes-types/core/v1.js";
import { Controller, RequeueAfter } from "../../client/controller/runner.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { objectKey, splitKey } from "../../client/informer/indexer.js";
import { type Informer, objectOf } from "../../client/informer/informer.js";
import { isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { podInformer } from "../common/informers.js";
import { podCondition } from "../common/pod-state.js";
import { NODES, PODS } from "../common/resources.js";
import { rfc3339 } from "../job/time.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { PodsByNode } from "../nodelifecycle/pods-by-node.js";
import { decideEviction, noExecuteTaints, sameTaints } from "./decide.js";
import { TaintStarts } from "./taint-starts.js";

/** Slack so that when the requeue fires the toleration has surely run out. */
const REQUEUE_SLACK_MS = 50;

const sameTolerations = (a: Toleration[] | undefined, b: Toleration[] | undefined) =>
  JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

/**
 * Upstream's taint eviction controller (the taint manager): a pod on a
 * node with a NoExecute taint it does not tolerate is deleted at once; one
 * that tolerates it for tolerationSeconds is deleted when that runs out,
 * unless the taint goes first. Keys are pods; node taint changes requeue
 * the node's pods, and a pending eviction is a RequeueAfter for its time.
 */
export class TaintEvictionController implements RunnableController {
  private readonly controller: Controller;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly podsByNode: PodsByNode;
  private readonly podClient: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;
  private readonly starts = new TaintStarts();
  /** Pods with an eviction pending, and when (for the cancel event). */
  private readonly scheduled = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {
    this.pods = podInformer(ctx);
    this.nodes = ctx.informers.informerFor<Node>(NODES);
    this.podsByNode = new PodsByNode(this.pods);
    this.podClient = ctx.client(PODS);
    this.recorder = ctx.recorder("taint-eviction-controller");
    this.controller = new Controller({
      name: "taint-eviction-controller",
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await Promise.all([this.pods.waitForSync(), this.nodes.waitForSync()]);
      },
      log: ctx.log,
    });
    this.nodes.addEventHandler({
      onAdd: (node) => this.nodeChanged(undefined, node),
      onUpdate: (old, node) => this.nodeChanged(old, node),
      onDelete: (obj) => {
        const name = objectKey(objectOf(obj));
        this.starts.forget(name);
        this.enqueuePodsOn(name);
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => {
        if (pod.spec?.nodeName) this.controller.enqueue(objectKey(pod));
      },
      onUpdate: (old, pod) => {
        // As upstream: only binding and tolerations matter (and a deletion starting).
        if (
          old.spec?.nodeName !== pod.spec?.nodeName ||
          !sameTolerations(old.spec?.tolerations, pod.spec?.tolerations) ||
          (pod.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp)
        )
          this.controller.enqueue(objectKey(pod));
      },
      onDelete: (obj) => {
        this.scheduled.delete(objectKey(objectOf(obj)));
      },
    });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private nodeChanged(old: Node | undefined, node: Node): void {
    const name = objectKey(node);
    const taints = noExecuteTaints(node.spec?.taints);
    this.starts.observe(name, { taints, now: this.ctx.clock.now() });
    if (sameTaints(noExecuteTaints(old?.spec?.taints), taints)) return;
    this.enqueuePodsOn(name);
  }

  private enqueuePodsOn(nodeName: string): void {
    for (const pod of this.podsByNode.podsOn(nodeName)) this.controller.enqueue(objectKey(pod));
  }

  async sync(key: string): Promise<RequeueAfter | undefined> {
    const pod = this.pods.store.get(key);
    const nodeName = pod?.spec?.nodeName;
    // Gone, unbound or already being deleted: nothing left to evict.
    if (!pod || !nodeName || pod.metadata?.deletionTimestamp) {
      this.scheduled.delete(key);
      return undefined;
    }
    const now = this.ctx.clock.now();
    const taints = noExecuteTaints(this.nodes.store.get(nodeName)?.spec?.taints);
    const decision =
      taints.length === 0
        ? ({ kind: "keep" } as const)
        : decideEviction(pod.spec?.tolerations, {
            taints,
            now,
            since: (t) => this.starts.since(t, { nodeName, now }),
          });
    switch (decision.kind) {
      case "keep":
        if (this.scheduled.delete(key)) this.event(pod, `Cancelling deletion of Pod ${key}`);
        return undefined;
      case "wait":
        this.scheduled.set(key, decision.at);
        return new RequeueAfter(decision.at - now + REQUEUE_SLACK_MS);
      case "evict":
        this.scheduled.delete(key);
        this.event(pod, `Marking for deletion Pod ${key}`);
        await this.evict(key, pod);
        return undefined;
    }
  }

  /**
   * Marks the pod with a DisruptionTarget condition (so its owner can tell
   * an eviction from a failure), then deletes it with its normal grace.
   */
  private async evict(key: string, cached: Pod): Promise<void> {
    const { namespace, name } = splitKey(key);
    const uid = cached.metadata?.uid ?? "";
    try {
      const fresh = await this.podClient.get(name, { namespace });
      if (fresh.metadata?.uid !== uid || fresh.metadata?.deletionTimestamp) return;
      if (podCondition(fresh, "DisruptionTarget")?.status !== "True") {
        await this.podClient.patch(
          name,
          {
            status: {
              conditions: [
                {
                  type: "DisruptionTarget",
                  status: "True",
                  reason: "DeletionByTaintManager",
                  message: "Taint manager: deleting due to NoExecute taint",
                  lastTransitionTime: rfc3339(this.ctx.clock.now()),
                },
              ],
            },
          },
          { namespace, subresource: "status", type: "strategic" },
        );
      }
      await this.podClient.delete(name, { namespace, preconditions: { uid } });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }

  private event(pod: Pod, message: string): void {
    this.recorder.event(
      { ...pod, apiVersion: "v1", kind: "Pod" },
      { type: "Normal", reason: "TaintManagerEviction", message },
    );
  }
}
