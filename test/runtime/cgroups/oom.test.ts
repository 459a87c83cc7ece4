import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  controllerPaths,
  oomKillCount,
  parseProcCgroup,
  readOomKills,
} from "../../../src/runtime/cgroups/index.js";
import { tempDir } from "../../support/tmp.js";

describe("OOM kill counters", () => {
  const dir = tempDir("oom");
  after(() => dir.remove());

  it("reads oom_kill from memory.events and memory.oom_control", () => {
    assert.equal(oomKillCount("low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\noom_group_kill 0\n"), 1);
    assert.equal(oomKillCount("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n"), 3);
    assert.equal(oomKillCount("oom_kill_disable 0\nunder_oom 0\n"), 0, "old kernels lack it");
  });

  it("maps /proc/<pid>/cgroup to a path per controller, cgroup2 under the empty name", () => {
    const lines = parseProcCgroup(
      "4:memory:/kubepods/pod1/c1\n3:cpu,cpuacct:/kubepods/pod1/c1\n0::/kubepods/pod1/c1\n",
    );
    assert.deepEqual(controllerPaths(lines), {
      memory: "/kubepods/pod1/c1",
      cpu: "/kubepods/pod1/c1",
      cpuacct: "/kubepods/pod1/c1",
      "": "/kubepods/pod1/c1",
    });
  });

  it("reads the container's own counter on each layout, undefined once the cgroup is gone", async () => {
    const v2 = join(dir.path, "unified");
    mkdirSync(join(v2, "pod", "c1"), { recursive: true });
    writeFileSync(join(v2, "pod", "c1", "memory.events"), "oom 1\noom_kill 2\n");
    const unified = { mode: "unified" as const, v1: {}, unified: v2 };
    assert.equal(await readOomKills(unified, { "": "/pod/c1" }), 2);
    assert.equal(await readOomKills(unified, { "": "/pod/gone" }), undefined);

    const memory = join(dir.path, "memory");
    mkdirSync(join(memory, "pod", "c1"), { recursive: true });
    writeFileSync(join(memory, "pod", "c1", "memory.oom_control"), "under_oom 0\noom_kill 0\n");
    const hybrid = { mode: "hybrid" as const, v1: { memory }, unified: v2 };
    assert.equal(await readOomKills(hybrid, { memory: "/pod/c1", "": "/pod/c1" }), 0);
    assert.equal(await readOomKills(hybrid, { "": "/pod/c1" }), undefined, "no memory path");
  });
});
