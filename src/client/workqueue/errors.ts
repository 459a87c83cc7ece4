/**
 * A caller broke the workqueue contract, e.g. called done() for a key it never
 * got from get(). This is a programming error, not a runtime failure to retry.
 */
export class WorkQueueInvariantError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "WorkQueueInvariantError";
  }
}

/** A rate limiter was configured with values it cannot work with. */
export class RateLimiterConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RateLimiterConfigError";
  }
}
