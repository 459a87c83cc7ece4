/**
 * The smaller core/v1 kinds: Namespace, Node, Endpoints, LimitRange,
 * ResourceQuota, ReplicationController, PodTemplate, Event.
 */
import {
  duplicate,
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
import { goMapValue } from "./go-value.js";
import { validateKubeFinalizers, validateNonnegative } from "./metadata.js";
import {
  CIDR_ERROR,
  cidrFamilyOf,
  IP_ERROR,
  ipFamilyOf,
  isDNS1123Label,
  isQualifiedName,
  isValidLabelValue,
  isValidPortNum,
} from "./names.js";
import { validatePodTemplateSpec } from "./pod-spec.js";
import { compareQuantities, quantityText } from "./quantity.js";
import { validateContainerResourceName, validateQuantity } from "./resources.js";
import { validateTaintEffect } from "./scheduling.js";
import { isObj, num, type Obj, obj, objList, str, strList, strMap } from "./shape.js";

const spec = (o: KubeObject): Obj => (isObj(o.spec) ? o.spec : {});

export function validateNamespace(ns: KubeObject): FieldError[] {
  const finalizers = strList(spec(ns).finalizers);
  const p = path("spec", "finalizers");
  const errs: FieldError[] = [];
  finalizers.forEach((f) => {
    for (const m of isQualifiedName(f)) errs.push(invalid(p, f, m));
  });
  // Reuse the "standard or fully qualified" rule, reported on the list path.
  for (const e of validateKubeFinalizers(finalizers, p)) {
    if (e.detail === "name is neither a standard finalizer name nor is it fully qualified") {
      errs.push(invalid(p, e.badValue, e.detail));
    }
  }
  return errs;
}

function validateTaints(taints: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const unique = new Set<string>();
  objList(taints).forEach((t, i) => {
    const ip = p.index(i);
    const key = str(t.key);
    for (const m of isQualifiedName(key)) errs.push(invalid(ip.child("key"), key, m));
    const vmsgs = isValidLabelValue(str(t.value));
    if (vmsgs.length > 0) errs.push(invalid(ip.child("value"), str(t.value), vmsgs.join(";")));
    errs.push(...validateTaintEffect(str(t.effect), ip.child("effect"), false));
    const k = `${str(t.effect)}\u0000${key}`;
    if (unique.has(k)) {
      errs.push({ ...duplicate(ip, t), detail: "taints must be unique by key and effect pair" });
    } else {
      unique.add(k);
    }
  });
  return errs;
}

export function validateNode(node: KubeObject): FieldError[] {
  const s = spec(node);
  const errs = validateTaints(s.taints, path("metadata", "taints"));
  const st = obj(node.status);
  for (const key of ["capacity", "allocatable"]) {
    for (const [k, v] of Object.entries(obj(st[key])))
      errs.push(...validateQuantity(k, v, path("status", key, k)));
  }
  const cidrs = strList(s.podCIDRs);
  cidrs.forEach((c, i) => {
    if (cidrFamilyOf(c) === undefined)
      errs.push(invalid(path("spec", "podCIDRs").index(i), c, CIDR_ERROR));
  });
  if (cidrs.length > 1) {
    const fams = cidrs.map(cidrFamilyOf);
    if (cidrs.length > 2 || fams[0] === fams[1]) {
      errs.push(
        invalid(
          path("spec", "podCIDRs"),
          cidrs,
          "may specify no more than one CIDR for each IP family",
        ),
      );
    }
  }
  return errs;
}

export function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec(node);
  const os = spec(old);
  const oldCIDRs = strList(os.podCIDRs);
  const cidrs = strList(s.podCIDRs);
  if (
    oldCIDRs.length > 0 &&
    (oldCIDRs.length !== cidrs.length || oldCIDRs.some((c, i) => c !== cidrs[i]))
  ) {
    errs.push(
      forbidden(
        path("spec", "podCIDRs"),
        'node updates may not change podCIDR except from "" to valid',
      ),
    );
  }
  if (str(os.providerID).length > 0 && os.providerID !== s.providerID) {
    errs.push(
      forbidden(
        path("spec", "providerID"),
        'node updates may not change providerID except from "" to valid',
      ),
    );
  }
  const seen = new Set<string>();
  objList(obj(node.status).addresses).forEach((a, i) => {
    const key = `${str(a.type)}/${str(a.address)}`;
    if (seen.has(key)) errs.push(duplicate(path("status", "addresses").index(i), a));
    seen.add(key);
  });
  return errs;
}

export function validateEndpoints(ep: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  objList(ep.subsets).forEach((ss, i) => {
    const sp = path("subsets").index(i);
    const addresses = objList(ss.addresses);
    const notReady = objList(ss.notReadyAddresses);
    if (addresses.length === 0 && notReady.length === 0) {
      errs.push(required(sp, "must specify `addresses` or `notReadyAddresses`"));
    }
    for (const [key, list] of [
      ["addresses", addresses],
      ["notReadyAddresses", notReady],
    ] as const) {
      list.forEach((a, j) => {
        const ip = str(a.ip);
        if (ipFamilyOf(ip) === undefined)
          errs.push(invalid(sp.child(key).index(j).child("ip"), ip, IP_ERROR));
        const host = str(a.hostname);
        if (host.length > 0)
          for (const m of isDNS1123Label(host))
            errs.push(invalid(sp.child(key).index(j).child("hostname"), host, m));
      });
    }
    const ports = objList(ss.ports);
    ports.forEach((port, j) => {
      const pp = sp.child("ports").index(j);
      const name = str(port.name);
      if (ports.length > 1 && name.length === 0) errs.push(required(pp.child("name")));
      else if (name.length > 0)
        for (const m of isDNS1123Label(name)) errs.push(invalid(pp.child("name"), name, m));
      const n = num(port.port) ?? 0;
      for (const m of isValidPortNum(n)) errs.push(invalid(pp.child("port"), n, m));
      const proto = str(port.protocol);
      if (proto.length === 0) errs.push(required(pp.child("protocol")));
      else if (!(PORT_PROTOCOLS as readonly string[]).includes(proto))
        errs.push(notSupported(pp.child("protocol"), proto, PORT_PROTOCOLS));
    });
  });
  return errs;
}

const LIMIT_TYPES = ["Pod", "Container", "PersistentVolumeClaim"];

export function validateLimitRange(lr: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const types = new Set<string>();
  objList(spec(lr).limits).forEach((limit, i) => {
    const ip = path("spec", "limits").index(i);
    const type = str(limit.type);
    for (const m of isQualifiedName(type)) errs.push(invalid(ip.child("type"), type, m));
    if (!type.includes("/") && isQualifiedName(type).length === 0 && !LIMIT_TYPES.includes(type)) {
      errs.push(
        invalid(ip.child("type"), type, "must be a standard limit type or fully qualified"),
      );
    }
    if (types.has(type)) errs.push(duplicate(ip.child("type"), type));
    types.add(type);
    const groups: Record<string, Obj> = {};
    for (const g of ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"]) {
      groups[g] = obj(limit[g]);
      if (type === "Pod" && (g === "default" || g === "defaultRequest")) {
        if (Object.keys(groups[g] as Obj).length > 0) {
          errs.push(forbidden(ip.child(g), "may not be specified when `type` is 'Pod'"));
        }
        continue;
      }
      for (const [k, v] of Object.entries(groups[g] as Obj)) {
        if (type === "Pod" || type === "Container")
          errs.push(...validateContainerResourceName(k, ip.child(g).key(k)));
        errs.push(...validateQuantity(k, v, ip.child(g).key(k)));
      }
    }
    const g = (name: string) => groups[name] as Obj;
    const pairs: Array<[string, string, string, string]> = [
      ["min", "max", "min", "min value %a is greater than max value %b"],
      [
        "min",
        "defaultRequest",
        "defaultRequest",
        "min value %a is greater than default request value %b",
      ],
      [
        "defaultRequest",
        "max",
        "defaultRequest",
        "default request value %a is greater than max value %b",
      ],
      [
        "defaultRequest",
        "default",
        "defaultRequest",
        "default request value %a is greater than default limit value %b",
      ],
      ["min", "default", "default", "min value %a is greater than default value %b"],
      ["default", "max", "default", "default value %a is greater than max value %b"],
    ];
    for (const [a, b, at, msg] of pairs) {
      for (const k of Object.keys(g(a))) {
        if (!Object.hasOwn(g(b), k)) continue;
        if ((compareQuantities(g(a)[k], g(b)[k]) ?? 0) > 0) {
          const bad = at === a ? g(a)[k] : g(b)[k];
          errs.push(
            invalid(
              ip.child(at).key(k),
              quantityText(bad),
              msg.replace("%a", quantityText(g(a)[k])).replace("%b", quantityText(g(b)[k])),
            ),
          );
        }
      }
    }
    if (
      type === "PersistentVolumeClaim" &&
      !Object.hasOwn(g("min"), "storage") &&
      !Object.hasOwn(g("max"), "storage")
    ) {
      errs.push(
        required(
          ip.child("limits"),
          "either minimum or maximum storage value is required, but neither was provided",
        ),
      );
    }
  });
  return errs;
}

const QUOTA_SCOPES = [
  "Terminating",
  "NotTerminating",
  "BestEffort",
  "NotBestEffort",
  "PriorityClass",
  "CrossNamespacePodAffinity",
];

export function validateResourceQuota(rq: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec(rq);
  for (const [k, v] of Object.entries(obj(s.hard))) {
    const kp = path("spec", "hard").key(k);
    for (const m of isQualifiedName(k)) errs.push(invalid(kp, k, m));
    errs.push(...validateQuantity(k, v, kp));
  }
  const scopes = strList(s.scopes);
  for (const scope of scopes) {
    if (!QUOTA_SCOPES.includes(scope))
      errs.push(invalid(path("spec", "scopes"), scopes, "unsupported scope"));
  }
  const has = (a: string) => scopes.includes(a);
  if (
    (has("BestEffort") && has("NotBestEffort")) ||
    (has("Terminating") && has("NotTerminating"))
  ) {
    errs.push(invalid(path("spec", "scopes"), scopes, "conflicting scopes"));
  }
  return errs;
}

export function validateReplicationController(rc: KubeObject): FieldError[] {
  const s = spec(rc);
  const p = path("spec");
  const errs = validateNonnegative(s.minReadySeconds, p.child("minReadySeconds"));
  const selector = strMap(s.selector);
  if (Object.keys(selector).length === 0) errs.push(required(p.child("selector")));
  errs.push(...validateNonnegative(s.replicas, p.child("replicas")));
  const template = s.template;
  const tp = p.child("template");
  if (!isObj(template)) {
    errs.push(required(tp));
    return errs;
  }
  const raw = obj(template.metadata).labels;
  const labels = strMap(raw);
  if (
    Object.keys(selector).length > 0 &&
    Object.entries(selector).some(([k, v]) => labels[k] !== v)
  ) {
    errs.push(
      invalid(
        tp.child("metadata", "labels"),
        goMapValue(isObj(raw) ? labels : undefined),
        "`selector` does not match template `labels`",
      ),
    );
  }
  errs.push(...validatePodTemplateSpec(template, tp));
  const tspec = obj(template.spec);
  if (str(tspec.restartPolicy) !== "Always") {
    errs.push(
      notSupported(tp.child("spec", "restartPolicy"), str(tspec.restartPolicy), ["Always"]),
    );
  }
  if (tspec.activeDeadlineSeconds !== undefined && tspec.activeDeadlineSeconds !== null) {
    errs.push(
      forbidden(
        tp.child("spec", "activeDeadlineSeconds"),
        "activeDeadlineSeconds in ReplicationController is not Supported",
      ),
    );
  }
  return errs;
}

export function validatePodTemplate(pt: KubeObject): FieldError[] {
  return validatePodTemplateSpec(pt.template, path("template"));
}

export function validateEvent(ev: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const io = obj(ev.involvedObject);
  const evNs = str(ev.metadata?.namespace);
  const objNs = str(io.namespace);
  if (objNs.length > 0 && evNs !== objNs) {
    errs.push(
      invalid(path("involvedObject", "namespace"), objNs, "does not match event.namespace"),
    );
  }
  const type = str(ev.type);
  if (type.length > 0 && type !== "Normal" && type !== "Warning") {
    errs.push(notSupported(path("type"), type, ["Normal", "Warning"]));
  }
  return errs;
}
