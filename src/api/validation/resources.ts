/** Compute resource names and quantities (requests, limits, overhead). */
import {
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  required,
} from "../../machinery/field-errors.js";
import { IS_NEGATIVE } from "./metadata.js";
import { isQualifiedName } from "./names.js";
import {
  compareQuantities,
  parseQuantity,
  QUANTITY_FORMAT_ERROR,
  quantityText,
} from "./quantity.js";
import { isObj, type Obj } from "./shape.js";

const STANDARD_CONTAINER = new Set(["cpu", "memory", "ephemeral-storage"]);
const STANDARD_RESOURCES = new Set([
  "cpu",
  "memory",
  "ephemeral-storage",
  "storage",
  "pods",
  "services",
  "replicationcontrollers",
  "resourcequotas",
  "secrets",
  "configmaps",
  "persistentvolumeclaims",
  "services.nodeports",
  "services.loadbalancers",
  "requests.cpu",
  "requests.memory",
  "requests.storage",
  "requests.ephemeral-storage",
  "limits.cpu",
  "limits.memory",
  "limits.ephemeral-storage",
]);

export function isHugePages(name: string): boolean {
  return name.startsWith("hugepages-");
}

/** Whether a name is native: unprefixed or in the kubernetes.io domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes("/") || name.includes("kubernetes.io/");
}

/** Overcommit (request below limit) is allowed only for native, non-hugepage resources. */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePages(name);
}

/** Whether a resource takes only integer quantities (extended resources, object counts). */
function isIntegerResource(name: string): boolean {
  if (!isNativeResource(name)) return !name.startsWith("requests.");
  return name === "pods" || name === "services" || name.startsWith("count/");
}

function validateResourceName(name: string, p: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(p, name, m));
  if (errs.length > 0) return errs;
  if (!name.includes("/") && !STANDARD_RESOURCES.has(name) && !isHugePages(name)) {
    errs.push(invalid(p, name, "must be a standard resource type or fully qualified"));
  }
  return errs;
}

export function validateContainerResourceName(name: string, p: FieldPath): FieldError[] {
  const errs = validateResourceName(name, p);
  if (!name.includes("/")) {
    if (!STANDARD_CONTAINER.has(name) && !isHugePages(name)) {
      errs.push(invalid(p, name, "must be a standard resource for containers"));
    }
  }
  return errs;
}

/** ValidateResourceQuantityValue: well-formed, non-negative, integer where required. */
export function validateQuantity(name: string, q: unknown, p: FieldPath): FieldError[] {
  const v = parseQuantity(q);
  if (v === undefined) return [invalid(p, quantityText(q), QUANTITY_FORMAT_ERROR)];
  if (v < 0) return [invalid(p, quantityText(q), IS_NEGATIVE)];
  if (isIntegerResource(name) && !Number.isInteger(v)) {
    return [invalid(p, quantityText(q), "must be an integer")];
  }
  return [];
}

/** A container's (or the pod's) resources: names, quantities, requests <= limits. */
export function validateResourceRequirements(res: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(res)) return errs;
  const limits: Obj = isObj(res.limits) ? res.limits : {};
  const requests: Obj = isObj(res.requests) ? res.requests : {};
  const limPath = p.child("limits");
  const reqPath = p.child("requests");
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, q] of Object.entries(limits)) {
    const fp = limPath.key(name);
    errs.push(...validateContainerResourceName(name, fp));
    errs.push(...validateQuantity(name, q, fp));
    if (isHugePages(name)) hugePages = true;
    if (name === "cpu" || name === "memory") cpuOrMemory = true;
  }
  for (const [name, q] of Object.entries(requests)) {
    const fp = reqPath.key(name);
    errs.push(...validateContainerResourceName(name, fp));
    errs.push(...validateQuantity(name, q, fp));
    if (Object.hasOwn(limits, name)) {
      const lim = limits[name];
      const cmp = compareQuantities(q, lim);
      if (cmp !== undefined && cmp !== 0 && !isOvercommitAllowed(name)) {
        errs.push(
          invalid(
            reqPath,
            quantityText(q),
            `must be equal to ${name} limit of ${quantityText(lim)}`,
          ),
        );
      } else if (cmp !== undefined && cmp > 0) {
        errs.push(
          invalid(
            reqPath,
            quantityText(q),
            `must be less than or equal to ${name} limit of ${quantityText(lim)}`,
          ),
        );
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(required(limPath, "Limit must be set for non overcommitable resources"));
    }
    if (isHugePages(name)) hugePages = true;
    if (name === "cpu" || name === "memory") cpuOrMemory = true;
  }
  if (!cpuOrMemory && hugePages) errs.push(forbidden(p, "HugePages require cpu or memory"));
  return errs;
}
