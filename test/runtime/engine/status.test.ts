import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  deriveContainerState,
  type ObservedContainer,
  UNKNOWN_EXIT_CODE,
} from "../../../src/runtime/engine/status.js";

describe("container state from observation", () => {
  const cases: [string, ObservedContainer, ReturnType<typeof deriveContainerState>][] = [
    ["created by runc", { runc: "created" }, { state: "CONTAINER_CREATED", exitCode: 0 }],
    ["still being created", { runc: "creating" }, { state: "CONTAINER_CREATED", exitCode: 0 }],
    ["running", { runc: "running" }, { state: "CONTAINER_RUNNING", exitCode: 0 }],
    ["paused counts as running", { runc: "paused" }, { state: "CONTAINER_RUNNING", exitCode: 0 }],
    [
      "exit 0 is Completed",
      { runc: "stopped", exitCode: 0 },
      { state: "CONTAINER_EXITED", exitCode: 0, reason: "Completed" },
    ],
    [
      "non-zero exit is Error",
      { runc: "stopped", exitCode: 2 },
      { state: "CONTAINER_EXITED", exitCode: 2, reason: "Error" },
    ],
    [
      "an OOM kill wins over the exit code",
      { runc: "stopped", exitCode: 137, oomKilled: true },
      { state: "CONTAINER_EXITED", exitCode: 137, reason: "OOMKilled" },
    ],
    [
      "the exit file is trusted even once runc forgot the container",
      { runc: "missing", exitCode: 1 },
      { state: "CONTAINER_EXITED", exitCode: 1, reason: "Error" },
    ],
  ];
  for (const [name, observed, want] of cases) {
    it(name, () => assert.deepEqual(deriveContainerState(observed), want));
  }

  it("reports an ended container without an exit file as exited with 255", () => {
    for (const runc of ["stopped", "missing"] as const) {
      const got = deriveContainerState({ runc });
      assert.equal(got.state, "CONTAINER_EXITED");
      assert.equal(got.exitCode, UNKNOWN_EXIT_CODE);
      assert.equal(got.reason, "Error");
      assert.match(got.message ?? "", /without its monitor/);
    }
  });

  it("counts an exit runc sees but conmon has not recorded yet as still running", () => {
    for (const runc of ["stopped", "missing"] as const) {
      assert.deepEqual(deriveContainerState({ runc, monitorAlive: true }), {
        state: "CONTAINER_RUNNING",
        exitCode: 0,
      });
    }
    assert.equal(
      deriveContainerState({ runc: "stopped", exitCode: 0, monitorAlive: true }).state,
      "CONTAINER_EXITED",
    );
  });

  it("counts a recorded container runc does not know yet as being created, not exited", () => {
    assert.deepEqual(deriveContainerState({ runc: "missing", creating: true }), {
      state: "CONTAINER_CREATED",
      exitCode: 0,
    });
    assert.equal(deriveContainerState({ runc: "missing" }).exitCode, 255);
  });

  it("keeps a container being created as created when its monitor appears after runc was asked", () => {
    // runc's list predates conmon; conmon's pid file is there by the time it is read.
    assert.deepEqual(
      deriveContainerState({ runc: "missing", creating: true, monitorAlive: true }),
      {
        state: "CONTAINER_CREATED",
        exitCode: 0,
      },
    );
  });
});
