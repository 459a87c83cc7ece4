export { FakeImageService, type FakeImageServiceOptions } from "./images.js";
export { IpPool } from "./ip-pool.js";
export {
  type FakeRuntimeOptions,
  FakeRuntimeService,
  FakeUnsupportedError,
  type FakeUsage,
  type FakeUsageSubject,
} from "./runtime.js";
