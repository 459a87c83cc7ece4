/** Waiting for a promise with a deadline and a cancellation signal, leaving no timer behind. */

export type Settled<T> = { kind: "done"; value: T } | { kind: "timeout" } | { kind: "aborted" };

/**
 * Waits for `promise` at most `ms` milliseconds (no limit when `ms` is not a
 * positive number) and no longer than `signal` stays unaborted. A rejection
 * of `promise` rejects the result; a promise that loses the race is left to
 * settle on its own (its rejection is handled).
 */
export function settleWithin<T>(
  promise: Promise<T>,
  ms: number | undefined,
  signal?: AbortSignal,
): Promise<Settled<T>> {
  if (signal?.aborted) {
    promise.catch(() => {});
    return Promise.resolve({ kind: "aborted" });
  }
  return new Promise<Settled<T>>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      finish();
      resolve({ kind: "aborted" });
    };
    if (ms !== undefined && ms > 0 && Number.isFinite(ms)) {
      timer = setTimeout(() => {
        finish();
        resolve({ kind: "timeout" });
      }, ms);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        finish();
        resolve({ kind: "done", value });
      },
      (err: unknown) => {
        finish();
        reject(err);
      },
    );
  });
}

/** Resolves after `ms` milliseconds, or early with `false` when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (!(ms > 0)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
