import { EVENTS, EventRecorder } from "../../client/events/recorder.js";
import type { SharedInformerFactory } from "../../client/informer/factory.js";
import type { RestClient } from "../../client/rest/client.js";
import {
  type KubeObjectLike,
  ResourceClient,
  type ResourceRef,
} from "../../client/rest/resource.js";
import type { Clock } from "../../client/util/clock.js";
import type { Logger } from "../../util/log.js";

/** Settings that come from `k8ts controller-manager` (or `k8ts server`) flags. */
export interface ControllerConfig {
  /** Pod IP range nodes get their podCIDRs from (--cluster-cidr, default 10.42.0.0/16). */
  readonly clusterCidr: string;
  /** Size of each node's podCIDR (--node-cidr-mask-size, default 24). */
  readonly nodeCidrMaskSize: number;
  /** How long a node may go without a heartbeat before it is Unknown (--node-monitor-grace-period, 40 s). */
  readonly nodeMonitorGracePeriodMs: number;
  /** Where the local-path provisioner keeps volumes on each node (k3s's --default-local-storage-path). */
  readonly localStoragePath: string;
  /** Image of the local-path provisioner's helper pods (they remove volume data). */
  readonly localPathHelperImage: string;
}

export const DEFAULT_CONTROLLER_CONFIG: ControllerConfig = {
  clusterCidr: "10.42.0.0/16",
  nodeCidrMaskSize: 24,
  nodeMonitorGracePeriodMs: 40_000,
  localStoragePath: "/var/lib/k8ts/storage",
  localPathHelperImage: "busybox",
};

/** What every controller gets: the API, the shared informers, events, a log and a clock. */
export interface ControllerContext {
  readonly config: ControllerConfig;
  readonly rest: RestClient;
  readonly informers: SharedInformerFactory;
  readonly log: Logger;
  readonly clock: Clock;
  /** A typed client for one resource. */
  client<T extends KubeObjectLike>(ref: ResourceRef): ResourceClient<T>;
  /** An event recorder reporting as `component` (e.g. "deployment-controller"). */
  recorder(component: string): EventRecorder;
}

export function newControllerContext(opts: {
  rest: RestClient;
  informers: SharedInformerFactory;
  log: Logger;
  clock: Clock;
  config?: Partial<ControllerConfig>;
}): ControllerContext & { flushEvents(): Promise<void> } {
  const recorders = new Map<string, EventRecorder>();
  return {
    ...opts,
    config: { ...DEFAULT_CONTROLLER_CONFIG, ...(opts.config ?? {}) },
    client: <T extends KubeObjectLike>(ref: ResourceRef) => new ResourceClient<T>(opts.rest, ref),
    recorder(component) {
      let r = recorders.get(component);
      if (!r) {
        r = new EventRecorder(new ResourceClient(opts.rest, EVENTS), {
          component,
          clock: opts.clock,
          onError: (err) => opts.log.warn("event not recorded", { component, err: String(err) }),
        });
        recorders.set(component, r);
      }
      return r;
    },
    async flushEvents() {
      await Promise.all([...recorders.values()].map((r) => r.flush()));
    },
  };
}

/** A started controller: `run` begins its workers once caches sync; `stop` drains them. */
export interface RunnableController {
  run(workers: number): Promise<void>;
  stop(): Promise<void>;
}
