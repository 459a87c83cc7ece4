/**
 * Containers of a pod spec: names, image, ports, env, mounts, probes,
 * lifecycle hooks, pull policy, resources (upstream's validateContainerCommon
 * and friends).
 */
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
import { validateNonnegative } from "./metadata.js";
import {
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isHTTPHeaderName,
  isQualifiedName,
  isValidGroupID,
  isValidPortName,
  isValidPortNum,
  isValidUserID,
} from "./names.js";
import { validateResourceRequirements } from "./resources.js";
import { isObj, list, num, type Obj, obj, objList, str } from "./shape.js";

export const PORT_PROTOCOLS = ["SCTP", "TCP", "UDP"] as const;

export function validateContainerPorts(ports: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objList(ports).forEach((port, i) => {
    const ip = p.index(i);
    const name = str(port.name);
    if (name.length > 0) {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) for (const m of msgs) errs.push(invalid(ip.child("name"), name, m));
      else if (names.has(name)) errs.push(duplicate(ip.child("name"), name));
      else names.add(name);
    }
    const cp = num(port.containerPort) ?? 0;
    if (cp === 0) errs.push(required(ip.child("containerPort")));
    else for (const m of isValidPortNum(cp)) errs.push(invalid(ip.child("containerPort"), cp, m));
    const hp = num(port.hostPort) ?? 0;
    if (hp !== 0)
      for (const m of isValidPortNum(hp)) errs.push(invalid(ip.child("hostPort"), hp, m));
    const proto = str(port.protocol);
    if (proto.length === 0) errs.push(required(ip.child("protocol")));
    else if (!(PORT_PROTOCOLS as readonly string[]).includes(proto)) {
      errs.push(notSupported(ip.child("protocol"), proto, PORT_PROTOCOLS));
    }
  });
  return errs;
}

/** A port given as a number or an IANA_SVC_NAME. */
export function validatePortNumOrName(port: unknown, p: FieldPath): FieldError[] {
  if (typeof port === "number") return isValidPortNum(port).map((m) => invalid(p, port, m));
  if (typeof port === "string") return isValidPortName(port).map((m) => invalid(p, port, m));
  return isValidPortNum(0).map((m) => invalid(p, 0, m));
}

const ENV_FIELD_PATHS = [
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "spec.nodeName",
  "spec.serviceAccountName",
  "status.hostIP",
  "status.hostIPs",
  "status.podIP",
  "status.podIPs",
];
const RESOURCE_FIELD_PATHS = [
  "limits.cpu",
  "limits.ephemeral-storage",
  "limits.memory",
  "requests.cpu",
  "requests.ephemeral-storage",
  "requests.memory",
];

/** A downward API fieldRef; `allowed` lists the plain paths accepted. */
export function validateObjectFieldSelector(
  fs: Obj,
  allowed: readonly string[],
  p: FieldPath,
): FieldError[] {
  if (str(fs.apiVersion).length === 0) return [required(p.child("apiVersion"))];
  const fieldPath = str(fs.fieldPath);
  if (fieldPath.length === 0) return [required(p.child("fieldPath"))];
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fieldPath);
  if (sub !== null) {
    const key = sub[2] as string;
    const k = sub[1] === "metadata.annotations" ? key.toLowerCase() : key;
    return isQualifiedName(k).map((m) => invalid(p, k, m));
  }
  if (!allowed.includes(fieldPath)) {
    return [notSupported(p.child("fieldPath"), fieldPath, [...allowed].sort())];
  }
  return [];
}

function validateKeySelector(sel: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(sel.name);
  for (const m of isDNS1123Subdomain(name)) errs.push(invalid(p.child("name"), name, m));
  const key = str(sel.key);
  if (key.length === 0) errs.push(required(p.child("key")));
  else for (const m of isConfigMapKey(key)) errs.push(invalid(p.child("key"), key, m));
  return errs;
}

function validateEnvValueFrom(ev: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(ev.valueFrom)) return errs;
  const vf = ev.valueFrom;
  let sources = 0;
  if (isObj(vf.fieldRef)) {
    sources++;
    errs.push(...validateObjectFieldSelector(vf.fieldRef, ENV_FIELD_PATHS, p.child("fieldRef")));
  }
  if (isObj(vf.resourceFieldRef)) {
    sources++;
    const resource = str(vf.resourceFieldRef.resource);
    const rp = p.child("resourceFieldRef");
    if (resource.length === 0) errs.push(required(rp.child("resource")));
    else if (
      !RESOURCE_FIELD_PATHS.includes(resource) &&
      !resource.startsWith("requests.hugepages-") &&
      !resource.startsWith("limits.hugepages-")
    ) {
      errs.push(notSupported(rp.child("resource"), resource, RESOURCE_FIELD_PATHS));
    }
  }
  if (isObj(vf.configMapKeyRef)) {
    sources++;
    errs.push(...validateKeySelector(vf.configMapKeyRef, p.child("configMapKeyRef")));
  }
  if (isObj(vf.secretKeyRef)) {
    sources++;
    errs.push(...validateKeySelector(vf.secretKeyRef, p.child("secretKeyRef")));
  }
  if (sources === 0) {
    errs.push(
      invalid(
        p,
        "",
        "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
      ),
    );
  } else if (str(ev.value).length !== 0) {
    errs.push(invalid(p, "", "may not be specified when `value` is not empty"));
  } else if (sources > 1) {
    errs.push(invalid(p, "", "may not have more than one field specified at a time"));
  }
  return errs;
}

export function validateEnv(env: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objList(env).forEach((ev, i) => {
    const ip = p.index(i);
    const name = str(ev.name);
    if (name.length === 0) errs.push(required(ip.child("name")));
    else for (const m of isEnvVarName(name)) errs.push(invalid(ip.child("name"), name, m));
    errs.push(...validateEnvValueFrom(ev, ip.child("valueFrom")));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objList(envFrom).forEach((ev, i) => {
    const ip = p.index(i);
    const prefix = str(ev.prefix);
    if (prefix.length > 0)
      for (const m of isEnvVarName(prefix)) errs.push(invalid(ip.child("prefix"), prefix, m));
    let sources = 0;
    for (const key of ["configMapRef", "secretRef"]) {
      const ref = ev[key];
      if (!isObj(ref)) continue;
      sources++;
      const name = str(ref.name);
      if (name.length === 0) errs.push(required(ip.child(key, "name")));
      else {
        const masked = name.length > 1 && name.endsWith("-") ? `${name.slice(0, -2)}a` : name;
        for (const m of isDNS1123Subdomain(masked))
          errs.push(invalid(ip.child(key, "name"), name, m));
      }
    }
    if (sources === 0)
      errs.push(invalid(p, "", "must specify one of: `configMapRef` or `secretRef`"));
    else if (sources > 1)
      errs.push(invalid(p, "", "may not have more than one field specified at a time"));
  });
  return errs;
}

/** A relative path without `..` elements (subPath, gitRepo directory, projected item paths). */
export function validateLocalDescendingPath(target: string, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith("/")) errs.push(invalid(p, target, "must be a relative path"));
  errs.push(...validatePathNoBacksteps(target, p));
  return errs;
}

export function validatePathNoBacksteps(target: string, p: FieldPath): FieldError[] {
  return target.split("/").includes("..") ? [invalid(p, target, "must not contain '..'")] : [];
}

export function validateLocalNonReservedPath(target: string, p: FieldPath): FieldError[] {
  const errs = validateLocalDescendingPath(target, p);
  if (target.startsWith("..") && !target.startsWith("../")) {
    errs.push(invalid(p, target, "must not start with '..'"));
  }
  return errs;
}

function validateVolumeMounts(
  c: Obj,
  volumes: ReadonlyMap<string, Obj>,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  const devices = new Map<string, string>();
  for (const d of objList(c.volumeDevices)) devices.set(str(d.name), str(d.devicePath));
  objList(c.volumeMounts).forEach((mnt, i) => {
    const ip = p.index(i);
    const name = str(mnt.name);
    const mountPath = str(mnt.mountPath);
    if (name.length === 0) errs.push(required(ip.child("name")));
    if (!volumes.has(name)) errs.push(notFound(ip.child("name"), name));
    if (mountPath.length === 0) errs.push(required(ip.child("mountPath")));
    if (mountPoints.has(mountPath))
      errs.push(invalid(ip.child("mountPath"), mountPath, "must be unique"));
    mountPoints.add(mountPath);
    if (devices.has(name)) {
      errs.push(invalid(ip.child("name"), name, "must not already exist in volumeDevices"));
    }
    if ([...devices.values()].includes(mountPath)) {
      errs.push(
        invalid(
          ip.child("mountPath"),
          mountPath,
          "must not already exist as a path in volumeDevices",
        ),
      );
    }
    const subPath = str(mnt.subPath);
    const subPathExpr = str(mnt.subPathExpr);
    if (subPath.length > 0) errs.push(...validateLocalDescendingPath(subPath, p.child("subPath")));
    if (subPathExpr.length > 0) {
      if (subPath.length > 0) {
        errs.push(
          invalid(
            ip.child("subPathExpr"),
            subPathExpr,
            "subPathExpr and subPath are mutually exclusive",
          ),
        );
      }
      errs.push(...validateLocalDescendingPath(subPathExpr, p.child("subPathExpr")));
    }
    const prop = mnt.mountPropagation;
    if (typeof prop === "string") {
      const supported = ["Bidirectional", "HostToContainer", "None"];
      if (!supported.includes(prop))
        errs.push(notSupported(p.child("mountPropagation"), prop, supported));
      const privileged = obj(c.securityContext).privileged === true;
      if (prop === "Bidirectional" && !privileged) {
        errs.push(
          forbidden(
            p.child("mountPropagation"),
            "Bidirectional mount propagation is available only to privileged containers",
          ),
        );
      }
    }
  });
  return errs;
}

const HANDLER_KEYS = ["exec", "httpGet", "tcpSocket", "grpc", "sleep"] as const;

function validateHandler(
  h: Obj,
  p: FieldPath,
  opts: { allowed: readonly string[]; gracePeriod: number | undefined },
): FieldError[] {
  const errs: FieldError[] = [];
  let handlers = 0;
  for (const key of HANDLER_KEYS) {
    if (!opts.allowed.includes(key) || !isObj(h[key])) continue;
    const hp = p.child(key);
    if (handlers > 0) {
      errs.push(forbidden(hp, "may not specify more than 1 handler type"));
      continue;
    }
    handlers++;
    const v = h[key];
    if (key === "exec" && list(v.command).length === 0) errs.push(required(hp.child("command")));
    if (key === "httpGet") {
      if (str(v.path).length === 0) errs.push(required(hp.child("path")));
      errs.push(...validatePortNumOrName(v.port, hp.child("port")));
      const scheme = str(v.scheme);
      if (scheme !== "HTTP" && scheme !== "HTTPS") {
        errs.push(notSupported(hp.child("scheme"), scheme, ["HTTP", "HTTPS"]));
      }
      for (const header of objList(v.httpHeaders)) {
        const hn = str(header.name);
        for (const m of isHTTPHeaderName(hn)) errs.push(invalid(hp.child("httpHeaders"), hn, m));
      }
    }
    if (key === "tcpSocket") errs.push(...validatePortNumOrName(v.port, hp.child("port")));
    if (key === "grpc") errs.push(...validatePortNumOrName(num(v.port) ?? 0, hp.child("port")));
    if (key === "sleep" && opts.gracePeriod !== undefined) {
      const s = num(v.seconds) ?? 0;
      if (s <= 0 || s > opts.gracePeriod) {
        errs.push(
          invalid(
            hp,
            s,
            `must be greater than 0 and less than terminationGracePeriodSeconds (${opts.gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
          ),
        );
      }
    }
  }
  if (handlers === 0) errs.push(required(p, "must specify a handler type"));
  return errs;
}

type ProbeKind = "liveness" | "readiness" | "startup";

function validateProbe(
  probe: unknown,
  p: FieldPath,
  opts: { kind: ProbeKind; gracePeriod: number | undefined },
): FieldError[] {
  if (!isObj(probe)) return [];
  const errs = validateHandler(probe, p, {
    allowed: ["exec", "httpGet", "tcpSocket", "grpc"],
    gracePeriod: opts.gracePeriod,
  });
  for (const f of [
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
  ]) {
    errs.push(...validateNonnegative(probe[f], p.child(f)));
  }
  const tgps = num(probe.terminationGracePeriodSeconds);
  if (tgps !== undefined && tgps <= 0) {
    errs.push(invalid(p.child("terminationGracePeriodSeconds"), tgps, "must be greater than 0"));
  }
  if (opts.kind !== "readiness" && (num(probe.successThreshold) ?? 0) !== 1) {
    errs.push(invalid(p.child("successThreshold"), num(probe.successThreshold) ?? 0, "must be 1"));
  }
  if (opts.kind === "readiness" && tgps !== undefined) {
    errs.push(
      invalid(
        p.child("terminationGracePeriodSeconds"),
        tgps,
        "must not be set for readinessProbes",
      ),
    );
  }
  return errs;
}

/** Lifecycle hooks and the three probes, for regular and restartable init containers. */
export function validateProbesAndLifecycle(
  c: Obj,
  p: FieldPath,
  gracePeriod: number | undefined,
): FieldError[] {
  const errs: FieldError[] = [];
  if (isObj(c.lifecycle)) {
    for (const hook of ["postStart", "preStop"]) {
      const h = c.lifecycle[hook];
      if (!isObj(h)) continue;
      errs.push(
        ...validateHandler(h, p.child("lifecycle", hook), {
          allowed: ["exec", "httpGet", "tcpSocket", "sleep"],
          gracePeriod,
        }),
      );
    }
  }
  errs.push(
    ...validateProbe(c.livenessProbe, p.child("livenessProbe"), { kind: "liveness", gracePeriod }),
  );
  errs.push(
    ...validateProbe(c.readinessProbe, p.child("readinessProbe"), {
      kind: "readiness",
      gracePeriod,
    }),
  );
  errs.push(
    ...validateProbe(c.startupProbe, p.child("startupProbe"), { kind: "startup", gracePeriod }),
  );
  return errs;
}

const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
const TERMINATION_MESSAGE_POLICIES = ["File", "FallbackToLogsOnError"];

function validateSecurityContext(sc: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(sc)) return errs;
  const uid = num(sc.runAsUser);
  if (uid !== undefined)
    for (const m of isValidUserID(uid)) errs.push(invalid(p.child("runAsUser"), uid, m));
  const gid = num(sc.runAsGroup);
  if (gid !== undefined)
    for (const m of isValidGroupID(gid)) errs.push(invalid(p.child("runAsGroup"), gid, m));
  if (sc.privileged === true && sc.allowPrivilegeEscalation === false) {
    errs.push(
      invalid(p, "", "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"),
    );
  }
  return errs;
}

/** Checks shared by regular, init and ephemeral containers. */
export function validateContainerCommon(
  c: Obj,
  volumes: ReadonlyMap<string, Obj>,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name);
  if (name.length === 0) errs.push(required(p.child("name")));
  else for (const m of isDNS1123Label(name)) errs.push(invalid(p.child("name"), name, m));
  if (str(c.image).length === 0) errs.push(required(p.child("image")));
  const tmp = str(c.terminationMessagePolicy);
  if (tmp.length === 0) errs.push(required(p.child("terminationMessagePolicy")));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp)) {
    errs.push(notSupported(p.child("terminationMessagePolicy"), tmp, TERMINATION_MESSAGE_POLICIES));
  }
  errs.push(...validateContainerPorts(c.ports, p.child("ports")));
  errs.push(...validateEnv(c.env, p.child("env")));
  errs.push(...validateEnvFrom(c.envFrom, p.child("envFrom")));
  errs.push(...validateVolumeMounts(c, volumes, p.child("volumeMounts")));
  const pull = str(c.imagePullPolicy);
  if (pull.length === 0) errs.push(required(p.child("imagePullPolicy")));
  else if (!PULL_POLICIES.includes(pull)) {
    errs.push(notSupported(p.child("imagePullPolicy"), pull, PULL_POLICIES));
  }
  errs.push(...validateResourceRequirements(c.resources, p.child("resources")));
  errs.push(...validateSecurityContext(c.securityContext, p.child("securityContext")));
  return errs;
}

/** Duplicate hostPort/protocol/hostIP triples across a set of containers. */
export function checkHostPortConflicts(containers: readonly Obj[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    objList(c.ports).forEach((port, pi) => {
      const hp = num(port.hostPort) ?? 0;
      if (hp === 0) return;
      const key = `${str(port.protocol)}/${str(port.hostIP)}/${hp}`;
      if (seen.has(key))
        errs.push(duplicate(p.index(ci).child("ports").index(pi).child("hostPort"), key));
      else seen.add(key);
    });
  });
  return errs;
}
