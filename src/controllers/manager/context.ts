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

/** What every controller gets: the API, the shared informers, events, a log and a clock. */
export interface ControllerContext {
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
}): ControllerContext & { flushEvents(): Promise<void> } {
  const recorders = new Map<string, EventRecorder>();
  return {
    ...opts,
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
