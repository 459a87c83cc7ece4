import type { ReplicaSetStatus } from "kubernetes-types/apps/v1.js";
import type { PodTemplateSpec } from "kubernetes-types/core/v1.js";
import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import type { ResourceRef } from "../../client/rest/resource.js";
import {
  labelSelectorAsSelector,
  nothing,
  type Selector,
  selectorFromSet,
} from "../../machinery/labels/index.js";
import type { Claimable } from "../common/claim.js";
import { REPLICA_SETS, REPLICATION_CONTROLLERS } from "../common/resources.js";

/** The shape ReplicaSets and ReplicationControllers share. */
export interface ReplicatedObject extends Claimable {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    ownerReferences?: import("kubernetes-types/meta/v1.js").OwnerReference[];
  };
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: LabelSelector | Record<string, string>;
    template?: PodTemplateSpec;
  };
  status?: ReplicaSetStatus;
}

/** What differs between the ReplicaSet and ReplicationController controllers. */
export interface ReplicaKind {
  readonly ref: ResourceRef;
  readonly apiVersion: string;
  readonly kind: string;
  readonly component: string;
  selector(obj: ReplicatedObject): Selector;
}

export const REPLICA_SET_KIND: ReplicaKind = {
  ref: REPLICA_SETS,
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  component: "replicaset-controller",
  // An invalid or empty selector selects nothing (upstream refuses to act on it).
  selector: (rs) => {
    const sel = rs.spec?.selector as LabelSelector | undefined;
    if (!sel || (!sel.matchLabels && !sel.matchExpressions)) return nothing();
    try {
      return labelSelectorAsSelector(sel);
    } catch {
      return nothing();
    }
  },
};

export const REPLICATION_CONTROLLER_KIND: ReplicaKind = {
  ref: REPLICATION_CONTROLLERS,
  apiVersion: "v1",
  kind: "ReplicationController",
  component: "replication-controller",
  selector: (rc) => {
    const sel = rc.spec?.selector as Record<string, string> | undefined;
    return sel && Object.keys(sel).length ? selectorFromSet(sel) : nothing();
  },
};
