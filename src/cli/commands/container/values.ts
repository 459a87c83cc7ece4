/**
 * The values of `k8ts run`'s resource, port, volume and environment flags,
 * read as docker reads them (pure).
 */
import type { KeyValue, Mount, PortMapping, Protocol } from "../../../runtime/cri.js";
import { FlagError } from "./flags.js";

const MiB = 1024 * 1024;
/** docker refuses memory limits below this: the container could not even start. */
export const MIN_MEMORY_BYTES = 6 * MiB;
/** The CFS period `--cpus` quotas are expressed in, as docker sets it (µs). */
export const CPU_PERIOD_US = 100_000;

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, m: MiB, g: 1024 * MiB, t: 1024 ** 4 };

/** `64m`, `1g`, `512k`, `1048576` (bytes; binary units, an optional trailing `b`). */
export function parseMemory(text: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)b?$/i.exec(text.trim());
  const unit = UNITS[(m?.[2] ?? "").toLowerCase()];
  if (!m || unit === undefined) throw new FlagError(`invalid memory size ${JSON.stringify(text)}`);
  const bytes = Math.floor(Number(m[1]) * unit);
  if (bytes < MIN_MEMORY_BYTES)
    throw new FlagError(`minimum memory limit allowed is 6MB (got ${JSON.stringify(text)})`);
  return bytes;
}

/** `--cpus 0.5` as a CFS quota per CPU_PERIOD_US period (at least the kernel's 1 ms). */
export function parseCpus(text: string): { cpuQuota: number; cpuPeriod: number } {
  const cpus = /^[0-9]+(\.[0-9]+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
  const cpuQuota = Math.round(cpus * CPU_PERIOD_US);
  if (!Number.isFinite(cpus) || cpuQuota < 1000)
    throw new FlagError(`invalid --cpus ${JSON.stringify(text)}: a number of CPUs, at least 0.01`);
  return { cpuQuota, cpuPeriod: CPU_PERIOD_US };
}

export function parsePidsLimit(text: string): number {
  const n = /^-?[0-9]+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n === 0 || n < -1)
    throw new FlagError(
      `invalid --pids-limit ${JSON.stringify(text)}: a positive number, or -1 for none`,
    );
  return n;
}

const port = (text: string, what: string): number => {
  const n = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= 65535)) throw new FlagError(`invalid ${what} ${JSON.stringify(text)}`);
  return n;
};

/**
 * `-p [hostIp:]hostPort:containerPort[/tcp|udp|sctp]`. A host port is
 * required: k8ts does not pick free host ports yet, and port ranges are not
 * supported (both fail here rather than publish something else).
 */
export function parsePublish(text: string): PortMapping {
  const [spec = "", proto = "tcp", ...extra] = text.split("/");
  const protocol = proto.toUpperCase();
  if (extra.length > 0 || !["TCP", "UDP", "SCTP"].includes(protocol))
    throw new FlagError(`invalid protocol in -p ${JSON.stringify(text)}`);
  if (spec.includes("-")) throw new FlagError(`port ranges are not supported: -p ${text}`);
  const parts = spec.split(":");
  if (parts.length < 2 || parts.length > 3)
    throw new FlagError(
      `-p ${JSON.stringify(text)}: give hostPort:containerPort (k8ts does not choose host ports)`,
    );
  const containerPort = port(parts.at(-1) ?? "", "container port");
  const hostPort = port(parts.at(-2) ?? "", "host port");
  const hostIp = parts.length === 3 ? parts[0] : undefined;
  return {
    protocol: protocol as Protocol,
    containerPort,
    hostPort,
    ...(hostIp ? { hostIp } : {}),
  };
}

/** `-v /host/path:/container/path[:ro|rw]`: bind mounts only (no named volumes). */
export function parseVolume(text: string): Mount {
  const [hostPath = "", containerPath = "", mode, ...extra] = text.split(":");
  if (extra.length > 0 || (mode !== undefined && mode !== "ro" && mode !== "rw"))
    throw new FlagError(`invalid volume ${JSON.stringify(text)}: HOST:CONTAINER[:ro|rw]`);
  if (!hostPath.startsWith("/"))
    throw new FlagError(
      `invalid volume ${JSON.stringify(text)}: the host path must be absolute (named volumes are not supported)`,
    );
  if (!containerPath.startsWith("/"))
    throw new FlagError(
      `invalid volume ${JSON.stringify(text)}: the container path must be absolute`,
    );
  return { hostPath, containerPath, ...(mode === "ro" ? { readonly: true } : {}) };
}

/** `-e K=V`; a bare `-e K` passes K from `environment` (dropped when unset, as docker does). */
export function parseEnv(
  text: string,
  environment: Readonly<Record<string, string | undefined>>,
): KeyValue | undefined {
  const eq = text.indexOf("=");
  const key = eq < 0 ? text : text.slice(0, eq);
  if (key === "" || /\s/.test(key))
    throw new FlagError(`invalid environment variable ${JSON.stringify(text)}`);
  if (eq >= 0) return { key, value: text.slice(eq + 1) };
  const value = environment[key];
  return value === undefined ? undefined : { key, value };
}
