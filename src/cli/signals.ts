/**
 * Resolves on the first SIGTERM or SIGINT. Call it before starting work, so
 * a signal that arrives during start-up is a clean stop, not a kill.
 */
export function terminationSignal(): { promise: Promise<void>; received: () => boolean } {
  let got = false;
  const promise = new Promise<void>((resolve) => {
    const on = () => {
      got = true;
      process.off("SIGTERM", on);
      process.off("SIGINT", on);
      resolve();
    };
    process.on("SIGTERM", on);
    process.on("SIGINT", on);
  });
  return { promise, received: () => got };
}
