/** `k8ts inspect`: a container as docker's inspect JSON shows one, from CRI statuses (pure). */
import type { ContainerStatus, PodSandboxStatus } from "../../../runtime/cri.js";
import {
  COMMAND_ANNOTATION,
  IMAGE_ANNOTATION,
  OPTIONS_ANNOTATION,
  PORTS_ANNOTATION,
} from "../../../runtime/local/names.js";

/** RFC 3339 with ns, docker's zero time for 0n. */
export function isoTime(ns: bigint): string {
  if (ns === 0n) return "0001-01-01T00:00:00Z";
  const ms = ns / 1_000_000n;
  const frac = (ns % 1_000_000_000n).toString().padStart(9, "0");
  return new Date(Number(ms)).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}

const STATUS: Record<ContainerStatus["state"], string> = {
  CONTAINER_CREATED: "created",
  CONTAINER_RUNNING: "running",
  CONTAINER_EXITED: "exited",
  CONTAINER_UNKNOWN: "unknown",
};

function jsonOr<T>(text: string | undefined, fallback: T): T {
  if (text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function inspectView(input: {
  readonly name: string;
  readonly status: ContainerStatus;
  readonly sandbox: PodSandboxStatus;
  /** The main process's host pid while running, else 0. */
  readonly pid: number;
  /** pids.max as the engine last set it (run or update). */
  readonly pidsLimit?: number | undefined;
}): Record<string, unknown> {
  const { status, sandbox } = input;
  const annotations = status.annotations ?? {};
  const command = jsonOr<string[]>(annotations[COMMAND_ANNOTATION], []);
  const options = jsonOr<Record<string, unknown>>(annotations[OPTIONS_ANNOTATION], {});
  const exited = status.state === "CONTAINER_EXITED";
  // The limits as they are now (`k8ts update` changes them), else as `run` set them.
  const limits = status.resources?.linux;
  const nanoCpus =
    limits?.cpuQuota && limits.cpuPeriod
      ? Math.round((limits.cpuQuota / limits.cpuPeriod) * 1e9)
      : (options.nanoCpus ?? 0);
  return {
    Id: status.id,
    Name: `/${input.name}`,
    Created: isoTime(status.createdAt),
    Path: command[0] ?? "",
    Args: command.slice(1),
    State: {
      Status: STATUS[status.state],
      Running: status.state === "CONTAINER_RUNNING",
      OOMKilled: exited && status.reason === "OOMKilled",
      Pid: input.pid,
      ExitCode: exited ? status.exitCode : 0,
      Reason: status.reason ?? "",
      Error: status.message ?? "",
      StartedAt: isoTime(status.startedAt),
      FinishedAt: isoTime(status.finishedAt),
    },
    Image: status.image.image,
    ImageRef: status.imageRef,
    LogPath: status.logPath ?? "",
    PodSandboxId: sandbox.id,
    HostConfig: {
      AutoRemove: options.autoRemove ?? false,
      Memory: limits?.memoryLimitInBytes || (options.memoryBytes ?? 0),
      NanoCpus: nanoCpus,
      PidsLimit: input.pidsLimit ?? options.pidsLimit ?? 0,
      Binds: (status.mounts ?? []).map(
        (m) => `${m.hostPath}:${m.containerPath}${m.readonly ? ":ro" : ""}`,
      ),
    },
    Config: {
      Image: annotations[IMAGE_ANNOTATION] ?? status.image.image,
      Cmd: command,
    },
    NetworkSettings: {
      IPAddress: sandbox.network?.ip ?? "",
      SandboxReady: sandbox.state === "SANDBOX_READY",
      Ports: annotations[PORTS_ANNOTATION] ?? "",
    },
  };
}
