/**
 * Reads the host facts the preflight checks judge: /proc, /sys and test
 * binds of the ports a node needs. The only I/O of `k8ts check`'s kernel
 * part; the rules are in checks.ts.
 */

import { createSocket } from "node:dgram";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { release } from "node:os";
import type { HostFacts, PortUse } from "./checks.js";

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** "nodev\toverlay\n\text4\n" → ["overlay", "ext4"]. */
export function parseFilesystems(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim().split(/\s+/).pop() ?? "")
    .filter((n) => n !== "");
}

/** Enabled controllers from /proc/cgroups (`#subsys_name hierarchy num_cgroups enabled`). */
export function parseProcCgroups(text: string): string[] {
  return text
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => l.split(/\s+/))
    .filter((f) => f[3] === "1")
    .map((f) => f[0] ?? "");
}

/** Swap entries of /proc/swaps, without its header. */
export function parseSwaps(text: string): string[] {
  return text
    .split("\n")
    .slice(1)
    .map((l) => l.split(/\s+/)[0] ?? "")
    .filter((n) => n !== "");
}

export function readHostFacts(): HostFacts {
  const v2 = existsSync("/sys/fs/cgroup/cgroup.controllers");
  const controllers = v2
    ? (read("/sys/fs/cgroup/cgroup.controllers") ?? "").trim().split(/\s+/)
    : parseProcCgroups(read("/proc/cgroups") ?? "");
  return {
    kernelRelease: release(),
    uid: process.getuid?.() ?? -1,
    filesystems: parseFilesystems(read("/proc/filesystems") ?? ""),
    cgroupVersion: v2 ? "v2" : "v1",
    cgroupControllers: controllers,
    swapDevices: parseSwaps(read("/proc/swaps") ?? ""),
    ipForward: read("/proc/sys/net/ipv4/ip_forward")?.trim(),
    brNetfilter: existsSync("/proc/sys/net/bridge"),
  };
}

/** Whether binding host:port fails with EADDRINUSE (other errors count as free: e.g. no such address). */
function tcpInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "EADDRINUSE"));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

function udpInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    socket.once("error", (err: NodeJS.ErrnoException) => {
      socket.close();
      resolve(err.code === "EADDRINUSE");
    });
    socket.bind({ address: host, port, exclusive: true }, () => socket.close(() => resolve(false)));
  });
}

export interface PortWanted {
  readonly host: string;
  readonly port: number;
  readonly protocol: "tcp" | "udp";
  readonly purpose: string;
}

export async function probePorts(wanted: readonly PortWanted[]): Promise<PortUse[]> {
  return Promise.all(
    wanted.map(async (w) => ({
      port: w.port,
      protocol: w.protocol,
      purpose: w.purpose,
      inUse: await (w.protocol === "tcp" ? tcpInUse(w.host, w.port) : udpInUse(w.host, w.port)),
    })),
  );
}
