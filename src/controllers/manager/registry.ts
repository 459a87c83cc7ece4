import { ClusterRoleAggregationController } from "../clusterroleaggregation/controller.js";
import { CronJobController } from "../cronjob/controller.js";
import { DaemonSetController } from "../daemonset/controller.js";
import { DeploymentController } from "../deployment/controller.js";
import { EndpointsController } from "../endpoint/controller.js";
import { EndpointSliceController } from "../endpointslice/controller.js";
import { EndpointSliceMirroringController } from "../endpointslicemirroring/controller.js";
import { GarbageCollector } from "../garbagecollector/garbage-collector.js";
import { JobController } from "../job/controller.js";
import { LocalPathProvisioner } from "../localpath/provisioner.js";
import { NamespaceController } from "../namespace/controller.js";
import { NodeIpamController } from "../nodeipam/controller.js";
import { NodeLifecycleController } from "../nodelifecycle/controller.js";
import { PersistentVolumeController } from "../persistentvolume/controller.js";
import { HorizontalPodAutoscalerController } from "../podautoscaler/controller.js";
import { PodGcController } from "../podgc/controller.js";
import { ReplicaSetController } from "../replicaset/controller.js";
import { REPLICATION_CONTROLLER_KIND } from "../replicaset/kinds.js";
import { RootCACertPublisher } from "../rootcacert/controller.js";
import { ServiceAccountController } from "../serviceaccount/controller.js";
import { ServiceLoadBalancerController } from "../servicelb/controller.js";
import { StatefulSetController } from "../statefulset/controller.js";
import { TaintEvictionController } from "../tainteviction/controller.js";
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
  nodelifecycle: {
    create: (ctx) =>
      new NodeLifecycleController(ctx, { gracePeriodMs: ctx.config.nodeMonitorGracePeriodMs }),
    workers: 8,
    enabledByDefault: true,
  },
  "taint-eviction-controller": {
    create: (ctx) => new TaintEvictionController(ctx),
    workers: 8,
    enabledByDefault: true,
  },
  nodeipam: {
    create: (ctx) =>
      new NodeIpamController(ctx, {
        clusterCidr: ctx.config.clusterCidr,
        nodeCidrMaskSize: ctx.config.nodeCidrMaskSize,
      }),
    workers: 5,
    enabledByDefault: true,
  },
  podgc: { create: (ctx) => new PodGcController(ctx), workers: 1, enabledByDefault: true },
  "persistentvolume-binder": {
    create: (ctx) => new PersistentVolumeController(ctx),
    workers: 2,
    enabledByDefault: true,
  },
  "local-path-provisioner": {
    create: (ctx) =>
      new LocalPathProvisioner(ctx, {
        basePath: ctx.config.localStoragePath,
        helperImage: ctx.config.localPathHelperImage,
      }),
    workers: 2,
    enabledByDefault: true,
  },
  "root-ca-cert-publisher": {
    create: (ctx) => new RootCACertPublisher(ctx),
    workers: 1,
    enabledByDefault: true,
  },
  endpoint: { create: (ctx) => new EndpointsController(ctx), workers: 5, enabledByDefault: true },
  endpointslice: {
    create: (ctx) => new EndpointSliceController(ctx),
    workers: 5,
    enabledByDefault: true,
  },
  endpointslicemirroring: {
    create: (ctx) => new EndpointSliceMirroringController(ctx),
    workers: 5,
    enabledByDefault: true,
  },
  horizontalpodautoscaling: {
    create: (ctx) => new HorizontalPodAutoscalerController(ctx),
    workers: 5,
    enabledByDefault: true,
  },
  "clusterrole-aggregation": {
    create: (ctx) => new ClusterRoleAggregationController(ctx),
    workers: 1,
    enabledByDefault: true,
  },
  // The built-in service load balancer (k3s's ServiceLB): node addresses for LoadBalancer Services.
  "service-lb-controller": {
    create: (ctx) => new ServiceLoadBalancerController(ctx),
    workers: 1,
    enabledByDefault: true,
  },
} satisfies Record<string, ControllerEntry>;

export type ControllerName = keyof typeof CONTROLLERS;
