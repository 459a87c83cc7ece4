/** What the host lets the engine do, read from /proc (I/O; the spec builders stay pure). */
import { readFileSync } from "node:fs";
import { ALL_CAPABILITIES } from "../spec/defaults.js";

const CAP_SYS_RESOURCE = 24n;

/** True when this process holds capability number `cap` in its effective set. */
export function hasCapability(
  cap: bigint,
  status = readFileSync("/proc/self/status", "utf8"),
): boolean {
  const match = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  if (match?.[1] === undefined) return false;
  return ((BigInt(`0x${match[1]}`) >> cap) & 1n) === 1n;
}

/** The spec builders' host limits (their `minOomScoreAdj`, `maxNofile` and `availableCapabilities` options). */
export interface HostLimits {
  minOomScoreAdj?: number;
  maxNofile?: number;
  availableCapabilities?: readonly string[];
}

/**
 * The capabilities in this process's bounding set when it lacks some (k8ts
 * inside a container), else undefined: all a privileged container can get
 * (containerd's WithAllCurrentCapabilities). ALL_CAPABILITIES is in kernel
 * number order.
 */
export function availableCapabilities(
  status = readFileSync("/proc/self/status", "utf8"),
): readonly string[] | undefined {
  const match = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status);
  if (match?.[1] === undefined) return undefined;
  const mask = BigInt(`0x${match[1]}`);
  const names = ALL_CAPABILITIES.filter((_, i) => ((mask >> BigInt(i)) & 1n) === 1n);
  return names.length === ALL_CAPABILITIES.length ? undefined : names;
}

/**
 * With CAP_SYS_RESOURCE the engine may set any oom_score_adj and rlimit:
 * no limits. Without it (k8ts inside a container) a container may not go
 * below the engine's own oom_score_adj nor above its hard open-files limit.
 */
export function hostLimits(): HostLimits {
  const caps = availableCapabilities();
  const base: HostLimits = caps ? { availableCapabilities: caps } : {};
  if (hasCapability(CAP_SYS_RESOURCE)) return base;
  const adj = Number(readFileSync("/proc/self/oom_score_adj", "utf8").trim());
  const limits = readFileSync("/proc/self/limits", "utf8");
  const hard = /^Max open files\s+\S+\s+(\S+)/m.exec(limits)?.[1];
  const out: HostLimits = { ...base, minOomScoreAdj: adj };
  if (hard !== undefined && hard !== "unlimited") out.maxNofile = Number(hard);
  return out;
}
