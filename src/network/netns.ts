/**
 * Named network namespaces, the way `ip netns` keeps them: a file under
 * /var/run/netns bind-mounted to the namespace, so it lives on with no
 * process in it. A pod's sandbox network namespace is made here first, then
 * CNI configures it, then the pause container joins it by path.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Where `ip netns` keeps named namespaces. */
export const NETNS_DIR = "/var/run/netns";

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$/;

export class NetnsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export function netnsPathOf(name: string): string {
  if (!NAME.test(name))
    throw new NetnsError(`invalid network namespace name ${JSON.stringify(name)}`);
  return join(NETNS_DIR, name);
}

async function ip(args: string[]): Promise<string> {
  try {
    return (await run("ip", args)).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new NetnsError(`ip ${args.join(" ")}: ${stderr || (error as Error).message}`);
  }
}

/** Creates the named namespace with its loopback up; resolves to its path. */
export async function createNetns(name: string): Promise<string> {
  const path = netnsPathOf(name);
  await ip(["netns", "add", name]);
  try {
    await ip(["-n", name, "link", "set", "lo", "up"]);
  } catch (error) {
    await ip(["netns", "delete", name]).catch(() => {});
    throw error;
  }
  return path;
}

/** Removes the named namespace; idempotent. */
export async function removeNetns(name: string): Promise<void> {
  if (!existsSync(netnsPathOf(name))) return;
  await ip(["netns", "delete", name]);
}
