/**
 * The value of a resourceFieldRef (upstream resource.ExtractContainerResourceValue):
 * a request or limit in units of the divisor, rounded up. cpu divides
 * millicores; memory, ephemeral-storage and hugepages-* divide whole units.
 * An unset amount is 0; a divisor that is unset or 0 means 1. Pure.
 */
import type { ResourceFieldSelector } from "kubernetes-types/core/v1.js";
import { FieldPathError } from "./errors.js";
import { quantityOf, type ResourceList } from "./quantity.js";

/** The lists a resource is read from (a container's, limits perhaps defaulted first). */
export interface ResourceLists {
  requests?: ResourceList | undefined;
  limits?: ResourceList | undefined;
}

/** ceil(a / b) for b > 0. */
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** `resource` ("limits.cpu", "requests.hugepages-2Mi", …) as its list, name and scale; undefined when unsupported. */
function parseResource(
  resource: string,
): { list: "limits" | "requests"; name: string } | undefined {
  const dot = resource.indexOf(".");
  if (dot < 0) return undefined;
  const list = resource.slice(0, dot);
  const name = resource.slice(dot + 1);
  if (list !== "limits" && list !== "requests") return undefined;
  const known =
    name === "cpu" ||
    name === "memory" ||
    name === "ephemeral-storage" ||
    name.startsWith("hugepages-");
  return known ? { list, name } : undefined;
}

/** The text of `fs` read from `lists`; a FieldPathError for an unsupported resource or a bad quantity. */
export function containerResourceValue(fs: ResourceFieldSelector, lists: ResourceLists): string {
  const given = fs.divisor === undefined ? undefined : quantityOf(fs.divisor);
  const divisor = given === undefined || given.isZero() ? quantityOf("1") : given;
  const parsed = parseResource(fs.resource);
  if (parsed === undefined)
    throw new FieldPathError(`unsupported container resource : ${fs.resource}`);
  const list = lists[parsed.list] ?? {};
  const amount = quantityOf(Object.hasOwn(list, parsed.name) ? list[parsed.name] : undefined);
  const scale = parsed.name === "cpu" ? -3 : 0;
  const d = divisor.scaledValue(scale);
  if (d <= 0n) throw new FieldPathError(`invalid divisor ${fs.divisor}: must be positive`);
  return String(ceilDiv(amount.scaledValue(scale), d));
}
