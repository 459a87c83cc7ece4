/**
 * Kernel settings and conntrack, through the same CommandRunner as
 * iptables (so a test's network namespace gets them, not the host).
 */
import { type ConntrackFlow, parseConntrackList } from "./conntrack.js";
import type { CommandRunner } from "./exec.js";
import { runOk } from "./exec.js";

export interface HostLog {
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** `sysctl -w key=value`; without procps installed, the same write to /proc/sys through sh. */
async function sysctl(
  runner: CommandRunner,
  setting: { key: string; value: string },
): Promise<void> {
  const r = await runner.run(["sysctl", "-w", `${setting.key}=${setting.value}`]);
  if (r.code === 0) return;
  // Not installed: spawn fails (-1), or `ip netns exec` reports the failed exec.
  const missing = r.code === -1 || /No such file|ENOENT/.test(r.stderr);
  if (!missing) throw new Error(`sysctl -w ${setting.key}: ${r.stderr.trim()}`);
  const path = `/proc/sys/${setting.key.replaceAll(".", "/")}`;
  await runOk(runner, { argv: ["sh", "-c", `echo ${setting.value} > ${path}`] });
}

/**
 * Forwarding on (service traffic is routed to pods), route_localnet when
 * NodePorts answer on 127.0.0.1 (loopback-sourced packets may then be
 * DNATed out), and bridged pod traffic through iptables (br_netfilter),
 * so that pods on one bridge reach each other's services.
 */
export async function prepareHost(
  runner: CommandRunner,
  opts: { localhostNodePorts: boolean; log: HostLog },
): Promise<void> {
  await sysctl(runner, { key: "net.ipv4.ip_forward", value: "1" });
  if (opts.localhostNodePorts)
    await sysctl(runner, { key: "net.ipv4.conf.all.route_localnet", value: "1" });
  // Built into some kernels and absent from minimal systems: a missing modprobe is fine.
  await runner.run(["modprobe", "br_netfilter"]);
  try {
    await sysctl(runner, { key: "net.bridge.bridge-nf-call-iptables", value: "1" });
  } catch (err) {
    opts.log.warn("bridged traffic bypasses iptables: pods on one bridge may not reach services", {
      error: String(err),
    });
  }
}

/** The conntrack tool, when installed. */
export class Conntrack {
  private present: Promise<boolean> | undefined;

  constructor(private readonly runner: CommandRunner) {}

  available(): Promise<boolean> {
    this.present ??= this.runner.run(["conntrack", "--version"]).then((r) => r.code === 0);
    return this.present;
  }

  async listUdp(): Promise<ConntrackFlow[]> {
    return parseConntrackList(await runOk(this.runner, { argv: ["conntrack", "-L", "-p", "udp"] }));
  }

  /** Deletes matching flows; "0 flow entries" (exit 1) is not a failure. */
  async delete(args: readonly string[]): Promise<void> {
    const r = await this.runner.run(["conntrack", ...args]);
    if (r.code !== 0 && !/0 flow entries/.test(r.stderr))
      throw new Error(`conntrack ${args.join(" ")}: ${r.stderr.trim() || `exit code ${r.code}`}`);
  }
}
