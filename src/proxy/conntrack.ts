/**
 * Stale UDP flows. UDP has no connection teardown, so a conntrack entry
 * that DNATs a client to an endpoint that is gone keeps black-holing that
 * client's packets until it times out. As upstream (1.31+), after each
 * sync every UDP flow to a service IP or NodePort whose reply source is
 * not a serving endpoint of that service is deleted.
 */
import type { EndpointsMap } from "./endpoints.js";
import type { ServicePortInfo } from "./service-port.js";

export interface ConntrackFlow {
  readonly protocol: string;
  /** Original direction destination: the address the client sent to. */
  readonly origDst: string;
  readonly origDport: number;
  /** Reply direction source: who answers (the endpoint, after DNAT). */
  readonly replySrc: string;
}

/**
 * `conntrack -L` lines, e.g.
 * `udp 17 28 src=10.0.0.2 dst=10.43.0.10 sport=37871 dport=53 [UNREPLIED] src=10.42.0.7 dst=10.0.0.2 sport=53 dport=37871 mark=0 use=1`:
 * the first src/dst/sport/dport are the original tuple, the second the reply.
 */
export function parseConntrackList(text: string): ConntrackFlow[] {
  const flows: ConntrackFlow[] = [];
  for (const line of text.split("\n")) {
    const tokens = line.trim().split(/\s+/);
    const protocol = tokens[0];
    if (!protocol || !/^[a-z]+$/.test(protocol)) continue;
    const seen: Record<string, string[]> = {};
    for (const t of tokens) {
      const eq = t.indexOf("=");
      if (eq <= 0) continue;
      const key = t.slice(0, eq);
      const values = seen[key] ?? [];
      values.push(t.slice(eq + 1));
      seen[key] = values;
    }
    const origDst = seen.dst?.[0];
    const replySrc = seen.src?.[1];
    const origDport = Number(seen.dport?.[0]);
    if (!origDst || !replySrc || !Number.isInteger(origDport)) continue;
    flows.push({ protocol, origDst, origDport, replySrc });
  }
  return flows;
}

/** Whether any service port is UDP (the only case that needs a conntrack pass). */
export function hasUdpService(services: readonly ServicePortInfo[]): boolean {
  return services.some((s) => s.protocol === "udp");
}

/** `conntrack` argument lists deleting every stale UDP flow (deduplicated). */
export function staleFlowDeletions(
  flows: readonly ConntrackFlow[],
  state: { services: readonly ServicePortInfo[]; endpoints: EndpointsMap },
): string[][] {
  const byIP = new Map<string, Set<string>>();
  const byNodePort = new Map<number, Set<string>>();
  for (const sp of state.services) {
    if (sp.protocol !== "udp") continue;
    // Policies and topology do not matter here: a flow to any serving endpoint may live on.
    const serving = new Set(
      (state.endpoints.get(sp.key) ?? []).filter((e) => e.serving).map((e) => e.ip),
    );
    for (const ip of [sp.clusterIP, ...sp.externalIPs, ...sp.loadBalancerIPs])
      byIP.set(ip, serving);
    if (sp.nodePort !== 0) byNodePort.set(sp.nodePort, serving);
  }
  const out = new Map<string, string[]>();
  for (const f of flows) {
    if (f.protocol !== "udp") continue;
    const forIP = byIP.get(f.origDst);
    if (forIP && !forIP.has(f.replySrc)) {
      const args = ["-D", "-p", "udp", "--orig-dst", f.origDst, "--reply-src", f.replySrc];
      out.set(args.join(" "), args);
    }
    const forPort = byNodePort.get(f.origDport);
    if (forPort && !forPort.has(f.replySrc)) {
      const args = [
        "-D",
        "-p",
        "udp",
        "--orig-port-dst",
        String(f.origDport),
        "--reply-src",
        f.replySrc,
      ];
      out.set(args.join(" "), args);
    }
  }
  return [...out.values()];
}
