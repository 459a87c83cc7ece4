export { FakeImageService, type FakeImageServiceOptions } from "./images.js";
export { IpPool } from "./ip-pool.js";
export { type FakeRuntimeOptions, FakeRuntimeService, FakeUnsupportedError } from "./runtime.js";
