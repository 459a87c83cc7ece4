import assert from "node:assert/strict";
import { chmodSync, mkdirSync, realpathSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import { VolumeError } from "../../../src/kubelet/volumes/errors.js";
import { makeMounts } from "../../../src/kubelet/volumes/mounts.js";
import { tempDir } from "../../support/tmp.js";

const pod: Pod = {
  metadata: { name: "web", namespace: "default", uid: "u1" },
  spec: {
    containers: [],
    volumes: [
      { name: "data", emptyDir: {} },
      { name: "cfg", configMap: { name: "cfg" } },
      { name: "claim", persistentVolumeClaim: { claimName: "c", readOnly: true } },
    ],
  },
};

function container(volumeMounts: NonNullable<Container["volumeMounts"]>): Container {
  return { name: "app", volumeMounts };
}

describe("container mounts", () => {
  let tmp: ReturnType<typeof tempDir>;
  let paths: Map<string, string>;
  beforeEach(() => {
    tmp = tempDir("mounts");
    paths = new Map();
    for (const name of ["data", "cfg", "claim"]) {
      mkdirSync(join(tmp.path, name));
      paths.set(name, join(tmp.path, name));
    }
    chmodSync(join(tmp.path, "data"), 0o777);
  });
  afterEach(() => tmp.remove());

  it("binds each volumeMount's volume at its mountPath, private and writable by default", async () => {
    const mounts = await makeMounts(pod, container([{ name: "data", mountPath: "/data" }]), paths);
    assert.deepEqual(mounts, [
      {
        containerPath: "/data",
        hostPath: join(tmp.path, "data"),
        readonly: false,
        propagation: "PROPAGATION_PRIVATE",
      },
    ]);
  });

  it("mounts API-data volumes and read-only claims read-only whatever the volumeMount says", async () => {
    const mounts = await makeMounts(
      pod,
      container([
        { name: "cfg", mountPath: "/etc/cfg", readOnly: false },
        { name: "claim", mountPath: "/claim" },
        { name: "data", mountPath: "/ro", readOnly: true },
      ]),
      paths,
    );
    assert.deepEqual(
      mounts.map((m) => m.readonly),
      [true, true, true],
    );
  });

  it("translates mountPropagation and makes a relative mountPath absolute", async () => {
    const mounts = await makeMounts(
      pod,
      container([
        { name: "data", mountPath: "a", mountPropagation: "HostToContainer" },
        { name: "data", mountPath: "/b", mountPropagation: "Bidirectional" },
        { name: "data", mountPath: "/c", mountPropagation: "None" },
      ]),
      paths,
    );
    assert.deepEqual(
      mounts.map((m) => [m.containerPath, m.propagation]),
      [
        ["/a", "PROPAGATION_HOST_TO_CONTAINER"],
        ["/b", "PROPAGATION_BIDIRECTIONAL"],
        ["/c", "PROPAGATION_PRIVATE"],
      ],
    );
    await assert.rejects(
      makeMounts(
        pod,
        container([{ name: "data", mountPath: "/x", mountPropagation: "Sideways" }]),
        paths,
      ),
      /invalid MountPropagation mode: "Sideways"/,
    );
  });

  it("fails clearly for a volume the pod does not have", async () => {
    await assert.rejects(
      makeMounts(pod, container([{ name: "ghost", mountPath: "/g" }]), paths),
      (err: unknown) =>
        err instanceof VolumeError &&
        err.reason === "CreateContainerConfigError" &&
        err.message === 'cannot find volume "ghost" to mount into container "app"',
    );
  });

  it("creates a missing subPath directory inside the volume with the volume's mode", async () => {
    const [mount] = await makeMounts(
      pod,
      container([{ name: "data", mountPath: "/d", subPath: "a/b" }]),
      paths,
    );
    const expected = join(realpathSync(join(tmp.path, "data")), "a", "b");
    assert.equal(mount?.hostPath, expected);
    assert.equal(statSync(expected).mode & 0o777, 0o777);
    assert.equal(statSync(join(tmp.path, "data", "a")).mode & 0o777, 0o777);
  });

  it("binds an existing subPath file, following links that stay in the volume", async () => {
    const cfg = join(tmp.path, "cfg");
    mkdirSync(join(cfg, "..data"));
    writeFileSync(join(cfg, "..data", "app.yaml"), "x");
    symlinkSync("..data/app.yaml", join(cfg, "app.yaml"));
    const [mount] = await makeMounts(
      pod,
      container([{ name: "cfg", mountPath: "/app.yaml", subPath: "app.yaml" }]),
      paths,
    );
    assert.equal(mount?.hostPath, join(realpathSync(cfg), "..data", "app.yaml"));
  });

  it("rejects absolute and .. subPaths with upstream's words", async () => {
    await assert.rejects(
      makeMounts(pod, container([{ name: "data", mountPath: "/d", subPath: "/etc" }]), paths),
      /^VolumeError: error SubPath `\/etc` must not be an absolute path$/,
    );
    await assert.rejects(
      makeMounts(
        pod,
        container([{ name: "data", mountPath: "/d", subPath: "a/../../etc" }]),
        paths,
      ),
      /^VolumeError: unable to provision SubPath `a\/\.\.\/\.\.\/etc`: must not contain '\.\.'$/,
    );
  });

  it("refuses a subPath that leaves the volume through a symlink", async () => {
    symlinkSync("/etc", join(tmp.path, "data", "evil"));
    await assert.rejects(
      makeMounts(pod, container([{ name: "data", mountPath: "/d", subPath: "evil" }]), paths),
      /failed to prepare subPath for volumeMount "data" of container "app"/,
    );
    await assert.rejects(
      makeMounts(pod, container([{ name: "data", mountPath: "/d", subPath: "evil/new" }]), paths),
      /failed to prepare subPath/,
    );
    assert.equal(statSync("/etc/new", { throwIfNoEntry: false }), undefined);
  });

  it("does not support subPathExpr", async () => {
    await assert.rejects(
      makeMounts(
        pod,
        container([{ name: "data", mountPath: "/d", subPathExpr: "$(POD_NAME)" }]),
        paths,
      ),
      /subPathExpr is not supported by k8ts \(volumeMount "data" of container "app"\)/,
    );
  });
});
