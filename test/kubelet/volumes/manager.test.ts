// The volume manager with disk-backed volumes only (configMap, downwardAPI,
// emptyDir, hostPath, claims): no root needed. Secrets, projected volumes and
// memory-backed emptyDirs are in manager.root.test.ts.
import assert from "node:assert/strict";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { VolumeError } from "../../../src/kubelet/volumes/errors.js";
import { VolumeManager } from "../../../src/kubelet/volumes/manager.js";
import { tempDir } from "../../support/tmp.js";
import { FakeSources, makePod } from "./fakes.js";

function uidOf(pod: Pod): string {
  return pod.metadata?.uid ?? "";
}

describe("the volume manager (disk-backed volumes)", () => {
  let tmp: ReturnType<typeof tempDir>;
  let podsDir: string;
  let sources: FakeSources;
  let manager: VolumeManager;
  beforeEach(() => {
    tmp = tempDir("volumes");
    podsDir = join(tmp.path, "pods");
    sources = new FakeSources();
    manager = new VolumeManager({ podsDir, sources, nodeAllocatable: { cpu: "4", memory: "8Gi" } });
  });
  afterEach(() => tmp.remove());

  const volumeDir = (pod: Pod, plugin: string, name: string) =>
    join(podsDir, uidOf(pod), "volumes", plugin, name);

  it("projects a configMap into kubernetes.io~configmap/<name> and refreshes it in place", async () => {
    sources.putConfigMap("cfg", { "app.yaml": "port: 80\n", other: "x" });
    const pod = makePod({
      volumes: [
        {
          name: "config",
          configMap: {
            name: "cfg",
            items: [{ key: "app.yaml", path: "conf/app.yaml" }],
            defaultMode: 0o440,
          },
        },
      ],
    });
    const paths = await manager.setUpPod(pod);
    const dir = volumeDir(pod, "kubernetes.io~configmap", "config");
    assert.deepEqual([...paths], [["config", dir]]);
    assert.equal(readFileSync(join(dir, "conf/app.yaml"), "utf8"), "port: 80\n");
    assert.equal(statSync(join(dir, "conf/app.yaml")).mode & 0o777, 0o440);
    assert.equal(statSync(dir).mode & 0o777, 0o777);
    const before = readlinkSync(join(dir, "..data"));

    await manager.setUpPod(pod);
    assert.equal(
      readlinkSync(join(dir, "..data")),
      before,
      "an unchanged configMap is not rewritten",
    );

    sources.putConfigMap("cfg", { "app.yaml": "port: 8080\n" });
    await manager.setUpPod(pod);
    assert.equal(readFileSync(join(dir, "conf/app.yaml"), "utf8"), "port: 8080\n");
    assert.notEqual(readlinkSync(join(dir, "..data")), before);
    assert.equal(existsSync(join(dir, before)), false);
  });

  it("fails on a missing configMap with upstream's message and leaves no volume directory", async () => {
    const pod = makePod({
      volumes: [
        { name: "scratch", emptyDir: {} },
        { name: "config", configMap: { name: "absent" } },
      ],
    });
    await assert.rejects(manager.setUpPod(pod), (err: unknown) => {
      assert.ok(err instanceof VolumeError);
      assert.equal(err.reason, "FailedMount");
      assert.equal(err.volume, "config");
      assert.equal(
        err.message,
        'MountVolume.SetUp failed for volume "config" : configmap "absent" not found',
      );
      return true;
    });
    assert.equal(
      existsSync(join(podsDir, uidOf(pod))),
      false,
      "nothing is written for a pod that cannot start",
    );
  });

  it("sets up an optional missing configMap as an empty volume", async () => {
    const pod = makePod({
      volumes: [{ name: "config", configMap: { name: "absent", optional: true } }],
    });
    const dir = (await manager.setUpPod(pod)).get("config") ?? "";
    assert.deepEqual(
      readdirSync(dir).filter((n) => !n.startsWith("..")),
      [],
    );
  });

  it("fails on a missing key of an existing configMap", async () => {
    sources.putConfigMap("cfg", { a: "1" });
    const pod = makePod({
      volumes: [{ name: "config", configMap: { name: "cfg", items: [{ key: "b", path: "b" }] } }],
    });
    await assert.rejects(
      manager.setUpPod(pod),
      /^VolumeError: MountVolume\.SetUp failed for volume "config" : configmap references non-existent config key: b$/,
    );
  });

  it("writes downward API files and refreshes labels when they change", async () => {
    const pod = makePod(
      {
        containers: [{ name: "app", resources: { limits: { memory: "64Mi" } } }],
        volumes: [
          {
            name: "info",
            downwardAPI: {
              items: [
                { path: "labels", fieldRef: { fieldPath: "metadata.labels" } },
                { path: "name", fieldRef: { fieldPath: "metadata.name" } },
                {
                  path: "mem",
                  resourceFieldRef: {
                    containerName: "app",
                    resource: "limits.memory",
                    divisor: "1Mi",
                  },
                },
                { path: "cpu", resourceFieldRef: { containerName: "app", resource: "limits.cpu" } },
              ],
            },
          },
        ],
      },
      { labels: { b: "2", a: 'say "x"' } },
    );
    const dir = (await manager.setUpPod(pod)).get("info") ?? "";
    assert.equal(dir, volumeDir(pod, "kubernetes.io~downward-api", "info"));
    const read = (f: string) => readFileSync(join(dir, f), "utf8");
    assert.equal(read("labels"), 'a="say \\"x\\""\nb="2"');
    assert.equal(read("name"), "web");
    assert.equal(read("mem"), "64");
    assert.equal(read("cpu"), "4", "an unset limit reads as node allocatable");

    const relabeled: Pod = { ...pod, metadata: { ...pod.metadata, labels: { b: "3" } } };
    await manager.setUpPod(relabeled);
    assert.equal(read("labels"), 'b="3"');
  });

  it("creates an emptyDir with mode 0777 once and keeps its contents on later calls", async () => {
    const pod = makePod({ volumes: [{ name: "scratch", emptyDir: {} }, { name: "implicit" }] });
    const paths = await manager.setUpPod(pod);
    const dir = paths.get("scratch") ?? "";
    assert.equal(dir, volumeDir(pod, "kubernetes.io~empty-dir", "scratch"));
    assert.equal(paths.get("implicit"), volumeDir(pod, "kubernetes.io~empty-dir", "implicit"));
    assert.equal(statSync(dir).mode & 0o777, 0o777);
    writeFileSync(join(dir, "work"), "kept");
    await manager.setUpPod(pod);
    assert.equal(readFileSync(join(dir, "work"), "utf8"), "kept");
  });

  it("creates directories for mounts nested beneath an API-data volume", async () => {
    sources.putConfigMap("cfg", { a: "1" });
    const pod = makePod({
      containers: [
        {
          name: "app",
          volumeMounts: [
            { name: "config", mountPath: "/etc/app" },
            { name: "cache", mountPath: "/etc/app/cache" },
            { name: "cache", mountPath: "/etc/app/cache/deeper" },
          ],
        },
      ],
      volumes: [
        { name: "config", configMap: { name: "cfg" } },
        { name: "cache", emptyDir: {} },
      ],
    });
    const dir = (await manager.setUpPod(pod)).get("config") ?? "";
    assert.ok(statSync(join(dir, "cache")).isDirectory());
    assert.equal(existsSync(join(dir, "cache", "deeper")), false);
  });

  describe("hostPath", () => {
    it("binds the host path itself and creates it for DirectoryOrCreate with mode 0755", async () => {
      const target = join(tmp.path, "host", "made");
      const pod = makePod({
        volumes: [{ name: "h", hostPath: { path: target, type: "DirectoryOrCreate" } }],
      });
      assert.equal((await manager.setUpPod(pod)).get("h"), target);
      assert.equal(statSync(target).mode & 0o777, 0o755);
    });

    it("creates an empty file for FileOrCreate with mode 0644, but not its directory", async () => {
      const file = join(tmp.path, "f.sock");
      await manager.setUpPod(
        makePod({ volumes: [{ name: "h", hostPath: { path: file, type: "FileOrCreate" } }] }),
      );
      assert.equal(statSync(file).size, 0);
      assert.equal(statSync(file).mode & 0o777, 0o644);
      const orphan = join(tmp.path, "no-dir", "f");
      await assert.rejects(
        manager.setUpPod(
          makePod({ volumes: [{ name: "h", hostPath: { path: orphan, type: "FileOrCreate" } }] }),
        ),
        /MountVolume\.SetUp failed for volume "h" : .*no such file or directory/,
      );
    });

    it("checks the existing type with upstream's messages", async () => {
      const file = join(tmp.path, "file");
      writeFileSync(file, "");
      const check = (path: string, type: string) =>
        manager.setUpPod(makePod({ volumes: [{ name: "h", hostPath: { path, type } }] }));
      await check(tmp.path, "Directory");
      await check(file, "File");
      await check("/dev/null", "CharDevice");
      await check(join(tmp.path, "anything-at-all"), "");
      const cases: [string, string, string][] = [
        [file, "Directory", `${file} is not a directory`],
        [join(tmp.path, "missing"), "Directory", `${join(tmp.path, "missing")} is not a directory`],
        [tmp.path, "File", `${tmp.path} is not a file`],
        [file, "Socket", `${file} is not a socket file`],
        [file, "CharDevice", `${file} is not a character device`],
        ["/dev/null", "BlockDevice", "/dev/null is not a block device"],
      ];
      for (const [path, type, why] of cases)
        await assert.rejects(check(path, type), {
          message: `MountVolume.SetUp failed for volume "h" : hostPath type check failed: ${why}`,
        });
      await assert.rejects(check(file, "Sideways"), /Sideways is an invalid volume type/);
      await assert.rejects(
        check("/a/../etc", ""),
        /invalid HostPath `\/a\/\.\.\/etc`: must not contain '\.\.'/,
      );
    });

    it("fails a bad hostPath before creating any pod directory", async () => {
      const pod = makePod({
        volumes: [
          { name: "scratch", emptyDir: {} },
          { name: "h", hostPath: { path: join(tmp.path, "missing"), type: "Directory" } },
        ],
      });
      await assert.rejects(manager.setUpPod(pod), /is not a directory/);
      assert.equal(existsSync(join(podsDir, uidOf(pod))), false);
    });
  });

  describe("persistentVolumeClaim", () => {
    function bind(claim: string, pv: string, path: string, phase = "Bound") {
      sources.claims.set(`default/${claim}`, {
        metadata: { name: claim, namespace: "default", uid: `claim-${claim}` },
        spec: { volumeName: pv },
        status: { phase },
      });
      sources.volumes.set(pv, {
        metadata: { name: pv },
        spec: {
          hostPath: { path, type: "DirectoryOrCreate" },
          claimRef: { name: claim, namespace: "default", uid: `claim-${claim}` },
        },
      });
    }

    it("binds the hostPath of the volume bound to the claim", async () => {
      const path = join(tmp.path, "pv-data");
      bind("data", "pv-1", path);
      const pod = makePod({
        volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }],
      });
      assert.equal((await manager.setUpPod(pod)).get("d"), path);
      assert.ok(statSync(path).isDirectory());
    });

    it("binds a local volume's path", async () => {
      sources.claims.set("default/loc", {
        metadata: { name: "loc" },
        spec: { volumeName: "pv-l" },
        status: { phase: "Bound" },
      });
      sources.volumes.set("pv-l", {
        metadata: { name: "pv-l" },
        spec: { local: { path: tmp.path }, claimRef: { name: "loc" } },
      });
      const pod = makePod({
        volumes: [{ name: "d", persistentVolumeClaim: { claimName: "loc" } }],
      });
      assert.equal((await manager.setUpPod(pod)).get("d"), tmp.path);
    });

    it("fails for a missing, unbound or foreign-bound claim", async () => {
      const setUp = (claimName: string) =>
        manager.setUpPod(
          makePod({ volumes: [{ name: "d", persistentVolumeClaim: { claimName } }] }),
        );
      await assert.rejects(setUp("nope"), {
        message:
          'error processing PVC default/nope: failed to fetch PVC from API server: persistentvolumeclaims "nope" not found',
      });
      bind("pending", "pv-2", tmp.path, "Pending");
      await assert.rejects(setUp("pending"), {
        message: "error processing PVC default/pending: PVC is not bound",
      });
      bind("stolen", "pv-3", tmp.path);
      sources.volumes.set("pv-3", {
        metadata: { name: "pv-3" },
        spec: { hostPath: { path: tmp.path }, claimRef: { name: "stolen", uid: "other" } },
      });
      await assert.rejects(setUp("stolen"), /does not point to claim\.UID claim-stolen/);
      bind("nfs", "pv-4", tmp.path);
      sources.volumes.set("pv-4", {
        metadata: { name: "pv-4" },
        spec: { nfs: { server: "x", path: "/" }, claimRef: { name: "nfs" } },
      });
      await assert.rejects(setUp("nfs"), /volume type nfs is not supported by k8ts/);
    });

    it("binds an ephemeral volume's claim only when the pod owns it", async () => {
      const pod = makePod({
        volumes: [{ name: "scratch", ephemeral: { volumeClaimTemplate: { spec: {} } } }],
      });
      bind("web-scratch", "pv-e", join(tmp.path, "eph"));
      await assert.rejects(
        manager.setUpPod(pod),
        /was not created for pod default\/web \(pod is not owner\)/,
      );
      const claim = sources.claims.get("default/web-scratch");
      assert.ok(claim?.metadata);
      claim.metadata.ownerReferences = [
        { apiVersion: "v1", kind: "Pod", name: "web", uid: uidOf(pod), controller: true },
      ];
      assert.equal((await manager.setUpPod(pod)).get("scratch"), join(tmp.path, "eph"));
    });
  });

  it("rejects volume types k8ts cannot mount", async () => {
    const pod = makePod({
      volumes: [{ name: "n", nfs: { server: "nfs.local", path: "/export" } }],
    });
    await assert.rejects(manager.setUpPod(pod), {
      message: 'MountVolume.SetUp failed for volume "n" : volume type nfs is not supported by k8ts',
    });
  });

  it("tears down the pod's volumes but never the host paths they bind", async () => {
    const host = join(tmp.path, "host");
    mkdirSync(host);
    writeFileSync(join(host, "keep"), "host data");
    sources.putConfigMap("cfg", { a: "1" });
    const pod = makePod({
      volumes: [
        { name: "h", hostPath: { path: host } },
        { name: "c", configMap: { name: "cfg" } },
        { name: "e", emptyDir: {} },
      ],
    });
    await manager.setUpPod(pod);
    await manager.tearDownPod(uidOf(pod));
    assert.equal(existsSync(join(podsDir, uidOf(pod), "volumes")), false);
    assert.equal(readFileSync(join(host, "keep"), "utf8"), "host data");
    await manager.tearDownPod(uidOf(pod));
    await manager.tearDownPod("never-seen");
  });

  it("rejects pods without a uid and uids that are not one path element", async () => {
    await assert.rejects(
      manager.setUpPod({ metadata: { name: "x" }, spec: { containers: [] } }),
      /pod has no metadata\.uid/,
    );
    await assert.rejects(manager.tearDownPod("../etc"), /invalid pod uid/);
  });
});
