import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { CgroupTree, cgroupLevels } from "../../../src/runtime/cgroups/index.js";
import { tempDir } from "../../support/tmp.js";

// cgroupfs stand-ins in a temp dir: the kernel's own behaviour (files
// appearing in new cgroups, rmdir of non-empty dirs) is the root suites' part.
describe("cgroup trees", () => {
  const dir = tempDir("cgroup-tree");
  after(() => dir.remove());

  it("splits a cgroup path into its levels", () => {
    assert.deepEqual(cgroupLevels("/k8ts/kubepods/pod1"), [
      "/k8ts",
      "/k8ts/kubepods",
      "/k8ts/kubepods/pod1",
    ]);
    assert.deepEqual(cgroupLevels("kubepods//burstable/"), ["/kubepods", "/kubepods/burstable"]);
    assert.deepEqual(cgroupLevels("/"), []);
  });

  it("v2: enables at each level only the controllers it offers and lacks, then writes values", async () => {
    const root = join(dir.path, "unified");
    mkdirSync(join(root, "r"), { recursive: true });
    writeFileSync(join(root, "cgroup.controllers"), "cpuset cpu io memory pids\n");
    writeFileSync(join(root, "cgroup.subtree_control"), "cpu memory\n");
    writeFileSync(join(root, "r", "cgroup.controllers"), "cpu memory\n");
    writeFileSync(join(root, "r", "cgroup.subtree_control"), "memory\n");
    const tree = new CgroupTree({ mode: "unified", v1: {}, unified: root });
    assert.ok(tree.unified);
    assert.deepEqual(tree.mounts(), [root]);
    await tree.create("/r/kubepods");
    assert.equal(readFileSync(join(root, "cgroup.subtree_control"), "utf8"), "+cpuset +io +pids");
    assert.equal(readFileSync(join(root, "r", "cgroup.subtree_control"), "utf8"), "+cpu");
    assert.ok(await tree.exists("/r/kubepods"));
    await tree.write("/r/kubepods", { "cpu.max": "50000 100000", "memory.max": "1048576" });
    assert.equal(readFileSync(join(root, "r", "kubepods", "cpu.max"), "utf8"), "50000 100000");
    assert.deepEqual(await tree.children("/r"), ["kubepods"]);
    assert.deepEqual(await tree.children("/absent"), []);
  });

  it("v1: makes the path in every hierarchy once, fills an empty cpuset from its parent, writes per controller", async () => {
    const v1: Record<string, string> = {};
    for (const c of ["cpu", "cpuset", "memory", "name=systemd"]) {
      v1[c] = join(dir.path, "v1", c);
      mkdirSync(v1[c] as string, { recursive: true });
    }
    v1.cpuacct = v1.cpu as string; // co-mounted
    writeFileSync(join(v1.cpuset as string, "cpuset.cpus"), "0-3\n");
    writeFileSync(join(v1.cpuset as string, "cpuset.mems"), "0\n");
    const tree = new CgroupTree({ mode: "hybrid", v1 });
    assert.equal(tree.mounts().length, 4);
    await tree.create("/kubepods/pod1");
    for (const mount of tree.mounts()) assert.deepEqual(await readdirNames(mount), ["kubepods"]);
    const cpuset = join(v1.cpuset as string, "kubepods", "pod1");
    assert.equal(readFileSync(join(cpuset, "cpuset.cpus"), "utf8"), "0-3");
    assert.equal(readFileSync(join(cpuset, "cpuset.mems"), "utf8"), "0");
    await tree.write("/kubepods/pod1", {
      "cpu/cpu.shares": "358",
      "memory/memory.limit_in_bytes": "100663296",
      "hugetlb/hugetlb.2MB.limit_in_bytes": "0",
    });
    assert.equal(readFileSync(join(v1.cpu as string, "kubepods/pod1/cpu.shares"), "utf8"), "358");
    assert.equal(
      readFileSync(join(v1.memory as string, "kubepods/pod1/memory.limit_in_bytes"), "utf8"),
      "100663296",
    );
  });
});

async function readdirNames(path: string): Promise<string[]> {
  const { readdir } = await import("node:fs/promises");
  return (await readdir(path, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}
