import { DeploymentController } from "../deployment/controller.js";
import { ReplicaSetController } from "../replicaset/controller.js";
import { REPLICATION_CONTROLLER_KIND } from "../replicaset/kinds.js";
import type { ControllerContext, RunnableController } from "./context.js";

export interface ControllerEntry {
  readonly create: (ctx: ControllerContext) => RunnableController;
  /** Concurrent syncs (upstream's --concurrent-*-syncs defaults). */
  readonly workers: number;
  readonly enabledByDefault: boolean;
}

/** Every controller `k8ts controller-manager` can run, by its upstream name. */
export const CONTROLLERS = {
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
} satisfies Record<string, ControllerEntry>;

export type ControllerName = keyof typeof CONTROLLERS;
