import type { Pod, Service } from "kubernetes-types/core/v1.js";
import { objectKey } from "../../client/informer/indexer.js";
import {
  type DeletedFinalStateUnknown,
  type Informer,
  objectOf,
} from "../../client/informer/informer.js";
import { podServiceMemberships, servicesToUpdateOnPodChange } from "./memberships.js";

/**
 * The informer events both endpoint controllers (Endpoints and
 * EndpointSlices) react to: any change to a Service queues it, and a pod
 * change queues the Services of its namespace that select the pod (before
 * or after the change).
 */
export function watchServicesAndPods(opts: {
  services: Informer<Service>;
  pods: Informer<Pod>;
  enqueue: (key: string) => void;
}): void {
  const servicesIn = (pod: Pod) =>
    opts.services.store.byIndex("namespace", pod.metadata?.namespace ?? "");
  const enqueueAll = (keys: Iterable<string>) => {
    for (const key of keys) opts.enqueue(key);
  };
  const enqueueService = (svc: Service | DeletedFinalStateUnknown<Service>) =>
    opts.enqueue(objectKey(objectOf(svc)));
  opts.services.addEventHandler({
    onAdd: enqueueService,
    onUpdate: (_old, svc) => enqueueService(svc),
    onDelete: enqueueService,
  });
  opts.pods.addEventHandler({
    onAdd: (pod) => enqueueAll(podServiceMemberships(servicesIn(pod), pod)),
    onUpdate: (old, cur) => enqueueAll(servicesToUpdateOnPodChange(servicesIn(cur), { old, cur })),
    onDelete: (obj) => {
      const pod = objectOf(obj);
      enqueueAll(podServiceMemberships(servicesIn(pod), pod));
    },
  });
}
