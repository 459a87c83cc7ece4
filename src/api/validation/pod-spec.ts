/** PodSpec and PodTemplateSpec (upstream's ValidatePodSpec / ValidatePodTemplateSpec). */
import {
  duplicate,
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  notFound,
  notSupported,
  required,
} from "../../machinery/field-errors.js";
import {
  checkHostPortConflicts,
  validateContainerCommon,
  validateProbesAndLifecycle,
} from "./container.js";
import { validateAnnotations, validateLabels } from "./metadata.js";
import {
  IP_ERROR,
  inclusiveRangeError,
  ipFamilyOf,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidGroupID,
  isValidUserID,
} from "./names.js";
import {
  validateAffinity,
  validateTolerations,
  validateTopologySpreadConstraints,
} from "./scheduling.js";
import { isObj, list, num, type Obj, objList, str, strList } from "./shape.js";
import { validateVolumes } from "./volumes.js";

export interface PodSpecOptions {
  /** The spec belongs to a Pod (not a template): stricter host-port and path checks. */
  isPod: boolean;
}

const RESTART_POLICIES = ["Always", "OnFailure", "Never"];
const DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
const MAX_INT32 = 2147483647;

function validateContainers(spec: Obj, vols: Map<string, Obj>, p: FieldPath): FieldError[] {
  const containers = objList(spec.containers);
  if (containers.length === 0) return [required(p)];
  const errs: FieldError[] = [];
  const grace = num(spec.terminationGracePeriodSeconds);
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const ip = p.index(i);
    errs.push(...validateContainerCommon(c, vols, ip));
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(ip.child("name"), name));
    else names.add(name);
    errs.push(...validateProbesAndLifecycle(c, ip, grace));
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
      errs.push(forbidden(ip.child("restartPolicy"), "may not be set for non-init containers"));
    }
  });
  errs.push(...checkHostPortConflicts(containers, p));
  return errs;
}

function validateInitContainers(spec: Obj, vols: Map<string, Obj>, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const grace = num(spec.terminationGracePeriodSeconds);
  const names = new Set(objList(spec.containers).map((c) => str(c.name)));
  objList(spec.initContainers).forEach((c, i) => {
    const ip = p.index(i);
    errs.push(...validateContainerCommon(c, vols, ip));
    let restartAlways = false;
    if (typeof c.restartPolicy === "string") {
      if (c.restartPolicy !== "Always") {
        errs.push(notSupported(ip.child("restartPolicy"), c.restartPolicy, ["Always"]));
      }
      restartAlways = c.restartPolicy === "Always";
    }
    const name = str(c.name);
    if (names.has(name)) errs.push(duplicate(ip.child("name"), name));
    else if (name.length > 0) names.add(name);
    errs.push(...checkHostPortConflicts([c], p));
    if (restartAlways) {
      errs.push(...validateProbesAndLifecycle(c, ip, grace));
    } else {
      for (const f of ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"]) {
        if (c[f] !== undefined && c[f] !== null) {
          errs.push(
            forbidden(
              ip.child(f),
              "may not be set for init containers without restartPolicy=Always",
            ),
          );
        }
      }
    }
  });
  return errs;
}

/**
 * Whether a field an ephemeral container may not have is set, as Go's zero
 * value check sees it: an empty list is not, nor `resources` with nothing
 * in it (a struct upstream, where the probes and lifecycle are pointers).
 */
function isSet(field: string, v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (field !== "resources" || !isObj(v)) return true;
  return Object.values(v).some((x) => isSet("", x) && !(isObj(x) && Object.keys(x).length === 0));
}

function validateEphemeralContainers(
  spec: Obj,
  vols: Map<string, Obj>,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const others = new Set(
    [...objList(spec.containers), ...objList(spec.initContainers)].map((c) => str(c.name)),
  );
  const all = new Set(others);
  const disallowed = [
    "ports",
    "resources",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "resizePolicy",
    "restartPolicy",
  ];
  objList(spec.ephemeralContainers).forEach((c, i) => {
    const ip = p.index(i);
    errs.push(...validateContainerCommon(c, vols, ip));
    const name = str(c.name);
    if (all.has(name)) errs.push(duplicate(ip.child("name"), name));
    else all.add(name);
    const target = str(c.targetContainerName);
    if (target !== "" && !others.has(target))
      errs.push(notFound(ip.child("targetContainerName"), target));
    for (const f of disallowed) {
      if (isSet(f, c[f])) {
        errs.push(forbidden(ip.child(f), "cannot be set for an Ephemeral Container"));
      }
    }
    objList(c.volumeMounts).forEach((vm, j) => {
      for (const f of ["subPath", "subPathExpr"]) {
        if (str(vm[f]) !== "") {
          errs.push(
            forbidden(
              ip.child("volumeMounts").index(j).child(f),
              "cannot be set for an Ephemeral Container",
            ),
          );
        }
      }
    });
  });
  return errs;
}

function validateEnum(value: unknown, p: FieldPath, supported: readonly string[]): FieldError[] {
  const v = str(value);
  if (v.length === 0) return [required(p)];
  return supported.includes(v) ? [] : [notSupported(p, v, supported)];
}

function validatePodSecurityContext(sc: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(sc)) return errs;
  const check = (field: string, fn: (n: number) => string[]): void => {
    const v = num(sc[field]);
    if (v !== undefined) for (const m of fn(v)) errs.push(invalid(p.child(field), v, m));
  };
  check("fsGroup", isValidGroupID);
  check("runAsUser", isValidUserID);
  check("runAsGroup", isValidGroupID);
  list(sc.supplementalGroups).forEach((g, i) => {
    const v = num(g);
    if (v !== undefined)
      for (const m of isValidGroupID(v))
        errs.push(invalid(p.child("supplementalGroups").index(i), v, m));
  });
  if (typeof sc.fsGroupChangePolicy === "string") {
    const supported = ["Always", "OnRootMismatch"];
    if (!supported.includes(sc.fsGroupChangePolicy)) {
      errs.push(notSupported(p.child("fsGroupChangePolicy"), sc.fsGroupChangePolicy, supported));
    }
  }
  return errs;
}

function validateDNSConfig(spec: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === "None") {
    if (!isObj(cfg)) return [required(p, "must provide `dnsConfig` when `dnsPolicy` is None")];
    if (strList(cfg.nameservers).length === 0) {
      return [
        required(
          p.child("nameservers"),
          "must provide at least one DNS nameserver when `dnsPolicy` is None",
        ),
      ];
    }
  }
  if (!isObj(cfg)) return errs;
  const ns = strList(cfg.nameservers);
  if (ns.length > 3)
    errs.push(invalid(p.child("nameservers"), ns, "must not have more than 3 nameservers"));
  ns.forEach((ip, i) => {
    if (ipFamilyOf(ip) === undefined)
      errs.push(invalid(p.child("nameservers").index(i), ip, IP_ERROR));
  });
  const searches = strList(cfg.searches);
  if (searches.length > 32)
    errs.push(invalid(p.child("searches"), searches, "must not have more than 32 search paths"));
  if (searches.join(" ").length > 2048) {
    errs.push(
      invalid(
        p.child("searches"),
        searches,
        "must not have more than 2048 characters (including spaces) in the search list",
      ),
    );
  }
  searches.forEach((s, i) => {
    const t = s.endsWith(".") ? s.slice(0, -1) : s;
    for (const m of isDNS1123Subdomain(t)) errs.push(invalid(p.child("searches").index(i), t, m));
  });
  objList(cfg.options).forEach((o, i) => {
    if (str(o.name).length === 0)
      errs.push(required(p.child("options").index(i), "must not be empty"));
  });
  return errs;
}

function validateHostNetworkPorts(spec: Obj, p: FieldPath, isPod: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.hostNetwork !== true) return errs;
  objList(spec.containers).forEach((c, i) => {
    objList(c.ports).forEach((port, j) => {
      const hp = num(port.hostPort) ?? 0;
      const cp = num(port.containerPort) ?? 0;
      if ((isPod || hp !== 0) && hp !== cp) {
        errs.push(
          invalid(
            p.child("containers").index(i).child("ports").index(j).child("hostPort"),
            hp,
            "must match `containerPort` when `hostNetwork` is true",
          ),
        );
      }
    });
  });
  return errs;
}

function validateNameField(
  spec: Obj,
  field: string,
  p: FieldPath,
  fn: (s: string) => string[],
): FieldError[] {
  const v = str(spec[field]);
  return v.length === 0 ? [] : fn(v).map((m) => invalid(p.child(field), v, m));
}

/** ValidatePodSpec: everything in a pod's (or template's) spec. */
export function validatePodSpec(spec: unknown, p: FieldPath, opts: PodSpecOptions): FieldError[] {
  const s = isObj(spec) ? spec : {};
  const errs: FieldError[] = [];
  if (num(s.terminationGracePeriodSeconds) === undefined) {
    errs.push(required(p.child("terminationGracePeriodSeconds")));
  }
  const { errors: volErrs, valid: vols } = validateVolumes(s.volumes, p.child("volumes"), opts);
  errs.push(...volErrs);
  errs.push(...validateContainers(s, vols, p.child("containers")));
  errs.push(...validateInitContainers(s, vols, p.child("initContainers")));
  errs.push(...validateEphemeralContainers(s, vols, p.child("ephemeralContainers")));
  errs.push(...validateHostNetworkPorts(s, p, opts.isPod));
  errs.push(...validateEnum(s.restartPolicy, p.child("restartPolicy"), RESTART_POLICIES));
  errs.push(...validateEnum(s.dnsPolicy, p.child("dnsPolicy"), DNS_POLICIES));
  errs.push(...validateLabels(s.nodeSelector, p.child("nodeSelector")));
  errs.push(...validatePodSecurityContext(s.securityContext, p.child("securityContext")));
  objList(s.imagePullSecrets).forEach((ref, i) => {
    if (Object.keys(ref).some((k) => k !== "name")) {
      errs.push(invalid(p.child("imagePullSecrets").index(i), ref, "only name may be set"));
    }
  });
  errs.push(...validateAffinity(s.affinity, p.child("affinity")));
  errs.push(...validateDNSConfig(s, p.child("dnsConfig")));
  objList(s.readinessGates).forEach((g, i) => {
    const t = str(g.conditionType);
    for (const m of isQualifiedName(t))
      errs.push(invalid(p.child("readinessGates").index(i).child("conditionType"), t, m));
  });
  const gates = new Set<string>();
  objList(s.schedulingGates).forEach((g, i) => {
    const n = str(g.name);
    for (const m of isQualifiedName(n))
      errs.push(invalid(p.child("schedulingGates").index(i), n, m));
    if (gates.has(n)) errs.push(duplicate(p.child("schedulingGates").index(i), n));
    gates.add(n);
  });
  errs.push(
    ...validateTopologySpreadConstraints(
      s.topologySpreadConstraints,
      p.child("topologySpreadConstraints"),
    ),
  );
  errs.push(...validateNameField(s, "serviceAccountName", p, isDNS1123Subdomain));
  errs.push(...validateNameField(s, "nodeName", p, isDNS1123Subdomain));
  const ads = num(s.activeDeadlineSeconds);
  if (ads !== undefined && (ads < 1 || ads > MAX_INT32)) {
    errs.push(invalid(p.child("activeDeadlineSeconds"), ads, inclusiveRangeError(1, MAX_INT32)));
  }
  errs.push(...validateNameField(s, "hostname", p, isDNS1123Label));
  errs.push(...validateNameField(s, "subdomain", p, isDNS1123Label));
  errs.push(...validateTolerations(s.tolerations, p.child("tolerations")));
  objList(s.hostAliases).forEach((a, i) => {
    const ap = p.child("hostAliases").index(i);
    if (ipFamilyOf(str(a.ip)) === undefined)
      errs.push(invalid(ap.child("ip"), str(a.ip), IP_ERROR));
    strList(a.hostnames).forEach((h, j) => {
      for (const m of isDNS1123Subdomain(h))
        errs.push(invalid(ap.child("hostnames").index(j), h, m));
    });
  });
  errs.push(...validateNameField(s, "priorityClassName", p, isDNS1123Subdomain));
  if (typeof s.runtimeClassName === "string") {
    for (const m of isDNS1123Subdomain(s.runtimeClassName)) {
      errs.push(invalid(p.child("runtimeClassName"), s.runtimeClassName, m));
    }
  }
  if (typeof s.preemptionPolicy === "string") {
    errs.push(
      ...validateEnum(s.preemptionPolicy, p.child("preemptionPolicy"), [
        "PreemptLowerPriority",
        "Never",
      ]),
    );
  }
  if (isObj(s.os)) {
    const name = str(s.os.name);
    if (name.length === 0) errs.push(required(p.child("os", "name")));
    else if (name !== "linux" && name !== "windows")
      errs.push(notSupported(p.child("os"), name, ["linux", "windows"]));
  }
  return errs;
}

/** ValidatePodTemplateSpec: a template's labels, annotations and spec. */
export function validatePodTemplateSpec(template: unknown, p: FieldPath): FieldError[] {
  const t = isObj(template) ? template : {};
  const meta = isObj(t.metadata) ? t.metadata : {};
  const errs: FieldError[] = [];
  // Upstream's paths here are template.labels / template.annotations (no "metadata").
  errs.push(...validateLabels(meta.labels, p.child("labels")));
  errs.push(...validateAnnotations(meta.annotations, p.child("annotations")));
  errs.push(...validatePodSpec(t.spec, p.child("spec"), { isPod: false }));
  if (list(obj2(t.spec).ephemeralContainers).length > 0) {
    errs.push(
      forbidden(
        p.child("spec", "ephemeralContainers"),
        "ephemeral containers not allowed in pod template",
      ),
    );
  }
  return errs;
}

function obj2(v: unknown): Obj {
  return isObj(v) ? v : {};
}
