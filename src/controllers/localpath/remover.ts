import type { Pod } from "kubernetes-types/core/v1.js";
import type { Indexer } from "../../client/informer/indexer.js";
import { isAlreadyExists, isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import type { Clock } from "../../client/util/clock.js";
import { helperPod, helperPodName, TEARDOWN } from "./helper-pod.js";

/** A volume's data: which directory on which node. */
export interface DataLocation {
  readonly volume: string;
  readonly path: string;
  /** The node's name (where a pod must run to reach the directory). */
  readonly node: string;
  readonly sizeBytes?: number;
}

/**
 * Removes a volume's data. "pending" means the work is under way: the
 * provisioner asks again when told (see `onProgress`) or after a while.
 */
export interface DataRemover {
  remove(location: DataLocation): Promise<"done" | "pending">;
}

/** The helper pod failed or timed out; the next attempt starts a new one. */
export class DataRemovalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DataRemovalError";
  }
}

export interface HelperPodRemoverOptions {
  readonly pods: ResourceClient<Pod>;
  /** The shared pod cache (helper pods are found here by namespace/name). */
  readonly podCache: Indexer<Pod>;
  readonly namespace: string;
  readonly image: string;
  readonly clock: Clock;
  /** How long a helper pod may take (local-path-provisioner: 120 s). */
  readonly timeoutMs?: number;
}

/**
 * Removes the directory the way local-path-provisioner does, whatever the
 * node (this machine included): a helper pod on that node runs `rm -rf`;
 * once it Succeeded the pod is deleted and the data is gone. Level-driven:
 * each call looks at the pod and moves one step, so no worker waits.
 */
export class HelperPodRemover implements DataRemover {
  constructor(private readonly o: HelperPodRemoverOptions) {}

  async remove(location: DataLocation): Promise<"done" | "pending"> {
    const name = helperPodName("delete", location.volume);
    const pod = this.o.podCache.get(`${this.o.namespace}/${name}`);
    if (!pod) {
      await this.create(location);
      return "pending";
    }
    if (pod.metadata?.deletionTimestamp) return "pending";
    if (pod.status?.phase === "Succeeded") {
      await this.deletePod(pod);
      return "done";
    }
    if (pod.status?.phase === "Failed") {
      await this.deletePod(pod);
      throw new DataRemovalError(
        `failed to delete volume ${location.volume}: helper pod ${name} failed`,
      );
    }
    const started = Date.parse(pod.metadata?.creationTimestamp ?? "") || this.o.clock.now();
    if (this.o.clock.now() - started > (this.o.timeoutMs ?? 120_000)) {
      await this.deletePod(pod);
      throw new DataRemovalError(
        `failed to delete volume ${location.volume}: helper pod ${name} did not finish in time`,
      );
    }
    return "pending";
  }

  private async create(location: DataLocation): Promise<void> {
    const pod = helperPod({
      action: "delete",
      volume: location.volume,
      path: location.path,
      node: location.node,
      namespace: this.o.namespace,
      image: this.o.image,
      script: TEARDOWN,
      ...(location.sizeBytes !== undefined ? { sizeBytes: location.sizeBytes } : {}),
    });
    try {
      await this.o.pods.create(pod, { namespace: this.o.namespace });
    } catch (err) {
      // Made by an earlier attempt the cache has not shown yet.
      if (!isAlreadyExists(err)) throw err;
    }
  }

  private async deletePod(pod: Pod): Promise<void> {
    try {
      await this.o.pods.delete(pod.metadata?.name ?? "", {
        namespace: this.o.namespace,
        preconditions: { uid: pod.metadata?.uid ?? "" },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
