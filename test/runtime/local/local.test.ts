import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { abandonedCreation } from "../../../src/runtime/engine/recovery.js";
import type { Digest, ImageManifest } from "../../../src/runtime/images/index.js";
import { MediaType } from "../../../src/runtime/images/index.js";
import {
  committedConfig,
  committedManifest,
  committedMediaTypes,
} from "../../../src/runtime/local/commit-config.js";
import { formatPort, type LocalRunSpec, localConfigs } from "../../../src/runtime/local/configs.js";
import {
  generateName,
  NoSuchContainerError,
  resolveContainer,
} from "../../../src/runtime/local/names.js";
import { availableCapabilities } from "../../../src/runtime/oci/host.js";
import { buildCapabilities } from "../../../src/runtime/spec/capabilities.js";

const d = (c: string) => `sha256:${c.repeat(64)}` as Digest;

describe("k8ts run container names", () => {
  const containers = [
    { id: "abc123", name: "web" },
    { id: "abd456", name: "db" },
  ];
  it("finds a container by name, full ID or unique ID prefix", () => {
    assert.equal(resolveContainer("web", containers).id, "abc123");
    assert.equal(resolveContainer("abd456", containers).name, "db");
    assert.equal(resolveContainer("abc", containers).name, "web");
  });
  it("refuses an unknown reference and a prefix two containers share", () => {
    assert.throws(() => resolveContainer("zzz", containers), NoSuchContainerError);
    assert.throws(() => resolveContainer("ab", containers), /matches 2 containers/);
  });
  it("generates docker-like names", () => {
    assert.match(generateName(new Set(), Math.random), /^[a-z]+_[a-z]+$/);
  });
});

describe("k8ts run → CRI configs", () => {
  const spec: LocalRunSpec = {
    name: "web",
    image: "busybox",
    command: ["sh", "-c", "echo $HOME $(hostname)"],
    env: [{ key: "A", value: "1" }],
    mounts: [{ hostPath: "/srv", containerPath: "/data", readonly: true }],
    ports: [{ protocol: "TCP", containerPort: 80, hostPort: 8080 }],
    memoryBytes: 64 << 20,
    cpu: { cpuQuota: 20_000, cpuPeriod: 100_000 },
    pidsLimit: 20,
    tty: false,
    stdin: false,
    autoRemove: true,
  };
  const { sandbox, container, pidsLimit } = localConfigs(spec, {
    uid: "u1",
    hostname: "h1",
    processArgs: ["sh", "-c", "x"],
  });
  it("makes one sandbox with the ports, labelled with the name, and its own PID namespace", () => {
    assert.deepEqual(sandbox.metadata, { name: "web", uid: "u1", namespace: "k8ts-run" });
    assert.equal(sandbox.hostname, "h1");
    assert.deepEqual(sandbox.labels, { "io.k8ts.run": "1", "io.k8ts.run.name": "web" });
    assert.deepEqual(sandbox.portMappings, spec.ports);
    assert.equal(container.linux?.securityContext?.namespaceOptions?.pid, "CONTAINER");
  });
  it("keeps the command literal (no $(VAR) expansion) as the image's Cmd replacement", () => {
    assert.deepEqual(container.args, ["sh", "-c", "echo $$HOME $$(hostname)"]);
    assert.equal(container.command, undefined, "the Entrypoint stays");
  });
  it("sets the limits as CRI resources and the pids limit beside them", () => {
    assert.deepEqual(container.linux?.resources, {
      memoryLimitInBytes: 64 << 20,
      cpuQuota: 20_000,
      cpuPeriod: 100_000,
    });
    assert.equal(pidsLimit, 20);
    assert.equal(formatPort(spec.ports[0] ?? { containerPort: 0 }), "0.0.0.0:8080->80/tcp");
  });
});

describe("commit", () => {
  const base: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.dockerManifest,
    config: { mediaType: MediaType.dockerConfig, digest: d("a"), size: 1 },
    layers: [{ mediaType: MediaType.dockerLayerGzip, digest: d("b"), size: 2 }],
  };
  const layer = { digest: d("c"), size: 3, diffId: d("e") };
  it("adds the diff ID and a history entry, keeping unknown config fields", () => {
    const config = committedConfig(
      {
        os: "linux",
        config: { Cmd: ["sh"] },
        rootfs: { type: "layers", diff_ids: [d("f")] },
        extra: 1,
      },
      layer,
      { created: new Date(0), comment: "hi" },
    );
    assert.deepEqual(config.rootfs, { type: "layers", diff_ids: [d("f"), d("e")] });
    assert.deepEqual(config.history, [{ created: "1970-01-01T00:00:00.000Z", comment: "hi" }]);
    assert.equal(config.extra, 1);
  });
  it("appends the layer in the base manifest's format", () => {
    assert.deepEqual(committedMediaTypes(base), {
      config: MediaType.dockerConfig,
      layer: MediaType.dockerLayerGzip,
    });
    const m = committedManifest(
      base,
      { mediaType: MediaType.dockerConfig, digest: d("9"), size: 4 },
      layer,
    );
    assert.equal(m.mediaType, MediaType.dockerManifest);
    assert.deepEqual(
      m.layers.map((l) => [l.mediaType, l.digest]),
      [
        [MediaType.dockerLayerGzip, d("b")],
        [MediaType.dockerLayerGzip, d("c")],
      ],
    );
  });
});

describe("engine recovery", () => {
  const at = { now: 100n, graceNs: 10n };
  const record = { createdAt: 50n, startedAt: 0n, monitorStarted: false, runcKnows: false };
  it("counts an old record with no monitor and no runc state as abandoned", () => {
    assert.equal(abandonedCreation(record, at), true);
  });
  it("keeps young records, started ones and those conmon or runc know", () => {
    assert.equal(abandonedCreation({ ...record, createdAt: 95n }, at), false);
    assert.equal(abandonedCreation({ ...record, startedAt: 60n }, at), false);
    assert.equal(abandonedCreation({ ...record, monitorStarted: true }, at), false);
    assert.equal(abandonedCreation({ ...record, runcKnows: true }, at), false);
  });
});

describe("privileged containers inside a container", () => {
  it("get the capabilities the engine holds, not ones it lacks", () => {
    const available = availableCapabilities("CapBnd:\t000001fffeffffff\n");
    assert.ok(available && !available.includes("CAP_SYS_RESOURCE"));
    assert.ok(available.includes("CAP_SYS_ADMIN"));
    assert.equal(availableCapabilities("CapBnd:\t000001ffffffffff\n"), undefined, "all of them");
    const caps = buildCapabilities({ privileged: true, available });
    assert.deepEqual(caps.bounding, available);
  });
});
