/** Pods: create, update (mostly immutable spec) and status updates. */
import {
  type FieldError,
  forbidden,
  invalid,
  path,
  required,
} from "../../machinery/field-errors.js";
import type { KubeObject } from "../strategy.js";
import { validateImmutable } from "./metadata.js";
import { IP_ERROR, ipFamilyOf, isDNS1123Subdomain, isQualifiedName } from "./names.js";
import { validatePodSpec } from "./pod-spec.js";
import { validateTolerations } from "./scheduling.js";
import { clone, isObj, num, type Obj, objList, semanticEqual, str } from "./shape.js";
import { projectedTokenSources } from "./volumes.js";

const spec = (o: KubeObject): Obj => (isObj(o.spec) ? o.spec : {});
const status = (o: KubeObject): Obj => (isObj(o.status) ? o.status : {});

/** A Pod's own fields (metadata is checked generically). */
export function validatePod(pod: KubeObject): FieldError[] {
  const sp = path("spec");
  const s = spec(pod);
  const errs = validatePodSpec(s, sp, { isPod: true });
  const annotations = isObj(pod.metadata?.annotations) ? pod.metadata.annotations : {};
  const mirror = annotations["kubernetes.io/config.mirror"];
  if (typeof mirror === "string" && str(s.nodeName).length === 0) {
    errs.push(
      invalid(
        path("metadata", "annotations").key("kubernetes.io/config.mirror"),
        mirror,
        "must set spec.nodeName if mirror pod annotation is set",
      ),
    );
  }
  if (str(s.serviceAccountName) === "") {
    for (const [vi, si] of projectedTokenSources(s.volumes)) {
      errs.push(
        forbidden(
          sp
            .child("volumes")
            .index(vi)
            .child("projected", "sources")
            .index(si)
            .child("serviceAccountToken"),
          "must not be specified when serviceAccountName is not set",
        ),
      );
    }
  }
  for (const kind of ["containers", "initContainers", "ephemeralContainers"]) {
    objList(s[kind]).forEach((c, i) => {
      const image = str(c.image);
      if (image !== image.trim()) {
        errs.push(
          invalid(
            sp.child(kind).index(i).child("image"),
            image,
            "must not have leading or trailing whitespace",
          ),
        );
      }
    });
  }
  return errs;
}

const UPDATABLE_FIELDS = [
  "`spec.containers[*].image`",
  "`spec.initContainers[*].image`",
  "`spec.activeDeadlineSeconds`",
  "`spec.tolerations` (only additions to existing tolerations)",
  "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
];

/** A short account of which fields under `at` differ (upstream prints a Go cmp.Diff here). */
export function describeDiff(old: unknown, next: unknown, at: string, out: string[]): void {
  if (semanticEqual(old, next)) return;
  if (isObj(old) && isObj(next)) {
    for (const k of new Set([...Object.keys(old), ...Object.keys(next)])) {
      describeDiff(old[k], next[k], `${at}.${k}`, out);
    }
    return;
  }
  if (Array.isArray(old) && Array.isArray(next) && old.length === next.length) {
    old.forEach((v, i) => {
      describeDiff(v, next[i], `${at}[${i}]`, out);
    });
    return;
  }
  out.push(`  ${at}: ${JSON.stringify(old ?? null)} -> ${JSON.stringify(next ?? null)}`);
}

function containerUpdates(
  kind: string,
  next: Obj[],
  old: Obj[],
): { errs: FieldError[]; stop: boolean } {
  const p = path("spec", kind);
  if (next.length !== old.length) {
    return { errs: [forbidden(p, "pod updates may not add or remove containers")], stop: true };
  }
  const errs: FieldError[] = [];
  next.forEach((c, i) => {
    const image = str(c.image);
    if (image.length === 0) errs.push(required(p.index(i).child("image")));
    if (image.trim().length !== image.length) {
      errs.push(
        invalid(p.index(i).child("image"), image, "must not have leading or trailing whitespace"),
      );
    }
  });
  return { errs, stop: false };
}

function validateOnlyAddedTolerations(next: unknown, old: unknown): FieldError[] {
  const p = path("spec", "tolerations");
  const nextList = objList(next);
  for (const o of objList(old)) {
    const found = nextList.some((n) =>
      semanticEqual({ ...o, tolerationSeconds: n.tolerationSeconds }, n),
    );
    if (!found)
      return [forbidden(p, "existing toleration can not be modified except its tolerationSeconds")];
  }
  return validateTolerations(next, p);
}

/** ValidatePodUpdate's spec rules: only images, activeDeadlineSeconds, tolerations and gates may change. */
export function validatePodUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec(pod);
  const os = spec(old);
  for (const kind of ["containers", "initContainers"]) {
    const r = containerUpdates(kind, objList(s[kind]), objList(os[kind]));
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const sp = path("spec");
  const ads = num(s.activeDeadlineSeconds);
  const oldAds = num(os.activeDeadlineSeconds);
  if (ads !== undefined) {
    if (ads < 0 || ads > 2147483647) {
      errs.push(
        invalid(
          sp.child("activeDeadlineSeconds"),
          ads,
          "must be between 0 and 2147483647, inclusive",
        ),
      );
      return errs;
    }
    if (oldAds !== undefined && oldAds < ads) {
      errs.push(
        invalid(
          sp.child("activeDeadlineSeconds"),
          ads,
          "must be less than or equal to previous value",
        ),
      );
      return errs;
    }
  } else if (oldAds !== undefined) {
    errs.push(
      invalid(
        sp.child("activeDeadlineSeconds"),
        null,
        "must not update from a positive integer to nil value",
      ),
    );
  }
  errs.push(...validateOnlyAddedTolerations(s.tolerations, os.tolerations));
  const oldGates = new Set(objList(os.schedulingGates).map((g) => str(g.name)));
  objList(s.schedulingGates).forEach((g, i) => {
    const name = str(g.name);
    if (!oldGates.has(name)) {
      errs.push(
        forbidden(
          sp.child("schedulingGates").index(i).child("name"),
          `only deletion is allowed, but found new scheduling gate '${name}'`,
        ),
      );
    }
  });
  if (semanticEqual(s, os)) return errs;
  const munged = clone(s);
  for (const kind of ["containers", "initContainers"]) {
    const oldList = objList(os[kind]);
    objList(munged[kind]).forEach((c, i) => {
      c.image = oldList[i]?.image;
    });
  }
  munged.activeDeadlineSeconds = os.activeDeadlineSeconds;
  munged.schedulingGates = os.schedulingGates;
  munged.tolerations = os.tolerations;
  const oldGrace = num(os.terminationGracePeriodSeconds);
  if (oldGrace !== undefined && oldGrace < 0 && num(munged.terminationGracePeriodSeconds) === 1) {
    munged.terminationGracePeriodSeconds = oldGrace;
  }
  if (!semanticEqual(munged, os)) {
    const diff: string[] = [];
    describeDiff(os, munged, "spec", diff);
    errs.push(
      forbidden(
        sp,
        `pod updates may not change fields other than ${UPDATABLE_FIELDS.join(",")}\n${diff.join("\n")}`,
      ),
    );
  }
  return errs;
}

const SYSTEM_CONDITIONS = new Set(["PodScheduled", "Ready", "Initialized"]);

/** ValidatePodStatusUpdate: node binding and QoS class stay put; IPs are well-formed. */
export function validatePodStatusUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const st = status(pod);
  const sp = path("status");
  objList(st.conditions).forEach((c, i) => {
    const t = str(c.type);
    if (SYSTEM_CONDITIONS.has(t)) return;
    for (const m of isQualifiedName(t)) {
      errs.push(invalid(path("metadata", "conditions").index(i).child("Type"), t, m));
    }
  });
  if (str(spec(pod).nodeName) !== str(spec(old).nodeName)) {
    errs.push(forbidden(sp.child("nodeName"), "may not be changed directly"));
  }
  const nominated = str(st.nominatedNodeName);
  if (nominated !== str(status(old).nominatedNodeName) && nominated.length > 0) {
    for (const m of isDNS1123Subdomain(nominated))
      errs.push(invalid(sp.child("nominatedNodeName"), nominated, m));
  }
  errs.push(...validateImmutable(st.qosClass, status(old).qosClass, sp.child("qosClass")));
  for (const field of ["podIPs", "hostIPs"]) {
    const ips = objList(st[field]);
    ips.forEach((ip, i) => {
      if (ipFamilyOf(str(ip.ip)) === undefined)
        errs.push(invalid(sp.child(field).index(i), str(ip.ip), IP_ERROR));
    });
    if (ips.length > 1) {
      const fams = ips.map((ip) => ipFamilyOf(str(ip.ip)));
      if (ips.length > 2 || fams[0] === fams[1]) {
        errs.push(
          invalid(sp.child(field), st[field], "may specify no more than one IP for each IP family"),
        );
      }
    }
  }
  const hostIPs = objList(st.hostIPs);
  if (hostIPs.length > 0 && str(hostIPs[0]?.ip) !== str(st.hostIP)) {
    errs.push(
      invalid(
        sp.child("hostIPs").index(0).child("ip"),
        str(hostIPs[0]?.ip),
        "must be equal to `hostIP`",
      ),
    );
  }
  return errs;
}
