/** apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision. */
import {
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  notSupported,
  path,
  required,
} from "../../machinery/field-errors.js";
import type { KubeObject } from "../strategy.js";
import { goValue } from "./go-value.js";
import { validateImmutable, validateNonnegative } from "./metadata.js";
import { clone, isObj, num, type Obj, objList, semanticEqual, str } from "./shape.js";
import { validatePersistentVolumeClaimSpec } from "./storage.js";
import {
  intOrPercent,
  isNotMoreThan100Percent,
  selectorValue,
  validatePositiveIntOrPercent,
  validateSelectorAndTemplate,
} from "./workload.js";

const spec = (o: KubeObject): Obj => (isObj(o.spec) ? o.spec : {});
const status = (o: KubeObject): Obj => (isObj(o.status) ? o.status : {});

function validateSelectorImmutable(o: KubeObject, old: KubeObject): FieldError[] {
  const next = spec(o).selector;
  if (semanticEqual(next, spec(old).selector)) return [];
  return [invalid(path("spec", "selector"), selectorValue(next), "field is immutable")];
}

function validateDeploymentStrategy(strategy: unknown, p: FieldPath): FieldError[] {
  const s = isObj(strategy) ? strategy : {};
  const type = str(s.type);
  const ru = s.rollingUpdate;
  if (type === "Recreate") {
    return isObj(ru)
      ? [
          forbidden(
            p.child("rollingUpdate"),
            "may not be specified when strategy `type` is 'Recreate'",
          ),
        ]
      : [];
  }
  if (type === "RollingUpdate") {
    if (!isObj(ru))
      return [required(p.child("rollingUpdate"), "this should be defaulted and never be nil")];
    const rp = p.child("rollingUpdate");
    const errs = [
      ...validatePositiveIntOrPercent(ru.maxUnavailable, rp.child("maxUnavailable")),
      ...validatePositiveIntOrPercent(ru.maxSurge, rp.child("maxSurge")),
    ];
    if (intOrPercent(ru.maxUnavailable) === 0 && intOrPercent(ru.maxSurge) === 0) {
      errs.push(
        invalid(
          rp.child("maxUnavailable"),
          ru.maxUnavailable ?? null,
          "may not be 0 when `maxSurge` is 0",
        ),
      );
    }
    errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, rp.child("maxUnavailable")));
    return errs;
  }
  const text = `apps.DeploymentStrategy{Type:${JSON.stringify(type)}, RollingUpdate:(*apps.RollingUpdateDeployment)(${isObj(ru) ? "0xc000000000" : "nil"})}`;
  return [notSupported(p, goValue(strategy ?? null, text), ["Recreate", "RollingUpdate"])];
}

export function validateDeployment(d: KubeObject): FieldError[] {
  const s = spec(d);
  const p = path("spec");
  const errs = validateNonnegative(s.replicas, p.child("replicas"));
  errs.push(...validateSelectorAndTemplate(s, p, { what: "ReplicaSet", emptyWhat: "deployment" }));
  errs.push(...validateDeploymentStrategy(s.strategy, p.child("strategy")));
  errs.push(...validateNonnegative(s.minReadySeconds, p.child("minReadySeconds")));
  errs.push(...validateNonnegative(s.revisionHistoryLimit, p.child("revisionHistoryLimit")));
  const pds = num(s.progressDeadlineSeconds);
  if (pds !== undefined) {
    errs.push(...validateNonnegative(pds, p.child("progressDeadlineSeconds")));
    if (pds <= (num(s.minReadySeconds) ?? 0)) {
      errs.push(
        invalid(p.child("progressDeadlineSeconds"), pds, "must be greater than minReadySeconds"),
      );
    }
  }
  return errs;
}

export function validateDeploymentUpdate(d: KubeObject, old: KubeObject): FieldError[] {
  return validateSelectorImmutable(d, old);
}

function validateReplicaStatus(st: Obj, p: FieldPath, fields: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of fields) errs.push(...validateNonnegative(st[f], p.child(f)));
  const replicas = num(st.replicas) ?? 0;
  for (const f of ["readyReplicas", "availableReplicas", "fullyLabeledReplicas"]) {
    const v = num(st[f]);
    if (v !== undefined && fields.includes(f) && v > replicas) {
      errs.push(invalid(p.child(f), v, "cannot be greater than status.replicas"));
    }
  }
  const ready = num(st.readyReplicas) ?? 0;
  const available = num(st.availableReplicas) ?? 0;
  if (fields.includes("availableReplicas") && available > ready) {
    errs.push(
      invalid(p.child("availableReplicas"), available, "cannot be greater than readyReplicas"),
    );
  }
  return errs;
}

export function validateDeploymentStatusUpdate(d: KubeObject): FieldError[] {
  const st = status(d);
  const p = path("status");
  const errs: FieldError[] = [];
  for (const f of [
    "observedGeneration",
    "replicas",
    "updatedReplicas",
    "availableReplicas",
    "unavailableReplicas",
    "readyReplicas",
    "collisionCount",
  ]) {
    errs.push(...validateNonnegative(st[f], p.child(f)));
  }
  const replicas = num(st.replicas) ?? 0;
  for (const f of ["updatedReplicas", "availableReplicas", "readyReplicas"]) {
    const v = num(st[f]) ?? 0;
    if (v > replicas) errs.push(invalid(p.child(f), v, "cannot be greater than status.replicas"));
  }
  const ready = num(st.readyReplicas) ?? 0;
  const available = num(st.availableReplicas) ?? 0;
  if (available > ready)
    errs.push(
      invalid(p.child("availableReplicas"), available, "cannot be greater than readyReplicas"),
    );
  return errs;
}

export function validateReplicaSet(rs: KubeObject): FieldError[] {
  const s = spec(rs);
  const p = path("spec");
  const errs = validateNonnegative(s.replicas, p.child("replicas"));
  errs.push(...validateNonnegative(s.minReadySeconds, p.child("minReadySeconds")));
  errs.push(...validateSelectorAndTemplate(s, p, { what: "ReplicaSet", emptyWhat: "deployment" }));
  return errs;
}

export function validateReplicaSetUpdate(rs: KubeObject, old: KubeObject): FieldError[] {
  return validateSelectorImmutable(rs, old);
}

export function validateReplicaSetStatusUpdate(rs: KubeObject): FieldError[] {
  return validateReplicaStatus(status(rs), path("status"), [
    "replicas",
    "fullyLabeledReplicas",
    "readyReplicas",
    "availableReplicas",
    "observedGeneration",
  ]);
}

export function validateStatefulSet(ss: KubeObject): FieldError[] {
  const s = spec(ss);
  const p = path("spec");
  const errs: FieldError[] = [];
  const pmp = str(s.podManagementPolicy);
  if (pmp.length === 0) errs.push(required(p.child("podManagementPolicy")));
  else if (pmp !== "OrderedReady" && pmp !== "Parallel") {
    errs.push(notSupported(p.child("podManagementPolicy"), pmp, ["OrderedReady", "Parallel"]));
  }
  const us = isObj(s.updateStrategy) ? s.updateStrategy : {};
  const usType = str(us.type);
  const usp = p.child("updateStrategy");
  if (usType === "") errs.push(required(usp));
  else if (usType === "OnDelete") {
    if (isObj(us.rollingUpdate)) {
      errs.push(
        invalid(
          usp.child("rollingUpdate"),
          us.rollingUpdate,
          "only allowed for updateStrategy 'RollingUpdate'",
        ),
      );
    }
  } else if (usType === "RollingUpdate") {
    if (isObj(us.rollingUpdate)) {
      errs.push(
        ...validateNonnegative(us.rollingUpdate.partition, usp.child("rollingUpdate", "partition")),
      );
    }
  } else {
    errs.push(invalid(usp, us, `invalid updateStrategy type: ${usType}`));
  }
  const retention = s.persistentVolumeClaimRetentionPolicy;
  if (isObj(retention)) {
    for (const f of ["whenDeleted", "whenScaled"]) {
      const v = str(retention[f]);
      if (v !== "Retain" && v !== "Delete") {
        errs.push(
          notSupported(p.child("persistentVolumeClaimRetentionPolicy", f), v, ["Retain", "Delete"]),
        );
      }
    }
  }
  if (isObj(s.ordinals))
    errs.push(...validateNonnegative(s.ordinals.start, p.child("ordinals.start")));
  errs.push(...validateNonnegative(s.replicas, p.child("replicas")));
  errs.push(...validateNonnegative(s.minReadySeconds, p.child("minReadySeconds")));
  errs.push(
    ...validateSelectorAndTemplate(withClaimVolumes(s), p, {
      what: "StatefulSet",
      emptyWhat: "statefulset",
    }),
  );
  objList(s.volumeClaimTemplates).forEach((t, i) => {
    errs.push(
      ...validatePersistentVolumeClaimSpec(
        t.spec,
        p.child("volumeClaimTemplates").index(i).child("spec"),
      ),
    );
  });
  return errs;
}

/**
 * The spec with a volume for each volumeClaimTemplate the template does
 * not already declare, as the controller adds to every pod: containers
 * mount claim templates by name (the notes' `web` mounts `www`).
 */
function withClaimVolumes(s: Obj): Obj {
  if (!isObj(s.template) || objList(s.volumeClaimTemplates).length === 0) return s;
  const template = clone(s.template) as Obj;
  const tspec = isObj(template.spec) ? template.spec : {};
  const volumes = objList(tspec.volumes);
  const names = new Set(volumes.map((v) => str(v.name)));
  for (const t of objList(s.volumeClaimTemplates)) {
    const name = str(isObj(t.metadata) ? t.metadata.name : undefined);
    if (name && !names.has(name))
      volumes.push({ name, persistentVolumeClaim: { claimName: name } });
  }
  template.spec = { ...tspec, volumes };
  return { ...s, template };
}

const STS_MUTABLE = [
  "replicas",
  "ordinals",
  "template",
  "updateStrategy",
  "persistentVolumeClaimRetentionPolicy",
  "minReadySeconds",
];

export function validateStatefulSetUpdate(ss: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const a = clone(spec(ss));
  const b = clone(spec(old));
  for (const f of STS_MUTABLE) {
    delete a[f];
    delete b[f];
  }
  if (!semanticEqual(a, b)) {
    errs.push(
      forbidden(
        path("spec"),
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  }
  return errs;
}

export function validateStatefulSetStatusUpdate(ss: KubeObject): FieldError[] {
  return validateReplicaStatus(status(ss), path("status"), [
    "replicas",
    "readyReplicas",
    "currentReplicas",
    "updatedReplicas",
    "availableReplicas",
    "observedGeneration",
  ]);
}

export function validateDaemonSet(ds: KubeObject): FieldError[] {
  const s = spec(ds);
  const p = path("spec");
  const errs = validateSelectorAndTemplate(s, p, { what: "DaemonSet", emptyWhat: "daemonset" });
  errs.push(...validateNonnegative(s.minReadySeconds, p.child("minReadySeconds")));
  errs.push(...validateNonnegative(s.revisionHistoryLimit, p.child("revisionHistoryLimit")));
  const us = isObj(s.updateStrategy) ? s.updateStrategy : {};
  const usp = p.child("updateStrategy");
  const type = str(us.type);
  if (type === "RollingUpdate") {
    const ru = us.rollingUpdate;
    if (!isObj(ru)) errs.push(required(usp.child("rollingUpdate")));
    else {
      const rp = usp.child("rollingUpdate");
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, rp.child("maxUnavailable")));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, rp.child("maxSurge")));
      errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, rp.child("maxUnavailable")));
      errs.push(...isNotMoreThan100Percent(ru.maxSurge, rp.child("maxSurge")));
      const unavailable = intOrPercent(ru.maxUnavailable) !== 0;
      const surge = intOrPercent(ru.maxSurge) !== 0;
      if (unavailable && surge) {
        errs.push(
          invalid(
            rp.child("maxSurge"),
            ru.maxSurge ?? null,
            "may not be set when maxUnavailable is non-zero",
          ),
        );
      } else if (!unavailable && !surge) {
        errs.push(required(rp.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"));
      }
    }
  } else if (type !== "OnDelete") {
    errs.push(notSupported(usp.child("type"), type, ["OnDelete", "RollingUpdate"]));
  }
  return errs;
}

export function validateDaemonSetUpdate(ds: KubeObject, old: KubeObject): FieldError[] {
  return validateSelectorImmutable(ds, old);
}

export function validateDaemonSetStatusUpdate(ds: KubeObject): FieldError[] {
  const st = status(ds);
  const p = path("status");
  const errs: FieldError[] = [];
  for (const f of [
    "numberMisscheduled",
    "currentNumberScheduled",
    "desiredNumberScheduled",
    "numberReady",
    "observedGeneration",
    "updatedNumberScheduled",
    "numberAvailable",
    "numberUnavailable",
    "collisionCount",
  ]) {
    errs.push(...validateNonnegative(st[f], p.child(f)));
  }
  return errs;
}

export function validateControllerRevision(cr: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (cr.data === undefined || cr.data === null)
    errs.push(required(path("data"), "data is mandatory"));
  errs.push(...validateNonnegative(cr.revision, path("revision")));
  return errs;
}

export function validateControllerRevisionUpdate(cr: KubeObject, old: KubeObject): FieldError[] {
  return validateImmutable(cr.data, old.data, path("data"));
}
