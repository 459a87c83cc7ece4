/**
 * What the engine remembers about each sandbox and container, on disk, so a
 * restarted engine re-adopts what is still running (runc and conmon keep
 * the processes; these records keep the CRI view of them). Timestamps are
 * ns bigints in memory and decimal strings in JSON.
 */
import type { ContainerConfig, PodSandboxConfig } from "../cri.js";

export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  createdAt: bigint;
  /** The pod's network namespace path, once it has one. */
  netnsPath?: string;
  /** The pod IP CNI gave it. */
  ip?: string;
  /** Set by StopPodSandbox: the sandbox stays NOTREADY even if its pause still ran. */
  stopped?: boolean;
}

export interface ContainerRecord {
  id: string;
  podSandboxId: string;
  config: ContainerConfig;
  /** The image's config digest (`sha256:...`). */
  imageId: string;
  /** Digest-qualified reference of the image. */
  imageRef: string;
  /** Absolute path of the CRI log file. */
  logPath: string;
  createdAt: bigint;
  /** 0n until StartContainer. */
  startedAt: bigint;
  /** 0n until the engine saw it exit. */
  finishedAt: bigint;
  /**
   * Its cgroup per controller ("" for cgroup2), read from /proc once runc
   * created it: where the OOM-kill counter is read after it ends.
   */
  cgroups?: Record<string, string>;
  /** pids.max given outside the CRI (`k8ts run|update --pids-limit`), -1 for none. */
  pidsLimit?: number;
}

const TIME_FIELDS = ["createdAt", "startedAt", "finishedAt"] as const;

/** The record as JSON text, bigints as decimal strings. */
export function encodeRecord(record: SandboxRecord | ContainerRecord): string {
  return `${JSON.stringify(record, (_, value) => (typeof value === "bigint" ? value.toString() : value))}\n`;
}

export class RecordFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Parses a record written by encodeRecord; rejects anything without an id or with a bad time. */
export function decodeRecord<T extends SandboxRecord | ContainerRecord>(text: string): T {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new RecordFormatError(`record is not JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || typeof raw.id !== "string" || raw.id === "") {
    throw new RecordFormatError("record has no id");
  }
  for (const field of TIME_FIELDS) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value !== "string" || !/^[0-9]+$/.test(value)) {
      throw new RecordFormatError(`record ${raw.id}: ${field} is not a decimal ns timestamp`);
    }
    raw[field] = BigInt(value);
  }
  return raw as unknown as T;
}
