/**
 * The host route table through iproute2, in this network namespace or a
 * named one (`ip -n NAME ...`, so tests never touch the host's table).
 * Every route written carries k8ts' protocol tag; only tagged routes are
 * ever deleted.
 */
import { type CommandRunner, hostRunner, runOk } from "../../proxy/exec.js";
import type { PodRoute } from "./desired.js";
import type { HostRoute } from "./diff.js";
import { parseRoutes, parseSubnets, type TableView } from "./parse.js";

/**
 * The `proto` number on k8ts' routes (75, ASCII 'K'; unassigned in
 * /etc/iproute2/rt_protos), as flannel and kube-router tag theirs: a
 * restart finds its own routes by it and prunes the stale ones.
 */
export const K8TS_ROUTE_PROTO = 75;

export class IpRoutes {
  private readonly runner: CommandRunner;
  private readonly prefix: readonly string[];
  private readonly proto: string;

  constructor(
    opts: {
      /** Named network namespace to work in (default: this process's). */
      netns?: string;
      /** Runs `ip` (default: a child process on this host). */
      runner?: CommandRunner;
      /** Protocol tag (default K8TS_ROUTE_PROTO). */
      proto?: number;
    } = {},
  ) {
    this.runner = opts.runner ?? hostRunner;
    this.prefix = opts.netns ? ["ip", "-n", opts.netns] : ["ip"];
    this.proto = String(opts.proto ?? K8TS_ROUTE_PROTO);
  }

  private ip(args: readonly string[]): Promise<string> {
    return runOk(this.runner, { argv: [...this.prefix, ...args] });
  }

  /** The subnets of this host's IPv4 addresses. */
  async subnets(): Promise<string[]> {
    return parseSubnets(await this.ip(["-j", "-4", "addr", "show"]));
  }

  /** The main table's IPv4 routes: ours (by tag) and the destinations of all others. */
  async table(): Promise<TableView> {
    return parseRoutes(
      await this.ip(["-N", "-j", "-4", "route", "show", "table", "main"]),
      Number(this.proto),
    );
  }

  /** Adds the route, or moves our existing route to the same destination. */
  async replace(route: PodRoute): Promise<void> {
    await this.ip(["route", "replace", route.dst, "via", route.via, "proto", this.proto]);
  }

  /** Deletes one of our routes (the tag in the selector keeps anyone else's safe). */
  async delete(route: HostRoute): Promise<void> {
    await this.ip(["route", "del", route.dst, "proto", this.proto, "table", "main"]);
  }
}
