import type { KubeObject } from "../../api/strategy.js";
import { parseQuantityJSON, type Quantity } from "../../machinery/quantity/index.js";
import type { Store } from "../../storage/types.js";
import { decodeValue } from "../registry/codec.js";
import { forbidden } from "../status.js";
import type { AdmissionAttributes, AdmissionPlugin } from "./chain.js";
import { podResource } from "./resource-quota.js";

type ResourceList = Record<string, string>;
interface LimitItem {
  type?: string;
  max?: ResourceList;
  min?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}
interface Container {
  name?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

function q(value: unknown): Quantity | undefined {
  try {
    return parseQuantityJSON(value);
  } catch {
    return undefined;
  }
}

/** Fills missing container requests and limits from the Container defaults (upstream's defaultContainerResourceRequirements). */
function applyDefaults(containers: Container[], item: LimitItem): string[] {
  const changes: string[] = [];
  for (const c of containers) {
    c.resources ??= {};
    const res = c.resources;
    const setReq: string[] = [];
    const setLim: string[] = [];
    for (const [k, v] of Object.entries(item.default ?? {})) {
      res.limits ??= {};
      if (res.limits[k] === undefined) {
        res.limits[k] = v;
        setLim.push(k);
      }
    }
    for (const [k, v] of Object.entries(item.defaultRequest ?? {})) {
      res.requests ??= {};
      if (res.requests[k] === undefined) {
        res.requests[k] = v;
        setReq.push(k);
      }
    }
    if (setReq.length > 0)
      changes.push(`${setReq.join(", ")} request for container ${c.name ?? ""}`);
    if (setLim.length > 0) changes.push(`${setLim.join(", ")} limit for container ${c.name ?? ""}`);
  }
  return changes;
}

/** Upstream's minConstraint: the first violation for one resource, if any. */
function minViolation(
  scope: string,
  k: string,
  enforced: Quantity,
  req?: Quantity,
  lim?: Quantity,
): string | undefined {
  const e = enforced.toString();
  if (!req) return `minimum ${k} usage per ${scope} is ${e}.  No request is specified`;
  if (req.cmp(enforced) < 0)
    return `minimum ${k} usage per ${scope} is ${e}, but request is ${req.toString()}`;
  if (lim && lim.cmp(enforced) < 0)
    return `minimum ${k} usage per ${scope} is ${e}, but limit is ${lim.toString()}`;
  return undefined;
}

/** Upstream's maxConstraint: the first violation for one resource, if any. */
function maxViolation(
  scope: string,
  k: string,
  enforced: Quantity,
  req?: Quantity,
  lim?: Quantity,
): string | undefined {
  const e = enforced.toString();
  if (!lim) return `maximum ${k} usage per ${scope} is ${e}.  No limit is specified`;
  if (lim.cmp(enforced) > 0)
    return `maximum ${k} usage per ${scope} is ${e}, but limit is ${lim.toString()}`;
  if (req && req.cmp(enforced) > 0)
    return `maximum ${k} usage per ${scope} is ${e}, but request is ${req.toString()}`;
  return undefined;
}

/** Checks one set of requests/limits against min, max and the limit/request ratio. */
function check(
  scope: string,
  requests: ResourceList,
  limits: ResourceList,
  item: LimitItem,
): string[] {
  const errs: string[] = [];
  for (const [k, text] of Object.entries(item.min ?? {})) {
    const min = q(text);
    const v = min && minViolation(scope, k, min, q(requests[k]), q(limits[k]));
    if (v) errs.push(v);
  }
  for (const [k, text] of Object.entries(item.max ?? {})) {
    const max = q(text);
    const v = max && maxViolation(scope, k, max, q(requests[k]), q(limits[k]));
    if (v) errs.push(v);
  }
  for (const [k, ratioText] of Object.entries(item.maxLimitRequestRatio ?? {})) {
    const ratio = q(ratioText);
    const req = q(requests[k]);
    const lim = q(limits[k]);
    if (!ratio) continue;
    if (!req || req.milliValue() === 0) {
      errs.push(
        `${k} max limit to request ratio per ${scope} is ${ratio.toString()}, but no request is specified or request is 0`,
      );
      continue;
    }
    if (!lim || lim.milliValue() === 0) {
      errs.push(
        `${k} max limit to request ratio per ${scope} is ${ratio.toString()}, but no limit is specified or limit is 0`,
      );
      continue;
    }
    const actual = lim.milliValue() / req.milliValue();
    if (actual > ratio.milliValue() / 1000) {
      errs.push(
        `${k} max limit to request ratio per ${scope} is ${ratio.toString()}, but provided ratio is ${actual.toFixed(6)}`,
      );
    }
  }
  return errs;
}

/** Resource names any container of the pod requests or limits. */
function resourceNames(
  spec: { containers?: Container[]; initContainers?: Container[] },
  field: "requests" | "limits",
): Set<string> {
  const names = new Set<string>();
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const k of Object.keys(c.resources?.[field] ?? {})) names.add(k);
  }
  return names;
}

/**
 * Upstream's LimitRanger: containers without requests or limits get the
 * namespace's LimitRange defaults (recorded in the
 * `kubernetes.io/limit-ranger` annotation), and pods and claims outside a
 * LimitRange's min/max/ratio bounds are refused with 403.
 */
export function limitRanger(store: Store): AdmissionPlugin {
  const rangesIn = async (namespace: string): Promise<LimitItem[]> => {
    const listed = await store.list(`/registry/limitranges/${namespace}/`);
    return listed.items.flatMap(
      (kv) => (decodeValue(kv.value).spec as { limits?: LimitItem[] } | undefined)?.limits ?? [],
    );
  };
  const isTarget = (a: AdmissionAttributes) =>
    a.resource.group === "" &&
    (a.resource.plural === "pods" || a.resource.plural === "persistentvolumeclaims") &&
    a.subresource === "" &&
    a.operation === "CREATE";
  return {
    name: "LimitRanger",
    handles: isTarget,
    async admit(a) {
      if (a.resource.plural !== "pods") return;
      const items = (await rangesIn(a.namespace)).filter((i) => i.type === "Container");
      if (items.length === 0) return;
      const pod = a.object as KubeObject;
      const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
      const changes: string[] = [];
      for (const item of items) {
        changes.push(
          ...applyDefaults(spec.containers ?? [], item),
          ...applyDefaults(spec.initContainers ?? [], item),
        );
      }
      if (changes.length > 0) {
        pod.metadata ??= {};
        const meta = pod.metadata;
        meta.annotations = {
          ...(meta.annotations ?? {}),
          "kubernetes.io/limit-ranger": `LimitRanger plugin set: ${changes.join("; ")}`,
        };
      }
    },
    async validate(a) {
      const items = await rangesIn(a.namespace);
      if (items.length === 0) return;
      const obj = a.object as KubeObject;
      const errs: string[] = [];
      if (a.resource.plural === "pods") {
        const spec = (obj.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
        const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
        for (const item of items) {
          if (item.type === "Container") {
            for (const c of containers) {
              errs.push(
                ...check("Container", c.resources?.requests ?? {}, c.resources?.limits ?? {}, item),
              );
            }
          } else if (item.type === "Pod") {
            // The pod as a whole: containers summed, init containers at their largest, plus overhead.
            const total = (field: "requests" | "limits") =>
              Object.fromEntries(
                [...resourceNames(spec, field)].map((r) => [
                  r,
                  podResource(spec, field, r).toString(),
                ]),
              );
            errs.push(...check("Pod", total("requests"), total("limits"), item));
          }
        }
      } else {
        const res = (
          (obj.spec ?? {}) as { resources?: { requests?: ResourceList; limits?: ResourceList } }
        ).resources;
        for (const item of items.filter((i) => i.type === "PersistentVolumeClaim")) {
          // Claims: only the requested size counts, against min and max.
          const req = res?.requests ?? {};
          for (const [k, text] of Object.entries(item.min ?? {})) {
            const min = q(text);
            const v = min && minViolation("PersistentVolumeClaim", k, min, q(req[k]), undefined);
            if (v) errs.push(v);
          }
          for (const [k, text] of Object.entries(item.max ?? {})) {
            const max = q(text);
            const r = q(req[k]);
            if (max && r && r.cmp(max) > 0) {
              errs.push(
                `maximum ${k} usage per PersistentVolumeClaim is ${max.toString()}, but request is ${r.toString()}`,
              );
            }
          }
        }
      }
      if (errs.length > 0) {
        // One error reads bare, several as upstream's aggregate "[a, b]".
        const text = errs.length === 1 ? (errs[0] as string) : `[${errs.join(", ")}]`;
        throw forbidden(`${a.resource.plural} "${a.name}" is forbidden: ${text}`);
      }
    },
  };
}
