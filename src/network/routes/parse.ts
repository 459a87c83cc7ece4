/**
 * Reading `ip -json` output: the host's subnets (`ip -j -4 addr show`)
 * and its routes (`ip -N -j -4 route show table main`, protocols as
 * numbers), split into the ones carrying k8ts' protocol tag and the
 * destinations of everyone else's. Pure.
 */
import type { HostRoute } from "./diff.js";

export class IpOutputError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

function parseArray(text: string, what: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() || "[]");
  } catch (err) {
    throw new IpOutputError(`cannot read ${what}: not JSON`, { cause: err });
  }
  if (!Array.isArray(value)) throw new IpOutputError(`cannot read ${what}: not a JSON array`);
  return value;
}

function field(obj: unknown, key: string): unknown {
  return typeof obj === "object" && obj !== null
    ? (obj as Record<string, unknown>)[key]
    : undefined;
}

/** `a.b.c.d/n` of every global IPv4 address (host-scope ones like 127.0.0.1/8 are left out). */
export function parseSubnets(addrJson: string): string[] {
  const subnets: string[] = [];
  for (const link of parseArray(addrJson, "ip addr output")) {
    const infos = field(link, "addr_info");
    if (!Array.isArray(infos)) continue;
    for (const info of infos) {
      const local = field(info, "local");
      const prefix = field(info, "prefixlen");
      if (field(info, "family") !== "inet" || field(info, "scope") === "host") continue;
      if (typeof local === "string" && typeof prefix === "number")
        subnets.push(`${local}/${prefix}`);
    }
  }
  return subnets;
}

export interface TableView {
  /** Routes tagged with our protocol. */
  readonly ours: HostRoute[];
  /** Destinations of every other route (never replaced by us). */
  readonly foreignDsts: Set<string>;
}

/** Splits routes by protocol tag; a bare address (`10.1.2.3`) is read as `/32`. */
export function parseRoutes(routeJson: string, proto: number): TableView {
  const ours: HostRoute[] = [];
  const foreignDsts = new Set<string>();
  for (const route of parseArray(routeJson, "ip route output")) {
    const raw = field(route, "dst");
    if (typeof raw !== "string") continue;
    const dst = raw === "default" ? "0.0.0.0/0" : raw.includes("/") ? raw : `${raw}/32`;
    const gateway = field(route, "gateway");
    if (String(field(route, "protocol")) === String(proto))
      ours.push({ dst, via: typeof gateway === "string" ? gateway : undefined });
    else foreignDsts.add(dst);
  }
  return { ours, foreignDsts };
}
