/**
 * The jumps from the built-in chains into ours. They cannot be part of the
 * iptables-restore input (that would mean owning all of PREROUTING,
 * FORWARD, ...), so they are checked and inserted one by one, and only
 * when an iptables-save shows one missing.
 */
import {
  KUBE_EXTERNAL_SERVICES,
  KUBE_FIREWALL,
  KUBE_FORWARD,
  KUBE_NODEPORTS,
  KUBE_POSTROUTING,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
} from "./names.js";
import type { SavedTables } from "./save.js";
import { quote } from "./writer.js";

export interface Jump {
  readonly table: "filter" | "nat";
  /** The built-in chain the jump sits in. */
  readonly from: string;
  /** Our chain it jumps to. */
  readonly to: string;
  readonly comment: string;
  /** Matches before the comment (only new connections, for the filter chains). */
  readonly extra: readonly string[];
}

const NEW = ["-m", "conntrack", "--ctstate", "NEW"];

function jump(
  table: Jump["table"],
  spec: { from: string; to: string; comment: string; new?: boolean },
): Jump {
  return { table, from: spec.from, to: spec.to, comment: spec.comment, extra: spec.new ? NEW : [] };
}

const EXTERNAL = { comment: "kubernetes externally-visible service portals", new: true };
const PORTALS = { comment: "kubernetes service portals" };
const FIREWALL = { comment: "kubernetes load balancer firewall", new: true };

/** Upstream's iptablesJumpChains. */
export const JUMPS: readonly Jump[] = [
  jump("filter", { from: "INPUT", to: KUBE_EXTERNAL_SERVICES, ...EXTERNAL }),
  jump("filter", { from: "FORWARD", to: KUBE_EXTERNAL_SERVICES, ...EXTERNAL }),
  jump("filter", {
    from: "INPUT",
    to: KUBE_NODEPORTS,
    comment: "kubernetes health check service ports",
  }),
  jump("filter", { from: "FORWARD", to: KUBE_SERVICES, ...PORTALS, new: true }),
  jump("filter", { from: "OUTPUT", to: KUBE_SERVICES, ...PORTALS, new: true }),
  jump("filter", { from: "FORWARD", to: KUBE_FORWARD, comment: "kubernetes forwarding rules" }),
  jump("filter", { from: "INPUT", to: KUBE_PROXY_FIREWALL, ...FIREWALL }),
  jump("filter", { from: "OUTPUT", to: KUBE_PROXY_FIREWALL, ...FIREWALL }),
  jump("filter", { from: "FORWARD", to: KUBE_PROXY_FIREWALL, ...FIREWALL }),
  jump("nat", { from: "OUTPUT", to: KUBE_SERVICES, ...PORTALS }),
  jump("nat", { from: "PREROUTING", to: KUBE_SERVICES, ...PORTALS }),
  jump("nat", {
    from: "POSTROUTING",
    to: KUBE_POSTROUTING,
    comment: "kubernetes postrouting rules",
  }),
];

/** The kubelet's jumps to its anti-martian chain (k8ts' kubelet leaves this to the proxy). */
export const FIREWALL_JUMPS: readonly Jump[] = [
  { table: "filter", from: "INPUT", to: KUBE_FIREWALL, comment: "", extra: [] },
  { table: "filter", from: "OUTPUT", to: KUBE_FIREWALL, comment: "", extra: [] },
];

/** The rule's match and target, as iptables arguments. */
export function jumpRuleArgs(j: Jump): string[] {
  return [...j.extra, ...(j.comment ? ["-m", "comment", "--comment", j.comment] : []), "-j", j.to];
}

/** The rule as iptables-save prints it. */
export function jumpSaveLine(j: Jump): string {
  const args = jumpRuleArgs(j).map((a, i, all) => (all[i - 1] === "--comment" ? quote(a) : a));
  return `-A ${j.from} ${args.join(" ")}`;
}

/** Jumps whose chain or rule the saved tables lack. */
export function missingJumps(saved: SavedTables, jumps: readonly Jump[]): Jump[] {
  return jumps.filter((j) => {
    const table = saved.get(j.table);
    return !(table?.chains.includes(j.to) && table.rules.includes(jumpSaveLine(j)));
  });
}
