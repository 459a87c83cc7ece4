/**
 * What running a probe or hook action yields, shared by the prober and the
 * lifecycle hook runner.
 */

/**
 * The outcome of one action.
 * - `ok: true`: the action succeeded; `warning` marks upstream's "success with
 *   a warning" (an HTTP probe that stopped at a redirect to another host).
 * - `ok: false` without `error`: the action ran and failed (non-zero exit,
 *   HTTP status >= 400, connection refused, timeout); `output` says why.
 * - `ok: false` with `error`: the action could not be run at all (unknown
 *   port name, runtime error); upstream calls this an errored probe and
 *   throws the result away.
 * - `timedOut` marks a failure caused by a deadline (probe timeout, preStop budget).
 */
export type ActionResult =
  | { ok: true; output: string; warning?: boolean }
  | { ok: false; output: string; error?: string; timedOut?: boolean };

/** The kubelet keeps at most this much of an action's output or response body (10 KiB). */
export const MAX_OUTPUT_BYTES = 10 * 1024;

/** `bytes` as text, cut to MAX_OUTPUT_BYTES. */
export function outputText(bytes: Uint8Array): string {
  const kept = bytes.length > MAX_OUTPUT_BYTES ? bytes.subarray(0, MAX_OUTPUT_BYTES) : bytes;
  return Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength).toString("utf8");
}

/** A message for an unknown thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
