/**
 * The node's and pod's addresses as the downward API reports them. Pod IPs
 * are ordered by the node's IP family preference (upstream sortPodIPs): at
 * most one address of the node's primary family, then one of the other.
 */
import { isIPv4, isIPv6 } from "node:net";
import type { EnvContext } from "./context.js";

/** At most one IP per family, the node's primary family (from its first IP) first. */
export function sortPodIPs(podIPs: readonly string[], nodeIPs: readonly string[]): string[] {
  const first = nodeIPs[0];
  const v4First = first === undefined || isIPv4(first);
  const primary = v4First ? isIPv4 : isIPv6;
  const secondary = v4First ? isIPv6 : isIPv4;
  const out: string[] = [];
  const a = podIPs.find((ip) => primary(ip));
  if (a !== undefined) out.push(a);
  const b = podIPs.find((ip) => secondary(ip));
  if (b !== undefined) out.push(b);
  return out;
}

/** The node's IPs: `hostIPs`, else `hostIP` alone. */
export function nodeIPs(ctx: EnvContext): string[] {
  if (ctx.hostIPs !== undefined && ctx.hostIPs.length > 0) return [...ctx.hostIPs];
  return ctx.hostIP !== undefined && ctx.hostIP !== "" ? [ctx.hostIP] : [];
}

/** The pod's IPs in the node's family order, and its primary IP. */
export function podAddresses(ctx: EnvContext): { podIP: string; podIPs: string[] } {
  const given = ctx.podIPs ?? (ctx.podIP !== undefined && ctx.podIP !== "" ? [ctx.podIP] : []);
  const podIPs = sortPodIPs(given, nodeIPs(ctx));
  return { podIP: podIPs[0] ?? ctx.podIP ?? "", podIPs };
}
