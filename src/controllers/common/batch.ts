/**
 * Runs `count` calls in batches of 1, 2, 4, … (upstream's slowStartBatch),
 * stopping after the first batch with a failure so a bad template does not
 * produce hundreds of identical errors.
 * Returns how many were attempted, how many succeeded, and the first error.
 */
export async function slowStartBatch(
  count: number,
  fn: () => Promise<void>,
  initialBatch = 1,
): Promise<{ succeeded: number; attempted: number; error: unknown }> {
  let remaining = count;
  let succeeded = 0;
  let attempted = 0;
  let batch = Math.min(remaining, initialBatch);
  while (batch > 0) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    attempted += batch;
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    succeeded += results.filter((r) => r.status === "fulfilled").length;
    if (failed) return { succeeded, attempted, error: failed.reason };
    remaining -= batch;
    batch = Math.min(remaining, batch * 2);
  }
  return { succeeded, attempted, error: undefined };
}
