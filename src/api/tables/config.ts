/** Namespaced configuration and bookkeeping kinds: namespaces, secrets, config maps, quotas, leases. */
import type { Lease } from "kubernetes-types/coordination/v1.js";
import type {
  ConfigMap,
  Namespace,
  ResourceQuota,
  Secret,
  ServiceAccount,
} from "kubernetes-types/core/v1.js";
import type { PriorityClass } from "kubernetes-types/scheduling/v1.js";
import type { KubeObject } from "../strategy.js";
import { since } from "./duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, nameOf, quantity, view, wide } from "./format.js";
import type { TablePrinter } from "./types.js";

function age(obj: KubeObject, now: Date): string {
  return since(obj.metadata?.creationTimestamp, now);
}

function count(map: object | null | undefined): number {
  return map ? Object.keys(map).length : 0;
}

export const namespacePrinter: TablePrinter = {
  columns: [NAME_COLUMN, column("Status", { description: "Phase of the namespace." }), AGE_COLUMN],
  row(obj, now) {
    return [nameOf(obj), view<Namespace>(obj).status?.phase ?? "", age(obj, now)];
  },
};

export const secretPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Type", { description: "Type of the secret's contents." }),
    column("Data", { description: "Number of keys in the secret." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const secret = view<Secret>(obj);
    return [nameOf(obj), secret.type ?? "", count(secret.data), age(obj, now)];
  },
};

export const configMapPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Data", { description: "Number of keys, text and binary, in the config map." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const cm = view<ConfigMap>(obj);
    return [nameOf(obj), count(cm.data) + count(cm.binaryData), age(obj, now)];
  },
};

export const serviceAccountPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Secrets", { description: "Number of secrets listed on the service account." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    return [nameOf(obj), view<ServiceAccount>(obj).secrets?.length ?? 0, age(obj, now)];
  },
};

/** `resource: used/hard` pairs sorted by resource; `limits.*` go to the second cell. */
function quotaCells(rq: ResourceQuota): { requests: string; limits: string } {
  const hard = rq.status?.hard ?? {};
  const used = rq.status?.used ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const resource of Object.keys(hard).sort()) {
    const pieces = resource.split(".");
    const target = pieces.length > 1 && pieces[0] === "limits" ? limits : requests;
    target.push(`${resource}: ${quantity(used[resource])}/${quantity(hard[resource])}`);
  }
  return { requests: requests.join(", "), limits: limits.join(", ") };
}

export const resourceQuotaPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Request", { description: "Used and hard amounts of each non-limit resource." }),
    column("Limit", { description: "Used and hard amounts of each limits.* resource." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const { requests, limits } = quotaCells(view<ResourceQuota>(obj));
    return [nameOf(obj), requests, limits, age(obj, now)];
  },
};

export const leasePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Holder", { description: "Identity of the current holder of the lease." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    return [nameOf(obj), view<Lease>(obj).spec?.holderIdentity ?? "", age(obj, now)];
  },
};

export const priorityClassPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Value", { type: "integer", description: "Priority given to pods of this class." }),
    column("Global-Default", {
      type: "boolean",
      description: "Whether pods without a class get this one.",
    }),
    AGE_COLUMN,
    wide("PreemptionPolicy", "Whether pods of this class may preempt lower-priority pods."),
  ],
  row(obj, now) {
    const pc = view<PriorityClass>(obj);
    return [
      nameOf(obj),
      pc.value ?? 0,
      pc.globalDefault ?? false,
      age(obj, now),
      pc.preemptionPolicy ?? "",
    ];
  },
};
