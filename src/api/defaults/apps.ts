/** apps/v1 defaults (SetDefaults_Deployment, _ReplicaSet, _StatefulSet, _DaemonSet). */
import {
  child,
  isObj,
  type Obj,
  objList,
  setDefault,
  setDefaultString,
  str,
} from "../validation/shape.js";
import { defaultPodTemplateSpec } from "./pod.js";
import { defaultPersistentVolumeClaimSpec } from "./storage.js";

export function defaultDeployment(d: Obj): void {
  const spec = child(d, "spec");
  setDefault(spec, "replicas", 1);
  const strategy = child(spec, "strategy");
  setDefaultString(strategy, "type", "RollingUpdate");
  if (strategy.type === "RollingUpdate") {
    const ru = child(strategy, "rollingUpdate");
    setDefault(ru, "maxUnavailable", "25%");
    setDefault(ru, "maxSurge", "25%");
  }
  setDefault(spec, "revisionHistoryLimit", 10);
  setDefault(spec, "progressDeadlineSeconds", 600);
  defaultPodTemplateSpec(spec.template);
}

export function defaultReplicaSet(rs: Obj): void {
  const spec = child(rs, "spec");
  setDefault(spec, "replicas", 1);
  defaultPodTemplateSpec(spec.template);
}

export function defaultStatefulSet(ss: Obj): void {
  const spec = child(ss, "spec");
  setDefaultString(spec, "podManagementPolicy", "OrderedReady");
  const us = child(spec, "updateStrategy");
  if (str(us.type) === "") {
    us.type = "RollingUpdate";
    setDefault(us, "rollingUpdate", {});
  }
  if (us.type === "RollingUpdate" && isObj(us.rollingUpdate))
    setDefault(us.rollingUpdate, "partition", 0);
  const retention = child(spec, "persistentVolumeClaimRetentionPolicy");
  setDefaultString(retention, "whenDeleted", "Retain");
  setDefaultString(retention, "whenScaled", "Retain");
  setDefault(spec, "replicas", 1);
  setDefault(spec, "revisionHistoryLimit", 10);
  defaultPodTemplateSpec(spec.template);
  for (const t of objList(spec.volumeClaimTemplates)) {
    defaultPersistentVolumeClaimSpec(child(t, "spec"));
    setDefaultString(child(t, "status"), "phase", "Pending");
  }
}

export function defaultDaemonSet(ds: Obj): void {
  const spec = child(ds, "spec");
  const us = child(spec, "updateStrategy");
  setDefaultString(us, "type", "RollingUpdate");
  if (us.type === "RollingUpdate") {
    const ru = child(us, "rollingUpdate");
    setDefault(ru, "maxUnavailable", 1);
    setDefault(ru, "maxSurge", 0);
  }
  setDefault(spec, "revisionHistoryLimit", 10);
  defaultPodTemplateSpec(spec.template);
}
