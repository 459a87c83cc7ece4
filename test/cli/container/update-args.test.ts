import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FlagError } from "../../../src/cli/commands/container/flags.js";
import { updateRequest } from "../../../src/cli/commands/container/update-args.js";

describe("k8ts update flags", () => {
  it("turns -m, --cpus and --pids-limit into the engine's update", () => {
    assert.deepEqual(updateRequest({ memory: "128m", cpus: "0.5", pidsLimit: "30" }), {
      resources: { memoryLimitInBytes: 128 * 1024 * 1024, cpuQuota: 50_000, cpuPeriod: 100_000 },
      pidsLimit: 30,
    });
    assert.deepEqual(updateRequest({ memory: "1g" }), {
      resources: { memoryLimitInBytes: 1024 ** 3 },
    });
    assert.deepEqual(updateRequest({ pidsLimit: "-1" }), { resources: {}, pidsLimit: -1 });
  });

  it("needs at least one flag and refuses bad values as run does", () => {
    assert.throws(() => updateRequest({}), FlagError);
    assert.throws(() => updateRequest({ memory: "1m" }), /minimum memory limit/);
    assert.throws(() => updateRequest({ cpus: "lots" }), /invalid --cpus/);
    assert.throws(() => updateRequest({ pidsLimit: "0" }), /invalid --pids-limit/);
  });
});
