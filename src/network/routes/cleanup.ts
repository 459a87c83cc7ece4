/**
 * `k8ts reset`'s part for the pod network between nodes: every route
 * carrying k8ts' protocol tag and the pod traffic chains (K8TS-*) with
 * the jumps to them. Nothing else is touched.
 */
import { type CommandRunner, hostRunner, netnsRunner } from "../../proxy/exec.js";
import { Iptables } from "../../proxy/iptables.js";
import { IpRoutes } from "./ip-route.js";

/** Resolves to whether anything was removed. */
export async function cleanupPodNetwork(
  opts: { netns?: string; runner?: CommandRunner } = {},
): Promise<boolean> {
  const runner = opts.runner ?? hostRunner;
  const ip = new IpRoutes({ ...(opts.netns ? { netns: opts.netns } : {}), runner });
  const { ours } = await ip.table();
  for (const route of ours) await ip.delete(route);
  const iptables = new Iptables(opts.netns ? netnsRunner(opts.netns, runner) : runner);
  const rules = await iptables.cleanup("K8TS-");
  return rules || ours.length > 0;
}
