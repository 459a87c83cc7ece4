import type { Job } from "kubernetes-types/batch/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import type { EventRecorder } from "../../client/events/recorder.js";
import { isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { slowStartBatch } from "../common/batch.js";
import { newControllerRef } from "../common/controller-ref.js";
import type { Expectations } from "../common/expectations.js";
import { isPodReady } from "../common/pod-state.js";
import { JOB_API_VERSION, JOB_KIND, TRACKING_FINALIZER } from "./constants.js";
import type { FinalizerExpectations } from "./finalizer-expectations.js";
import { newJobPod } from "./job-pod-template.js";
import { hasTrackingFinalizer } from "./job-pods.js";

const JOB_GVK = { apiVersion: JOB_API_VERSION, kind: JOB_KIND };

/** Removes only our finalizer, whatever else the pod holds. */
const REMOVE_FINALIZER_PATCH = {
  metadata: { "$deleteFromPrimitiveList/finalizers": [TRACKING_FINALIZER] },
};

export interface DeleteResult {
  readonly deleted: number;
  readonly deletedReady: number;
  readonly error: unknown;
}

/**
 * The Job controller's writes to pods: create (slow start), delete, and
 * finalizer removal, keeping the creation/deletion and finalizer
 * expectations in step with what was actually sent.
 */
export class JobPodControl {
  constructor(
    private readonly deps: {
      pods: ResourceClient<Pod>;
      recorder: EventRecorder;
      expectations: Expectations;
      finalizers: FinalizerExpectations;
    },
  ) {}

  /** Creates `count` pods (one per index when given); returns how many were created and the first error. */
  async create(
    job: Job,
    plan: { key: string; count: number; indexes?: readonly number[] | undefined },
  ): Promise<{ created: number; error: unknown }> {
    const { key } = plan;
    const { pods, expectations } = this.deps;
    const namespace = job.metadata?.namespace ?? "";
    const controllerRef = newControllerRef(job, JOB_GVK);
    expectations.expect(key, { adds: plan.count });
    let next = 0;
    const result = await slowStartBatch(plan.count, async () => {
      const index = plan.indexes?.[next++];
      const pod = newJobPod(job, { controllerRef, index });
      try {
        const created = await pods.create(pod, { namespace });
        this.event(job, {
          type: "Normal",
          reason: "SuccessfulCreate",
          message: `Created pod: ${created.metadata?.name ?? ""}`,
        });
      } catch (err) {
        expectations.creationObserved(key);
        this.event(job, {
          type: "Warning",
          reason: "FailedCreate",
          message: `Error creating: ${message(err)}`,
        });
        throw err;
      }
    });
    // Creations never attempted will never be observed.
    for (let i = result.attempted; i < plan.count; i++) expectations.creationObserved(key);
    return { created: result.succeeded, error: result.error };
  }

  /**
   * Deletes pods the Job no longer wants (scale down, suspend). The
   * finalizer goes first: these pods did not fail and must not be counted.
   */
  async deleteUnwanted(
    job: Job,
    opts: { key: string; victims: readonly Pod[] },
  ): Promise<DeleteResult> {
    const { key, victims } = opts;
    const { pods, expectations } = this.deps;
    const namespace = job.metadata?.namespace ?? "";
    expectations.expect(key, { deleteUids: victims.map((p) => p.metadata?.uid ?? "") });
    return this.deleteAll(victims, async (pod) => {
      const name = pod.metadata?.name ?? "";
      try {
        if (hasTrackingFinalizer(pod))
          await pods.patch(name, REMOVE_FINALIZER_PATCH, { namespace, type: "strategic" });
        await pods.delete(name, { namespace });
        this.event(job, {
          type: "Normal",
          reason: "SuccessfulDelete",
          message: `Deleted pod: ${name}`,
        });
      } catch (err) {
        expectations.deletionObserved(key, pod.metadata?.uid ?? "");
        if (isNotFound(err)) return;
        this.event(job, {
          type: "Warning",
          reason: "FailedDelete",
          message: `Error deleting: ${message(err)}`,
        });
        throw err;
      }
    });
  }

  /**
   * Deletes the active pods of a Job that has failed or succeeded, keeping
   * their finalizers: they are counted (as failed) by the tracking step,
   * which then lets them go.
   */
  async deleteActive(job: Job, victims: readonly Pod[]): Promise<DeleteResult> {
    const namespace = job.metadata?.namespace ?? "";
    return this.deleteAll(victims, async (pod) => {
      try {
        await this.deps.pods.delete(pod.metadata?.name ?? "", { namespace });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    });
  }

  /** Removes the tracking finalizer; returns the UIDs now without it (a vanished pod counts). */
  async removeFinalizers(
    key: string,
    targets: readonly Pod[],
  ): Promise<{ removed: Set<string>; error: unknown }> {
    const { pods, finalizers } = this.deps;
    finalizers.expectRemovals(
      key,
      targets.map((p) => p.metadata?.uid ?? ""),
    );
    const removed = new Set<string>();
    const results = await Promise.allSettled(
      targets.map(async (pod) => {
        const uid = pod.metadata?.uid ?? "";
        try {
          await pods.patch(pod.metadata?.name ?? "", REMOVE_FINALIZER_PATCH, {
            namespace: pod.metadata?.namespace ?? "",
            type: "strategic",
          });
        } catch (err) {
          // No update will show this removal: stop waiting for it.
          finalizers.removalObserved(key, uid);
          if (!isNotFound(err)) throw err;
        }
        removed.add(uid);
      }),
    );
    return { removed, error: firstError(results) };
  }

  /** Adds the tracking finalizer to pods the Job adopted, so their outcome is counted too. */
  async addFinalizer(pod: Pod): Promise<Pod | undefined> {
    try {
      return await this.deps.pods.patch(
        pod.metadata?.name ?? "",
        { metadata: { finalizers: [TRACKING_FINALIZER], uid: pod.metadata?.uid } },
        { namespace: pod.metadata?.namespace ?? "", type: "strategic" },
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async deleteAll(
    victims: readonly Pod[],
    del: (pod: Pod) => Promise<void>,
  ): Promise<DeleteResult> {
    let deleted = 0;
    let deletedReady = 0;
    const results = await Promise.allSettled(
      victims.map(async (pod) => {
        await del(pod);
        deleted++;
        if (isPodReady(pod)) deletedReady++;
      }),
    );
    return { deleted, deletedReady, error: firstError(results) };
  }

  private event(
    job: Job,
    e: { type: "Normal" | "Warning"; reason: string; message: string },
  ): void {
    this.deps.recorder.event({ ...job, ...JOB_GVK }, e);
  }
}

function firstError(results: readonly PromiseSettledResult<unknown>[]): unknown {
  return results.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
