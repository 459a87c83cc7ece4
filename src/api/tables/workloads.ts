/**
 * apps/v1 workloads and the core ReplicationController: replica counts,
 * and in wide output the template's containers, images and selector.
 */
import type {
  ControllerRevision,
  DaemonSet,
  Deployment,
  ReplicaSet,
  StatefulSet,
} from "kubernetes-types/apps/v1.js";
import type { ReplicationController } from "kubernetes-types/core/v1.js";
import type { KubeObject } from "../strategy.js";
import { since } from "./duration.js";
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  column,
  containerCells,
  formatLabelSelector,
  formatLabels,
  IMAGES_COLUMN,
  NAME_COLUMN,
  nameOf,
  selectorString,
  view,
  wide,
} from "./format.js";
import type { TablePrinter } from "./types.js";

/** spec.replicas after defaulting (1 when unset). */
function desired(replicas: number | undefined): number {
  return replicas ?? 1;
}

function age(obj: KubeObject, now: Date): string {
  return since(obj.metadata?.creationTimestamp, now);
}

const SELECTOR_COLUMN = wide("Selector", "Label selector matching the pods this object manages.");

export const deploymentPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Ready", { description: "Ready pods out of the desired replicas." }),
    column("Up-to-date", { description: "Pods running the latest pod template." }),
    column("Available", { description: "Pods ready for at least minReadySeconds." }),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  row(obj, now) {
    const d = view<Deployment>(obj);
    const { names, images } = containerCells(d.spec?.template?.spec?.containers);
    return [
      nameOf(obj),
      `${d.status?.readyReplicas ?? 0}/${desired(d.spec?.replicas)}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      age(obj, now),
      names,
      images,
      selectorString(d.spec?.selector) ?? "<invalid>",
    ];
  },
};

function replicaColumns(): ReturnType<typeof column>[] {
  return [
    NAME_COLUMN,
    column("Desired", { type: "integer", description: "Number of pods asked for." }),
    column("Current", { type: "integer", description: "Number of pods that exist." }),
    column("Ready", { type: "integer", description: "Number of pods that are ready." }),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ];
}

export const replicaSetPrinter: TablePrinter = {
  columns: replicaColumns(),
  row(obj, now) {
    const rs = view<ReplicaSet>(obj);
    const { names, images } = containerCells(rs.spec?.template?.spec?.containers);
    return [
      nameOf(obj),
      desired(rs.spec?.replicas),
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      age(obj, now),
      names,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};

export const replicationControllerPrinter: TablePrinter = {
  columns: replicaColumns(),
  row(obj, now) {
    const rc = view<ReplicationController>(obj);
    const { names, images } = containerCells(rc.spec?.template?.spec?.containers);
    return [
      nameOf(obj),
      desired(rc.spec?.replicas),
      rc.status?.replicas ?? 0,
      rc.status?.readyReplicas ?? 0,
      age(obj, now),
      names,
      images,
      formatLabels(rc.spec?.selector),
    ];
  },
};

export const statefulSetPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Ready", { description: "Ready pods out of the desired replicas." }),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
  ],
  row(obj, now) {
    const sts = view<StatefulSet>(obj);
    const { names, images } = containerCells(sts.spec?.template?.spec?.containers);
    return [
      nameOf(obj),
      `${sts.status?.readyReplicas ?? 0}/${desired(sts.spec?.replicas)}`,
      age(obj, now),
      names,
      images,
    ];
  },
};

export const daemonSetPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Desired", { type: "integer", description: "Nodes that should run the daemon pod." }),
    column("Current", { type: "integer", description: "Nodes running at least one daemon pod." }),
    column("Ready", { type: "integer", description: "Nodes whose daemon pod is ready." }),
    column("Up-to-date", {
      type: "integer",
      description: "Nodes running the latest daemon pod template.",
    }),
    column("Available", {
      type: "integer",
      description: "Nodes whose daemon pod is available.",
    }),
    column("Node Selector", { description: "Node labels the daemon pods are restricted to." }),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  row(obj, now) {
    const ds = view<DaemonSet>(obj);
    const s = ds.status;
    const { names, images } = containerCells(ds.spec?.template?.spec?.containers);
    return [
      nameOf(obj),
      s?.desiredNumberScheduled ?? 0,
      s?.currentNumberScheduled ?? 0,
      s?.numberReady ?? 0,
      s?.updatedNumberScheduled ?? 0,
      s?.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      age(obj, now),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};

/** `daemonset.apps/fluentd`: the controlling owner as lower-cased kind.group/name. */
function controllerName(obj: KubeObject): string {
  const owner = (obj.metadata?.ownerReferences ?? []).find((ref) => ref.controller === true);
  if (owner === undefined) return "<none>";
  const apiVersion = String(owner.apiVersion ?? "");
  const kind = String(owner.kind ?? "");
  const name = String(owner.name ?? "");
  const slash = apiVersion.indexOf("/");
  const group = slash >= 0 ? apiVersion.slice(0, slash) : "";
  if (kind === "" && group === "") return name;
  const groupKind = group === "" ? kind : `${kind}.${group}`;
  return `${groupKind.toLowerCase()}/${name}`;
}

export const controllerRevisionPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Controller", { description: "The object that owns this revision." }),
    column("Revision", { description: "Revision number of the stored state." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const cr = view<ControllerRevision>(obj);
    return [nameOf(obj), controllerName(obj), cr.revision ?? 0, age(obj, now)];
  },
};
