// Root suite: volumes on tmpfs (secret, projected, emptyDir medium Memory),
// fsGroup ownership, and tear-down unmounting them.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { VolumeManager } from "../../../src/kubelet/volumes/manager.js";
import { tempDir } from "../../support/tmp.js";
import { FakeSources, makePod } from "./fakes.js";

interface MountRow {
  mountPoint: string;
  fsType: string;
  superOptions: string;
}

function mounts(): MountRow[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((line) => {
      const f = line.split(" ");
      const dash = f.indexOf("-", 6);
      return { mountPoint: f[4] ?? "", fsType: f[dash + 1] ?? "", superOptions: f[dash + 3] ?? "" };
    });
}

function mountsAt(path: string): MountRow[] {
  const real = realpathSync(path);
  return mounts().filter((m) => m.mountPoint === real);
}

function mountsUnder(dir: string): string[] {
  return mounts()
    .map((m) => m.mountPoint)
    .filter((p) => p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

function uidOf(pod: Pod): string {
  return pod.metadata?.uid ?? "";
}

describe("the volume manager (memory-backed volumes)", () => {
  let tmp: ReturnType<typeof tempDir>;
  let podsDir: string;
  let sources: FakeSources;
  let manager: VolumeManager;
  beforeEach(() => {
    tmp = tempDir("volumes-root");
    podsDir = join(tmp.path, "pods");
    sources = new FakeSources();
    manager = new VolumeManager({ podsDir, sources, nodeAllocatable: { memory: "64Mi" } });
  });
  afterEach(() => {
    // Whatever a failing test left mounted goes before the directory does.
    for (const m of mountsUnder(realpathSync(tmp.path))) execFileSync("umount", ["-l", m]);
    tmp.remove();
  });

  it("puts a secret on a tmpfs sized to node allocatable, with its modes, and refreshes it by swapping ..data", async () => {
    sources.putSecret("creds", { user: "admin", pass: "s3cr3t" });
    const pod = makePod({
      volumes: [
        {
          name: "creds",
          secret: {
            secretName: "creds",
            items: [
              { key: "pass", path: "p/pass", mode: 0o400 },
              { key: "user", path: "user" },
            ],
          },
        },
      ],
    });
    const dir = (await manager.setUpPod(pod)).get("creds") ?? "";
    assert.equal(dir, join(podsDir, uidOf(pod), "volumes", "kubernetes.io~secret", "creds"));
    const [mount] = mountsAt(dir);
    assert.equal(mount?.fsType, "tmpfs");
    assert.match(mount?.superOptions ?? "", /(^|,)size=65536k(,|$)/);
    assert.equal(statSync(dir).mode & 0o7777, 0o1777, "a tmpfs root, as upstream's");
    assert.equal(readFileSync(join(dir, "p/pass"), "utf8"), "s3cr3t");
    assert.equal(statSync(join(dir, "p/pass")).mode & 0o777, 0o400);
    assert.equal(statSync(join(dir, "user")).mode & 0o777, 0o644);
    const first = readlinkSync(join(dir, "..data"));

    sources.putSecret("creds", { user: "root", pass: "rotated" });
    await manager.setUpPod(pod);
    assert.equal(readFileSync(join(dir, "p/pass"), "utf8"), "rotated");
    assert.equal(readFileSync(join(dir, "user"), "utf8"), "root");
    assert.notEqual(readlinkSync(join(dir, "..data")), first);
    assert.equal(existsSync(join(dir, first)), false);
    assert.equal(mountsAt(dir).length, 1, "a refresh does not mount again");
  });

  it("fails on a missing secret with upstream's message, leaving no directory and no mount", async () => {
    const pod = makePod({ volumes: [{ name: "creds", secret: { secretName: "absent" } }] });
    await assert.rejects(manager.setUpPod(pod), {
      name: "VolumeError",
      reason: "FailedMount",
      message: 'MountVolume.SetUp failed for volume "creds" : secret "absent" not found',
    });
    assert.equal(existsSync(join(podsDir, uidOf(pod))), false);
    assert.deepEqual(mountsUnder(realpathSync(tmp.path)), []);
  });

  it("keeps a published secret when a refresh finds it deleted", async () => {
    sources.putSecret("creds", { a: "1" });
    const pod = makePod({ volumes: [{ name: "creds", secret: { secretName: "creds" } }] });
    const dir = (await manager.setUpPod(pod)).get("creds") ?? "";
    sources.secrets.clear();
    await assert.rejects(manager.setUpPod(pod), /secret "creds" not found/);
    assert.equal(readFileSync(join(dir, "a"), "utf8"), "1");
  });

  it("sets up an optional missing secret as an empty tmpfs", async () => {
    const pod = makePod({
      volumes: [{ name: "creds", secret: { secretName: "absent", optional: true } }],
    });
    const dir = (await manager.setUpPod(pod)).get("creds") ?? "";
    assert.equal(mountsAt(dir)[0]?.fsType, "tmpfs");
    assert.deepEqual(
      readdirSync(dir).filter((n) => !n.startsWith("..")),
      [],
    );
  });

  it("unmounts and removes a new volume whose files do not fit its tmpfs", async () => {
    const tiny = new VolumeManager({ podsDir, sources, nodeAllocatable: { memory: "4Ki" } });
    sources.putSecret("big", { blob: "x".repeat(256 * 1024) });
    const pod = makePod({ volumes: [{ name: "big", secret: { secretName: "big" } }] });
    await assert.rejects(
      tiny.setUpPod(pod),
      /MountVolume\.SetUp failed for volume "big" : .*ENOSPC/,
    );
    assert.equal(
      existsSync(join(podsDir, uidOf(pod), "volumes", "kubernetes.io~secret", "big")),
      false,
    );
    assert.deepEqual(mountsUnder(realpathSync(tmp.path)), []);
  });

  it("projects secrets, configMaps, downward API fields and a service account token into one tmpfs", async () => {
    sources.putSecret("creds", { pass: "s3cr3t" });
    sources.putConfigMap("cfg", { "ca.crt": "CERT" });
    sources.token = "eyJ.token";
    const pod = makePod({
      volumes: [
        {
          name: "kube-api-access",
          projected: {
            defaultMode: 0o444,
            sources: [
              { serviceAccountToken: { path: "token", audience: "vault" } },
              { serviceAccountToken: { path: "default-token" } },
              { configMap: { name: "cfg", items: [{ key: "ca.crt", path: "ca.crt" }] } },
              { secret: { name: "creds" } },
              {
                downwardAPI: {
                  items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }],
                },
              },
            ],
          },
        },
      ],
    });
    const dir = (await manager.setUpPod(pod)).get("kube-api-access") ?? "";
    assert.equal(
      dir,
      join(podsDir, uidOf(pod), "volumes", "kubernetes.io~projected", "kube-api-access"),
    );
    assert.equal(mountsAt(dir)[0]?.fsType, "tmpfs");
    const read = (f: string) => readFileSync(join(dir, f), "utf8");
    assert.equal(read("token"), "eyJ.token");
    assert.equal(read("ca.crt"), "CERT");
    assert.equal(read("pass"), "s3cr3t");
    assert.equal(read("namespace"), "default");
    assert.equal(statSync(join(dir, "token")).mode & 0o777, 0o444);
    assert.deepEqual(sources.tokenRequests, [
      { audience: "vault", expirationSeconds: 3600 },
      { expirationSeconds: 3600 },
    ]);

    sources.token = "eyJ.renewed";
    await manager.setUpPod(pod);
    assert.equal(read("token"), "eyJ.renewed");
  });

  it("reports every failing projection and refuses clusterTrustBundle", async () => {
    const pod = makePod({
      volumes: [
        {
          name: "p",
          projected: {
            sources: [
              { secret: { name: "absent" } },
              { clusterTrustBundle: { name: "roots", path: "roots.pem" } },
            ],
          },
        },
      ],
    });
    await assert.rejects(manager.setUpPod(pod), {
      message:
        'MountVolume.SetUp failed for volume "p" : [secret "absent" not found, clusterTrustBundle projections are not supported by k8ts]',
    });
    assert.equal(existsSync(join(podsDir, uidOf(pod))), false);
  });

  it("gives a projected token to the pod's runAsUser and fsGroup with mode 0640", async () => {
    const pod = makePod({
      securityContext: { runAsUser: 1234, fsGroup: 5678 },
      volumes: [
        { name: "t", projected: { sources: [{ serviceAccountToken: { path: "token" } }] } },
      ],
    });
    const dir = (await manager.setUpPod(pod)).get("t") ?? "";
    const info = statSync(join(dir, "token"));
    assert.equal(info.uid, 1234);
    assert.equal(info.gid, 5678);
    assert.equal(info.mode & 0o777, 0o640, "0600 for the user, then group-readable for fsGroup");
  });

  it("mounts a Memory emptyDir with its sizeLimit once, keeping its files across calls", async () => {
    const pod = makePod({
      volumes: [{ name: "cache", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } }],
    });
    const dir = (await manager.setUpPod(pod)).get("cache") ?? "";
    const [mount] = mountsAt(dir);
    assert.equal(mount?.fsType, "tmpfs");
    assert.match(mount?.superOptions ?? "", /(^|,)size=1024k(,|$)/);
    writeFileSync(join(dir, "hot"), "data");
    await manager.setUpPod(pod);
    assert.equal(mountsAt(dir).length, 1);
    assert.equal(readFileSync(join(dir, "hot"), "utf8"), "data");
  });

  it("gives an emptyDir to the pod's fsGroup with the setgid bit", async () => {
    const pod = makePod({
      securityContext: { fsGroup: 4321 },
      volumes: [{ name: "shared", emptyDir: {} }],
    });
    const dir = (await manager.setUpPod(pod)).get("shared") ?? "";
    const info = statSync(dir);
    assert.equal(info.gid, 4321);
    assert.equal(info.mode & 0o7777, 0o2777);
  });

  it("tears down every mount beneath the pod's volumes, nested ones first, and is safe to repeat", async () => {
    sources.putSecret("creds", { a: "1" });
    const host = join(tmp.path, "host");
    mkdirSync(host);
    writeFileSync(join(host, "keep"), "host data");
    const pod = makePod({
      volumes: [
        { name: "creds", secret: { secretName: "creds" } },
        { name: "cache", emptyDir: { medium: "Memory" } },
        { name: "h", hostPath: { path: host, type: "Directory" } },
      ],
    });
    const paths = await manager.setUpPod(pod);
    // A container with Bidirectional propagation may leave a mount inside a volume.
    const inner = join(paths.get("cache") ?? "", "inner");
    mkdirSync(inner);
    execFileSync("mount", ["-t", "tmpfs", "tmpfs", inner]);
    const volumesDir = realpathSync(join(podsDir, uidOf(pod), "volumes"));
    assert.equal(mountsUnder(volumesDir).length, 3);

    await manager.tearDownPod(uidOf(pod));
    assert.deepEqual(mountsUnder(volumesDir), []);
    assert.equal(existsSync(volumesDir), false);
    assert.equal(readFileSync(join(host, "keep"), "utf8"), "host data");
    await manager.tearDownPod(uidOf(pod));
  });
});
