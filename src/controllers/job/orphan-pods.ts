import type { Job } from "kubernetes-types/batch/v1.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { Controller } from "../../client/controller/runner.js";
import type { Informer } from "../../client/informer/informer.js";
import { isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import type { Logger } from "../../util/log.js";
import { controllerOf } from "../common/controller-ref.js";
import { isJobFinished } from "./conditions.js";
import { JOB_API_VERSION, JOB_CONTROLLER_NAME, JOB_KIND, TRACKING_FINALIZER } from "./constants.js";
import { hasTrackingFinalizer } from "./job-pods.js";

/**
 * Lets go of pods that hold the tracking finalizer but no live Job will
 * ever count: orphans, pods of a deleted Job, pods of a finished Job.
 * Without this their deletion would hang forever. A separate queue keyed
 * by pod, as upstream's orphanQueue.
 */
export class OrphanPodFinalizers {
  private readonly controller: Controller;

  constructor(
    private readonly deps: {
      jobs: Informer<Job>;
      pods: Informer<Pod>;
      podClient: ResourceClient<Pod>;
      log: Logger;
    },
  ) {
    this.controller = new Controller({
      name: "job-orphan-pods",
      sync: (key) => this.sync(key),
      waitForSync: async () => {
        await deps.jobs.waitForSync();
        await deps.pods.waitForSync();
      },
      log: deps.log,
    });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  /** Queues the pod if it holds our finalizer and nothing that would count it owns it. */
  consider(pod: Pod): void {
    if (hasTrackingFinalizer(pod) && !this.ownedByLiveJob(pod))
      this.controller.enqueue(`${pod.metadata?.namespace ?? ""}/${pod.metadata?.name ?? ""}`);
  }

  /** A Job controls the pod, is in the cache with the same UID, is ours to manage and is not finished. */
  private ownedByLiveJob(pod: Pod): boolean {
    const ref = controllerOf(pod);
    if (!ref) return false;
    // Another kind's pod: its finalizers are none of our business.
    if (ref.kind !== JOB_KIND || ref.apiVersion !== JOB_API_VERSION) return true;
    const job = this.deps.jobs.store.get(`${pod.metadata?.namespace ?? ""}/${ref.name}`);
    if (!job || job.metadata?.uid !== ref.uid) return false;
    const managedBy = job.spec?.managedBy;
    if (managedBy && managedBy !== JOB_CONTROLLER_NAME) return true;
    return !isJobFinished(job);
  }

  async sync(key: string): Promise<undefined> {
    const pod = this.deps.pods.store.get(key);
    if (!pod || !hasTrackingFinalizer(pod) || this.ownedByLiveJob(pod)) return undefined;
    try {
      await this.deps.podClient.patch(
        pod.metadata?.name ?? "",
        { metadata: { "$deleteFromPrimitiveList/finalizers": [TRACKING_FINALIZER] } },
        { namespace: pod.metadata?.namespace ?? "", type: "strategic" },
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return undefined;
  }
}
