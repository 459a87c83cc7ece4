/**
 * A container's CRI state from what the engine can observe after the fact:
 * runc's view of the process and the exit code conmon wrote. Pure, so the
 * same rules serve a live engine and one that restarted and re-adopts its
 * containers from disk.
 */
import type { ContainerState } from "../cri.js";
import type { OciState } from "../oci/index.js";

/** Exit code reported when a container ended but its monitor recorded none (as CRI-O does). */
export const UNKNOWN_EXIT_CODE = 255;

export interface ObservedContainer {
  /** runc's status, or "missing" when runc no longer knows the container (host rebooted, deleted). */
  runc: OciState["status"] | "missing";
  /** The exit code conmon wrote, when it did. */
  exitCode?: number | undefined;
  /** The container's cgroup recorded an OOM kill. */
  oomKilled?: boolean | undefined;
  /** Its conmon still runs: an exit runc already sees is still being recorded. */
  monitorAlive?: boolean | undefined;
  /** CreateContainer is still setting it up (recorded, not started, monitor not gone). */
  creating?: boolean | undefined;
}

export interface DerivedState {
  state: ContainerState;
  exitCode: number;
  /** `Completed`, `Error` or `OOMKilled` once exited. */
  reason?: string;
  message?: string;
}

export function deriveContainerState(observed: ObservedContainer): DerivedState {
  if (observed.exitCode !== undefined) {
    const reason = observed.oomKilled
      ? "OOMKilled"
      : observed.exitCode === 0
        ? "Completed"
        : "Error";
    return { state: "CONTAINER_EXITED", exitCode: observed.exitCode, reason };
  }
  switch (observed.runc) {
    case "creating":
    case "created":
      return { state: "CONTAINER_CREATED", exitCode: 0 };
    case "running":
    case "paused":
      return { state: "CONTAINER_RUNNING", exitCode: 0 };
    case "stopped":
    case "missing":
      // Still being created: runc does not know it yet (whatever its monitor does).
      if (observed.creating && observed.runc === "missing")
        return { state: "CONTAINER_CREATED", exitCode: 0 };
      // conmon reaps the process and then writes the exit file: until it has,
      // the container counts as running rather than as an unknown exit.
      if (observed.monitorAlive) return { state: "CONTAINER_RUNNING", exitCode: 0 };
      // Ended, but conmon (killed, or gone with a reboot) wrote no exit code.
      return {
        state: "CONTAINER_EXITED",
        exitCode: UNKNOWN_EXIT_CODE,
        reason: observed.oomKilled ? "OOMKilled" : "Error",
        message: "the container ended without its monitor (conmon) recording an exit code",
      };
  }
}
