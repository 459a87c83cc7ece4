/**
 * Kinds with few rules: Lease, PriorityClass, EndpointSlice,
 * HorizontalPodAutoscaler, PodDisruptionBudget.
 */
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
import { PORT_PROTOCOLS } from "./container.js";
import { validateImmutable, validateNonnegative } from "./metadata.js";
import {
  ipFamilyOf,
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidPercent,
  isValidPortNum,
} from "./names.js";
import { validateLabelSelector } from "./selector.js";
import { num, obj, objList, str, strList } from "./shape.js";
import { intOrPercent } from "./workload.js";

export function validateLease(lease: KubeObject): FieldError[] {
  const s = obj(lease.spec);
  const errs: FieldError[] = [];
  const d = num(s.leaseDurationSeconds);
  if (d !== undefined && d <= 0)
    errs.push(invalid(path("spec", "leaseDurationSeconds"), d, "must be greater than 0"));
  errs.push(...validateNonnegative(s.leaseTransitions, path("spec", "leaseTransitions")));
  if (typeof s.strategy === "string" && s.strategy !== "OldestEmulationVersion") {
    errs.push(notSupported(path("spec", "strategy"), s.strategy, ["OldestEmulationVersion"]));
  }
  return errs;
}

const HIGHEST_USER_PRIORITY = 1_000_000_000;
const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  "system-node-critical": 2_000_001_000,
  "system-cluster-critical": 2_000_000_000,
};

export function validatePriorityClass(pc: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(pc.metadata?.name);
  const value = num(pc.value) ?? 0;
  if (Object.hasOwn(SYSTEM_PRIORITY_CLASSES, name)) {
    if (SYSTEM_PRIORITY_CLASSES[name] !== value) {
      errs.push(
        forbidden(
          path("value"),
          `value of system priority class ${name} should be ${SYSTEM_PRIORITY_CLASSES[name]}`,
        ),
      );
    }
  } else if (name.startsWith("system-")) {
    errs.push(
      invalid(
        path("metadata", "name"),
        name,
        "priority class names with 'system-' prefix are reserved",
      ),
    );
  } else if (value > HIGHEST_USER_PRIORITY) {
    errs.push(
      forbidden(
        path("value"),
        `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`,
      ),
    );
  }
  if (
    typeof pc.preemptionPolicy === "string" &&
    !["PreemptLowerPriority", "Never"].includes(pc.preemptionPolicy)
  ) {
    errs.push(
      notSupported(path("preemptionPolicy"), pc.preemptionPolicy, [
        "Never",
        "PreemptLowerPriority",
      ]),
    );
  }
  return errs;
}

export function validatePriorityClassUpdate(pc: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (num(pc.value) !== num(old.value))
    errs.push(forbidden(path("value"), "may not be changed in an update."));
  errs.push(
    ...validateImmutable(pc.preemptionPolicy, old.preemptionPolicy, path("preemptionPolicy")),
  );
  return errs;
}

const ADDRESS_TYPES = ["FQDN", "IPv4", "IPv6"];

export function validateEndpointSlice(es: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const at = str(es.addressType);
  if (at.length === 0) errs.push(required(path("addressType")));
  else if (!ADDRESS_TYPES.includes(at))
    errs.push(notSupported(path("addressType"), at, ADDRESS_TYPES));
  const endpoints = objList(es.endpoints);
  if (endpoints.length > 1000)
    errs.push({
      type: "FieldValueTooMany",
      field: "endpoints",
      badValue: endpoints.length,
      detail: "must have at most 1000 items",
    });
  endpoints.forEach((ep, i) => {
    const p = path("endpoints").index(i);
    const addrs = strList(ep.addresses);
    if (addrs.length === 0)
      errs.push(required(p.child("addresses"), "must contain at least 1 address"));
    else if (addrs.length > 100)
      errs.push({
        type: "FieldValueTooMany",
        field: String(p.child("addresses")),
        badValue: addrs.length,
        detail: "must have at most 100 items",
      });
    addrs.forEach((a, j) => {
      const ap = p.child("addresses").index(j);
      if (at === "IPv4" && ipFamilyOf(a) !== "IPv4")
        errs.push(invalid(ap, a, "must be a valid IPv4 address"));
      if (at === "IPv6" && ipFamilyOf(a) !== "IPv6")
        errs.push(invalid(ap, a, "must be a valid IPv6 address"));
      if (at === "FQDN") for (const m of isDNS1123Subdomain(a)) errs.push(invalid(ap, a, m));
    });
    if (typeof ep.hostname === "string")
      for (const m of isDNS1123Label(ep.hostname))
        errs.push(invalid(p.child("hostname"), ep.hostname, m));
  });
  const names = new Set<string>();
  objList(es.ports).forEach((port, i) => {
    const p = path("ports").index(i);
    const name = str(port.name);
    if (name.length > 0)
      for (const m of isDNS1123Label(name)) errs.push(invalid(p.child("name"), name, m));
    if (names.has(name))
      errs.push({ type: "FieldValueDuplicate", field: String(p.child("name")), badValue: name });
    names.add(name);
    const proto = str(port.protocol);
    if (proto.length === 0) errs.push(required(p.child("protocol")));
    else if (!(PORT_PROTOCOLS as readonly string[]).includes(proto))
      errs.push(notSupported(p.child("protocol"), proto, PORT_PROTOCOLS));
    const n = num(port.port);
    if (n !== undefined)
      for (const m of isValidPortNum(n)) errs.push(invalid(p.child("port"), n, m));
  });
  return errs;
}

export function validateEndpointSliceUpdate(es: KubeObject, old: KubeObject): FieldError[] {
  return validateImmutable(es.addressType, old.addressType, path("addressType"));
}

function validateScaleTargetRef(ref: unknown, p: FieldPath): FieldError[] {
  const r = obj(ref);
  const errs: FieldError[] = [];
  if (str(r.kind).length === 0) errs.push(required(p.child("kind")));
  if (str(r.name).length === 0) errs.push(required(p.child("name")));
  return errs;
}

export function validateHorizontalPodAutoscaler(hpa: KubeObject): FieldError[] {
  const s = obj(hpa.spec);
  const sp = path("spec");
  const errs = validateScaleTargetRef(s.scaleTargetRef, sp.child("scaleTargetRef"));
  const min = num(s.minReplicas);
  const max = num(s.maxReplicas) ?? 0;
  if (min !== undefined && min < 1)
    errs.push(invalid(sp.child("minReplicas"), min, "must be greater than or equal to 1"));
  if (max < 1) errs.push(invalid(sp.child("maxReplicas"), max, "must be greater than 0"));
  if (min !== undefined && max < min)
    errs.push(
      invalid(sp.child("maxReplicas"), max, "must be greater than or equal to `minReplicas`"),
    );
  const pct = num(s.targetCPUUtilizationPercentage);
  if (pct !== undefined && pct < 1)
    errs.push(invalid(sp.child("targetCPUUtilizationPercentage"), pct, "must be greater than 0"));
  objList(s.metrics).forEach((m, i) => {
    const types = ["ContainerResource", "External", "Object", "Pods", "Resource"];
    const t = str(m.type);
    if (!types.includes(t))
      errs.push(notSupported(sp.child("metrics").index(i).child("type"), t, types));
  });
  return errs;
}

export function validatePodDisruptionBudget(pdb: KubeObject): FieldError[] {
  const s = obj(pdb.spec);
  const sp = path("spec");
  const errs: FieldError[] = [];
  const hasMin = s.minAvailable !== undefined && s.minAvailable !== null;
  const hasMax = s.maxUnavailable !== undefined && s.maxUnavailable !== null;
  if (hasMin && hasMax)
    errs.push(invalid(sp, s, "minAvailable and maxUnavailable cannot be both set"));
  for (const f of ["minAvailable", "maxUnavailable"]) {
    const v = s[f];
    const fp = sp.child(f);
    if (typeof v === "string") {
      for (const m of isValidPercent(v)) errs.push(invalid(fp, v, m));
      if (isValidPercent(v).length === 0 && intOrPercent(v) > 100)
        errs.push(invalid(fp, v, "must not be greater than 100%"));
    } else if (typeof v === "number") {
      errs.push(...validateNonnegative(v, fp));
    }
  }
  errs.push(...validateLabelSelector(s.selector, sp.child("selector")));
  const policy = s.unhealthyPodEvictionPolicy;
  if (typeof policy === "string" && policy !== "IfHealthyBudget" && policy !== "AlwaysAllow") {
    errs.push(
      notSupported(sp.child("unhealthyPodEvictionPolicy"), policy, [
        "AlwaysAllow",
        "IfHealthyBudget",
      ]),
    );
  }
  return errs;
}
