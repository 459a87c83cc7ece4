export { DelayingQueue, type DelayingQueueOptions } from "./delaying.js";
export { RateLimiterConfigError, WorkQueueInvariantError } from "./errors.js";
export { type GetResult, WorkQueue } from "./queue.js";
export {
  type BucketOptions,
  BucketRateLimiter,
  defaultControllerRateLimiter,
  type ItemExponentialFailureOptions,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
} from "./rate-limiters.js";
export { RateLimitingQueue, type RateLimitingQueueOptions } from "./rate-limiting.js";
