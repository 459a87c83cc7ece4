/** Facts about this machine that the Node object reports (upstream: cAdvisor's MachineInfo). */
import { readFile, statfs } from "node:fs/promises";
import { arch, availableParallelism, hostname, networkInterfaces, release } from "node:os";

export interface MachineInfo {
  readonly cpus: number;
  readonly memoryBytes: number;
  readonly ephemeralStorageBytes: number;
  readonly kernelVersion: string;
  readonly osImage: string;
  readonly architecture: string;
  readonly machineID: string;
  readonly systemUUID: string;
  readonly bootID: string;
  readonly hostname: string;
  readonly internalIPs: string[];
}

const GO_ARCH: Record<string, string> = {
  x64: "amd64",
  arm64: "arm64",
  arm: "arm",
  ppc64: "ppc64le",
  s390x: "s390x",
};

export const goArch = () => GO_ARCH[arch()] ?? arch();

async function readTrim(path: string): Promise<string> {
  try {
    return (await readFile(path, "utf8")).trim();
  } catch {
    return "";
  }
}

export async function memTotalBytes(): Promise<number> {
  const text = await readTrim("/proc/meminfo");
  const m = /^MemTotal:\s+(\d+) kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

async function osImage(): Promise<string> {
  const text = await readTrim("/etc/os-release");
  const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text);
  return m?.[1] ?? "Linux";
}

/** The first global IPv4 address (what the kubelet reports as InternalIP when not told). */
export function defaultNodeIPs(): string[] {
  const out: string[] = [];
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (/^(lo|cni|veth|docker|k8t|flannel|cali)/.test(name)) continue;
    for (const a of addrs ?? []) if (a.family === "IPv4" && !a.internal) out.push(a.address);
  }
  return out.length ? out : ["127.0.0.1"];
}

export async function readMachineInfo(rootDir: string, nodeIPs?: string[]): Promise<MachineInfo> {
  let storage = 0;
  try {
    const s = await statfs(rootDir);
    storage = Number(s.blocks) * Number(s.bsize);
  } catch {
    storage = 0;
  }
  const machineID = await readTrim("/etc/machine-id");
  return {
    cpus: availableParallelism(),
    memoryBytes: await memTotalBytes(),
    ephemeralStorageBytes: storage,
    kernelVersion: release(),
    osImage: await osImage(),
    architecture: goArch(),
    machineID,
    systemUUID: (await readTrim("/sys/class/dmi/id/product_uuid")) || machineID,
    bootID: await readTrim("/proc/sys/kernel/random/boot_id"),
    hostname: hostname(),
    internalIPs: nodeIPs?.length ? nodeIPs : defaultNodeIPs(),
  };
}
