import type { ResourceDescriptor } from "../../api/resources.js";
import type { KubeObject } from "../../api/strategy.js";
import { parseQuantityJSON, Quantity } from "../../machinery/quantity/index.js";
import type { Store } from "../../storage/types.js";
import { decodeValue } from "../registry/codec.js";
import { prefixFor } from "../registry/keys.js";
import { forbidden } from "../status.js";
import type { AdmissionPlugin } from "./chain.js";

type ResourceList = Record<string, string>;
interface Container {
  resources?: { requests?: ResourceList; limits?: ResourceList };
}
interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  overhead?: ResourceList;
}

function q(v: unknown): Quantity {
  try {
    return parseQuantityJSON(v);
  } catch {
    return Quantity.zero();
  }
}

const isTerminal = (pod: KubeObject) => {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === "Succeeded" || phase === "Failed";
};

/**
 * A pod's effective request or limit of one resource: the larger of the sum
 * over its containers and the largest init container, plus overhead (the
 * rule the scheduler and quota share).
 */
export function podResource(spec: PodSpec, field: "requests" | "limits", name: string): Quantity {
  let sum = Quantity.zero();
  for (const c of spec.containers ?? []) sum = sum.add(q(c.resources?.[field]?.[name] ?? "0"));
  for (const c of spec.initContainers ?? []) {
    const v = q(c.resources?.[field]?.[name] ?? "0");
    if (v.cmp(sum) > 0) sum = v;
  }
  const overhead = spec.overhead?.[name];
  return overhead ? sum.add(q(overhead)) : sum;
}

/** What one object of a resource consumes, for every quota resource name it counts against. */
export function usageOf(d: ResourceDescriptor, obj: KubeObject): Map<string, Quantity> {
  const use = new Map<string, Quantity>();
  const one = Quantity.fromInt(1);
  const countName = d.group === "" ? `count/${d.plural}` : `count/${d.plural}.${d.group}`;
  use.set(countName, one);
  if (d.group !== "") return use;
  switch (d.plural) {
    case "pods": {
      if (isTerminal(obj)) return new Map();
      use.set("pods", one);
      const spec = (obj.spec ?? {}) as PodSpec;
      for (const r of ["cpu", "memory", "ephemeral-storage"]) {
        const req = podResource(spec, "requests", r);
        use.set(`requests.${r}`, req);
        if (r !== "ephemeral-storage") use.set(r, req);
        use.set(`limits.${r}`, podResource(spec, "limits", r));
      }
      break;
    }
    case "services": {
      use.set("services", one);
      const spec = (obj.spec ?? {}) as { type?: string; ports?: Array<{ nodePort?: number }> };
      if (spec.type === "LoadBalancer") use.set("services.loadbalancers", one);
      if (spec.type === "NodePort" || spec.type === "LoadBalancer") {
        use.set("services.nodeports", Quantity.fromInt((spec.ports ?? []).length));
      }
      break;
    }
    case "persistentvolumeclaims": {
      use.set("persistentvolumeclaims", one);
      const storage = (obj.spec as { resources?: { requests?: ResourceList } } | undefined)
        ?.resources?.requests?.storage;
      use.set("requests.storage", q(storage ?? "0"));
      break;
    }
    case "configmaps":
    case "secrets":
    case "replicationcontrollers":
    case "resourcequotas":
      use.set(d.plural, one);
      break;
  }
  return use;
}

interface Quota {
  metadata?: { name?: string };
  spec?: { hard?: ResourceList; scopes?: string[] };
}

/**
 * Upstream's ResourceQuota admission: a create that would take a namespace
 * past a quota's `hard` limits is refused with 403 ("exceeded quota").
 * Usage is counted from the stored objects at admission time (the quota
 * controller, which maintains status.used, comes with the controller
 * manager); two creates racing for the last unit can both pass until then.
 */
export function resourceQuota(
  store: Store,
  lookup: (group: string, plural: string) => ResourceDescriptor | undefined,
): AdmissionPlugin {
  return {
    name: "ResourceQuota",
    handles: (a) =>
      a.operation === "CREATE" &&
      a.subresource === "" &&
      a.resource.namespaced &&
      a.namespace !== "",
    async validate(a) {
      const quotas = (
        await store.list(prefixFor({ group: "", plural: "resourcequotas" }, a.namespace))
      ).items.map((kv) => decodeValue(kv.value) as Quota);
      if (quotas.length === 0) return;
      const requested = usageOf(a.resource, a.object as KubeObject);
      const violations: string[] = [];
      for (const quota of quotas) {
        if ((quota.spec?.scopes ?? []).length > 0) continue; // scoped quotas: not enforced yet
        const hard = quota.spec?.hard ?? {};
        const names = Object.keys(hard)
          .filter((n) => requested.has(n))
          .sort();
        if (names.length === 0) continue;
        const used = await usageIn(store, lookup, a.namespace, names);
        const over = names.filter(
          (n) =>
            (used.get(n) ?? Quantity.zero()).add(requested.get(n) as Quantity).cmp(q(hard[n])) > 0,
        );
        if (over.length === 0) continue;
        const list = (m: (n: string) => string) => over.map((n) => `${n}=${m(n)}`).join(",");
        violations.push(
          `exceeded quota: ${quota.metadata?.name ?? ""}, requested: ${list((n) => (requested.get(n) as Quantity).toString())}, used: ${list((n) => (used.get(n) ?? Quantity.zero()).toString())}, limited: ${list((n) => q(hard[n]).toString())}`,
        );
      }
      if (violations.length > 0) {
        throw forbidden(
          `${a.resource.group ? `${a.resource.plural}.${a.resource.group}` : a.resource.plural} "${a.name}" is forbidden: ${violations.join(", ")}`,
        );
      }
    },
  };
}

/** Current usage in a namespace of the given quota resource names. */
async function usageIn(
  store: Store,
  lookup: (group: string, plural: string) => ResourceDescriptor | undefined,
  namespace: string,
  names: readonly string[],
): Promise<Map<string, Quantity>> {
  const resources = new Set<string>();
  for (const n of names) {
    if (n.startsWith("count/")) resources.add(n.slice("count/".length));
    else if (/^(requests\.|limits\.)?(cpu|memory|ephemeral-storage)$/.test(n) || n === "pods")
      resources.add("pods");
    else if (n.startsWith("services")) resources.add("services");
    else if (n === "requests.storage" || n === "persistentvolumeclaims")
      resources.add("persistentvolumeclaims");
    else resources.add(n);
  }
  const total = new Map<string, Quantity>();
  for (const r of resources) {
    const dot = r.indexOf(".");
    const d = dot < 0 ? lookup("", r) : lookup(r.slice(dot + 1), r.slice(0, dot));
    if (!d) continue;
    const listed = await store.list(prefixFor(d, namespace));
    for (const kv of listed.items) {
      for (const [n, v] of usageOf(d, decodeValue(kv.value))) {
        if (!names.includes(n)) continue;
        const cur = total.get(n);
        total.set(n, cur ? cur.add(v) : v);
      }
    }
  }
  return total;
}
