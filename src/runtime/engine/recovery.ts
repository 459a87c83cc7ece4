/**
 * What a starting engine makes of the records a previous engine process
 * left behind (pure). Running sandboxes and containers need nothing: their
 * state is derived from conmon's files and runc on every read, so they are
 * re-adopted as they are. What needs a decision is a record whose process
 * never came to be — the engine died between writing the record and
 * conmon creating the container — and a container whose sandbox is gone.
 */

export interface RecordObservation {
  /** When the record was written (ns since the epoch). */
  createdAt: bigint;
  /** 0n until the container started (sandboxes: always 0n). */
  startedAt: bigint;
  /** conmon wrote its pid file: creation got as far as the monitor. */
  monitorStarted: boolean;
  /** runc has state for the id. */
  runcKnows: boolean;
}

/**
 * Whether a record was abandoned half-way through its creation: never
 * started, no monitor, unknown to runc, and older than `graceNs` (another
 * engine process on the same state directory may be creating it right now).
 */
export function abandonedCreation(
  observed: RecordObservation,
  at: { now: bigint; graceNs: bigint },
): boolean {
  return (
    observed.startedAt === 0n &&
    !observed.monitorStarted &&
    !observed.runcKnows &&
    at.now - observed.createdAt > at.graceNs
  );
}
