/**
 * Errors of the volume manager. `reason` is the reason of the pod event the
 * kubelet records (upstream: FailedMount for volume set-up,
 * CreateContainerConfigError for a container's mounts).
 */

/** An expected failure: bad input, a missing object, a failed mount. */
export class VolumeError extends Error {
  readonly reason: string;
  /** The pod volume it is about, when there is one. */
  readonly volume: string | undefined;

  constructor(
    message: string,
    options: { reason?: string; volume?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "VolumeError";
    this.reason = options.reason ?? "FailedMount";
    this.volume = options.volume;
  }
}

/** An invariant of this module was broken (a bug, not bad input). */
export class VolumeInvariantError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "VolumeInvariantError";
  }
}

/** The message of any thrown value. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Several failures as one message, like upstream's utilerrors.NewAggregate:
 * one failure is its own message, more are `[a, b]` (duplicates dropped).
 */
export function aggregateMessage(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] ?? "") : `[${unique.join(", ")}]`;
}

/** A volume set-up failure as upstream words it: `MountVolume.SetUp failed for volume "x" : <cause>`. */
export function setUpFailed(volume: string, err: unknown): VolumeError {
  if (err instanceof VolumeError) return err;
  return new VolumeError(`MountVolume.SetUp failed for volume "${volume}" : ${messageOf(err)}`, {
    volume,
    cause: err,
  });
}
