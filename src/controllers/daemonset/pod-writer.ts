import type { DaemonSet } from "kubernetes-types/apps/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { slowStartBatch } from "../common/batch.js";
import { newControllerRef } from "../common/controller-ref.js";
import type { Expectations } from "../common/expectations.js";
import { podFromTemplate, podPrefix } from "../common/pod-template.js";
import { CONTROLLER_REVISION_HASH_LABEL } from "../history/revision.js";
import { BURST_REPLICAS } from "../replicaset/replicas.js";
import { nodeNameAffinity } from "./affinity.js";
import type { FailedPodBackoff } from "./backoff.js";
import { DAEMON_SET_GVK } from "./kinds.js";
import type { PodDeletion } from "./placement.js";
import { withDaemonTolerations } from "./tolerations.js";

/** The DaemonSet as events see it (informer objects carry no kind). */
export function daemonSetRef(ds: DaemonSet): DaemonSet {
  return { ...ds, apiVersion: DAEMON_SET_GVK.apiVersion, kind: DAEMON_SET_GVK.kind };
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The DaemonSet controller's pod writes (upstream's syncNodes and its
 * failed-pod backoff), reported as events on the DaemonSet.
 */
export class DaemonPodWriter {
  constructor(
    private readonly io: {
      pods: ResourceClient<Pod>;
      recorder: EventRecorder;
      expectations: Expectations;
      backoff: FailedPodBackoff;
    },
  ) {}

  private event(ds: DaemonSet, e: { type: "Normal" | "Warning"; reason: string; message: string }) {
    this.io.recorder.event(daemonSetRef(ds), e);
  }

  /**
   * The planned deletions that may go now: failed pods whose node is in
   * backoff are held back (`wait` says for how long). Failed and
   * succeeded pods are reported as they go.
   */
  admitDeletions(
    ds: DaemonSet,
    planned: readonly PodDeletion[],
  ): { deletions: PodDeletion[]; wait: number | undefined } {
    const deletions: PodDeletion[] = [];
    let wait: number | undefined;
    for (const d of planned) {
      const name = `${d.pod.metadata?.namespace ?? ""}/${d.pod.metadata?.name ?? ""}`;
      if (d.reason === "failed") {
        const key = `${ds.metadata?.uid ?? ""}/${ds.status?.observedGeneration ?? 0}/${d.node}`;
        const remaining = this.io.backoff.remaining(key);
        if (remaining > 0) {
          wait = Math.min(wait ?? Number.POSITIVE_INFINITY, remaining);
          continue;
        }
        this.io.backoff.next(key);
        this.event(ds, {
          type: "Warning",
          reason: "FailedDaemonPod",
          message: `Found failed daemon pod ${name} on node ${d.node}, will try to kill it`,
        });
      } else if (d.reason === "succeeded") {
        this.event(ds, {
          type: "Normal",
          reason: "SucceededDaemonPod",
          message: `Found succeeded daemon pod ${name} on node ${d.node}, will try to delete it`,
        });
      }
      deletions.push(d);
    }
    this.io.backoff.gc();
    return { deletions, wait };
  }

  /**
   * Creates daemon pods on `createOn` and deletes `deletePods`
   * (upstream's syncNodes), recording expectations first so a stale
   * cache cannot make the next sync do it again. Creates go in slow-start
   * batches, so a template the API rejects fails once, not per node.
   */
  async syncNodes(
    view: { ds: DaemonSet; key: string; hash: string },
    work: { createOn: readonly string[]; deletePods: readonly Pod[] },
  ): Promise<void> {
    const { ds, key } = view;
    const createOn = work.createOn.slice(0, BURST_REPLICAS);
    const deletePods = work.deletePods.slice(0, BURST_REPLICAS);
    this.io.expectations.expect(key, {
      adds: createOn.length,
      deleteUids: deletePods.map((p) => p.metadata?.uid ?? ""),
    });
    const template = ds.spec?.template ?? {};
    const daemonTemplate = {
      ...template,
      spec: withDaemonTolerations(template.spec ?? { containers: [] }),
    };
    let next = 0;
    const created = await slowStartBatch(createOn.length, () =>
      this.createPod(view, { template: daemonTemplate, node: createOn[next++] ?? "" }),
    );
    // Creations never attempted will never be observed.
    for (let i = created.attempted; i < createOn.length; i++)
      this.io.expectations.creationObserved(key);

    const deleted = await Promise.allSettled(deletePods.map((pod) => this.deletePod(view, pod)));
    const failed = deleted.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (created.error !== undefined) throw created.error;
    if (failed) throw failed.reason;
  }

  /** One daemon pod for `node`: unbound, pinned by node affinity, labelled with the revision hash. */
  private async createPod(
    view: { ds: DaemonSet; key: string; hash: string },
    opts: { template: NonNullable<DaemonSet["spec"]>["template"]; node: string },
  ): Promise<void> {
    const { ds } = view;
    const namespace = ds.metadata?.namespace ?? "";
    const pod = podFromTemplate(opts.template, {
      namespace,
      controllerRef: newControllerRef(ds, DAEMON_SET_GVK),
      generateName: podPrefix(ds.metadata?.name ?? ""),
      labels: { [CONTROLLER_REVISION_HASH_LABEL]: view.hash },
    });
    if (pod.spec) pod.spec.affinity = nodeNameAffinity(pod.spec.affinity, opts.node);
    try {
      const made = await this.io.pods.create(pod, { namespace });
      this.event(ds, {
        type: "Normal",
        reason: "SuccessfulCreate",
        message: `Created pod: ${made.metadata?.name ?? ""}`,
      });
    } catch (err) {
      this.io.expectations.creationObserved(view.key);
      this.event(ds, {
        type: "Warning",
        reason: "FailedCreate",
        message: `Error creating: ${message(err)}`,
      });
      throw err;
    }
  }

  private async deletePod(view: { ds: DaemonSet; key: string }, pod: Pod): Promise<void> {
    const name = pod.metadata?.name ?? "";
    try {
      await this.io.pods.delete(name, {
        namespace: pod.metadata?.namespace ?? "",
        preconditions: { uid: pod.metadata?.uid ?? "" },
      });
      this.event(view.ds, {
        type: "Normal",
        reason: "SuccessfulDelete",
        message: `Deleted pod: ${name}`,
      });
    } catch (err) {
      this.io.expectations.deletionObserved(view.key, pod.metadata?.uid ?? "");
      if (isNotFound(err)) return;
      this.event(view.ds, {
        type: "Warning",
        reason: "FailedDelete",
        message: `Error deleting: ${message(err)}`,
      });
      throw err;
    }
  }
}
