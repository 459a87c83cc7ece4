/**
 * The data plane's view of the routes: the current table, swapped whole
 * (one assignment, so a request sees either the old table or the new one,
 * never a mix), and the round-robin turns. `pick` answers where one
 * request goes.
 */
import type { Endpoint } from "./backends.js";
import { RoundRobin } from "./balancer.js";
import { requestPath } from "./paths.js";
import { EMPTY_TABLE, lookup, type RouteMatch, type RouteTable } from "./routes.js";

export type Pick =
  | { readonly kind: "unrouted" }
  | { readonly kind: "unavailable"; readonly match: RouteMatch }
  | { readonly kind: "endpoint"; readonly match: RouteMatch; readonly endpoint: Endpoint };

export class Router {
  private current: RouteTable = EMPTY_TABLE;
  private readonly balancer = new RoundRobin();

  get table(): RouteTable {
    return this.current;
  }

  swap(table: RouteTable): void {
    this.current = table;
    this.balancer.retain(table.backends);
  }

  /** Where a request with this Host header and request target goes. */
  pick(req: { host: string; target: string }): Pick {
    const match = lookup(this.current, { host: req.host, path: requestPath(req.target) });
    if (!match) return { kind: "unrouted" };
    const endpoint = this.balancer.next(match.backend);
    return endpoint ? { kind: "endpoint", match, endpoint } : { kind: "unavailable", match };
  }
}

/** The 503 message for a backend without endpoints. */
export function unavailableMessage(match: RouteMatch): string {
  return `${match.backend.key}: ${match.backend.problem ?? "no endpoints"}`;
}
