import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { monitorFacts, monitorState } from "../../../src/runtime/engine/monitor.js";
import { tempDir } from "../../support/tmp.js";

describe("a container's monitor as seen from its bundle", () => {
  const dir = tempDir("monitor-state");
  const id = "c0ffee".repeat(10);
  // A stand-in whose command line names conmon and the container, as conmon's does.
  const stand = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60_000)", "conmon", id], {
    stdio: "ignore",
  });
  after(() => {
    stand.kill("SIGKILL");
    dir.remove();
  });

  it("is absent before conmon wrote its pid file", async () => {
    assert.equal(await monitorState(dir.path, id), "absent");
    assert.equal(await monitorFacts(dir.path, id), "no conmon pid file");
  });

  it("is alive while the pid runs with a command line naming the container", async () => {
    writeFileSync(join(dir.path, "conmon.pid"), String(stand.pid));
    assert.equal(await monitorState(dir.path, id), "alive");
    assert.match(await monitorFacts(dir.path, id), new RegExp(`conmon pid ${stand.pid} in state`));
  });

  it("is gone when the pid is another process's or nobody's", async () => {
    assert.equal(await monitorState(dir.path, "another-container"), "gone");
    writeFileSync(join(dir.path, "conmon.pid"), "999999999");
    assert.equal(await monitorState(dir.path, id), "gone");
    assert.match(await monitorFacts(dir.path, id), /gone/);
  });
});
