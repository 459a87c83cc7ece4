import { CronJobController } from "../cronjob/controller.js";
import { DaemonSetController } from "../daemonset/controller.js";
import { DeploymentController } from "../deployment/controller.js";
import { GarbageCollector } from "../garbagecollector/garbage-collector.js";
import { JobController } from "../job/controller.js";
import { NamespaceController } from "../namespace/controller.js";
import { ReplicaSetController } from "../replicaset/controller.js";
import { REPLICATION_CONTROLLER_KIND } from "../replicaset/kinds.js";
import { ServiceAccountController } from "../serviceaccount/controller.js";
import { StatefulSetController } from "../statefulset/controller.js";
import { TtlAfterFinishedController } from "../ttlafterfinished/controller.js";
import type { ControllerContext, RunnableController } from "./context.js";

export interface ControllerEntry {
  readonly create: (ctx: ControllerContext) => RunnableController;
  /** Concurrent syncs (upstream's --concurrent-*-syncs defaults). */
  readonly workers: number;
  readonly enabledByDefault: boolean;
}

/** Every controller `k8ts controller-manager` can run, by its upstream name. */
export const CONTROLLERS = {
  daemonset: { create: (ctx) => new DaemonSetController(ctx), workers: 2, enabledByDefault: true },
  deployment: {
    create: (ctx) => new DeploymentController(ctx),
    workers: 5,
    enabledByDefault: true,
  },
  replicaset: {
    create: (ctx) => new ReplicaSetController(ctx),
    workers: 5,
    enabledByDefault: true,
  },
  replicationcontroller: {
    create: (ctx) => new ReplicaSetController(ctx, REPLICATION_CONTROLLER_KIND),
    workers: 5,
    enabledByDefault: true,
  },
  statefulset: {
    create: (ctx) => new StatefulSetController(ctx),
    workers: 5,
    enabledByDefault: true,
  },
  job: { create: (ctx) => new JobController(ctx), workers: 5, enabledByDefault: true },
  cronjob: { create: (ctx) => new CronJobController(ctx), workers: 5, enabledByDefault: true },
  "ttl-after-finished": {
    create: (ctx) => new TtlAfterFinishedController(ctx),
    workers: 5,
    enabledByDefault: true,
  },
  // Upstream's defaults: 20 GC workers (each also an orphaning worker), 10 namespace, 1 service account.
  garbagecollector: {
    create: (ctx) => new GarbageCollector(ctx),
    workers: 20,
    enabledByDefault: true,
  },
  namespace: { create: (ctx) => new NamespaceController(ctx), workers: 10, enabledByDefault: true },
  serviceaccount: {
    create: (ctx) => new ServiceAccountController(ctx),
    workers: 1,
    enabledByDefault: true,
  },
} satisfies Record<string, ControllerEntry>;

export type ControllerName = keyof typeof CONTROLLERS;
