/**
 * The RuntimeService/ImageService contract, as one suite every engine must
 * pass unchanged: the in-memory fake today, the runc engine when it lands.
 * Only behaviour the CRI defines is asserted here (states, filters,
 * idempotence, not-found errors), never how an engine achieves it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type ContainerConfig,
  CriNotFoundError,
  type ImageService,
  type PodSandboxConfig,
  type RuntimeService,
} from "../../src/runtime/cri.js";

export interface RuntimeUnderTest {
  readonly runtime: RuntimeService;
  readonly images: ImageService;
  /** An image the engine can pull. */
  readonly image: string;
  /** A command that runs until stopped, in that image. */
  readonly command: string[];
  /** Removes everything the engine created. */
  readonly dispose: () => Promise<void>;
}

let serial = 0;

function sandboxConfig(name: string, labels: Record<string, string> = {}): PodSandboxConfig {
  serial += 1;
  return {
    metadata: { name, uid: `uid-${name}-${serial}`, namespace: "contract", attempt: 0 },
    hostname: name,
    logDirectory: `/var/log/pods/contract_${name}_uid-${serial}`,
    labels: { "io.kubernetes.pod.name": name, ...labels },
    annotations: { "contract/serial": String(serial) },
  };
}

export function runtimeContract(name: string, setup: () => Promise<RuntimeUnderTest>): void {
  describe(`runtime contract: ${name}`, () => {
    let t: RuntimeUnderTest;
    const containerConfig = (container: string, attempt = 0): ContainerConfig => ({
      metadata: { name: container, attempt },
      image: { image: t.image },
      command: t.command,
      labels: { "io.kubernetes.container.name": container },
      logPath: `${container}/${attempt}.log`,
    });

    before(async () => {
      t = await setup();
      await t.images.pullImage({ image: { image: t.image } });
    });
    after(async () => {
      await t.dispose();
    });

    it("lists a pulled image by name and reports it in imageStatus", async () => {
      const status = await t.images.imageStatus({ image: t.image });
      assert.ok(status, "pulled image has a status");
      assert.match(status.id, /^sha256:[0-9a-f]{64}$/);
      const listed = await t.images.listImages({ image: { image: t.image } });
      assert.deepEqual(
        listed.map((i) => i.id),
        [status.id],
      );
      assert.equal(
        (await t.images.imageStatus({ image: status.id }))?.id,
        status.id,
        "found by ID",
      );
    });

    it("answers undefined, not an error, for an absent image, and removes idempotently", async () => {
      assert.equal(await t.images.imageStatus({ image: "contract/absent:never" }), undefined);
      await t.images.removeImage({ image: "contract/absent:never" });
    });

    it("runs a sandbox that is ready, has an IP and keeps its metadata and labels", async () => {
      const config = sandboxConfig("ready", { tier: "web" });
      const id = await t.runtime.runPodSandbox(config);
      try {
        const status = await t.runtime.podSandboxStatus(id);
        assert.equal(status.id, id);
        assert.equal(status.state, "SANDBOX_READY");
        assert.deepEqual(status.metadata, config.metadata);
        assert.equal(status.labels?.tier, "web");
        assert.match(status.network?.ip ?? "", /^\d+\.\d+\.\d+\.\d+$/);
        assert.ok(status.createdAt > 0n);
      } finally {
        await t.runtime.removePodSandbox(id);
      }
    });

    it("gives concurrent sandboxes distinct IPs", async () => {
      const ids = await Promise.all(
        ["ip-a", "ip-b", "ip-c"].map((n) => t.runtime.runPodSandbox(sandboxConfig(n))),
      );
      try {
        const ips = await Promise.all(
          ids.map(async (id) => (await t.runtime.podSandboxStatus(id)).network?.ip),
        );
        assert.equal(new Set(ips).size, 3, `distinct IPs: ${ips.join(", ")}`);
      } finally {
        for (const id of ids) await t.runtime.removePodSandbox(id);
      }
    });

    it("filters sandboxes by id, state and labels", async () => {
      const a = await t.runtime.runPodSandbox(sandboxConfig("filter-a", { app: "x" }));
      const b = await t.runtime.runPodSandbox(sandboxConfig("filter-b", { app: "y" }));
      try {
        await t.runtime.stopPodSandbox(b);
        const byLabel = await t.runtime.listPodSandbox({ labelSelector: { app: "x" } });
        assert.deepEqual(
          byLabel.map((s) => s.id),
          [a],
        );
        const byId = await t.runtime.listPodSandbox({ id: b });
        assert.equal(byId[0]?.state, "SANDBOX_NOTREADY");
        const ready = (await t.runtime.listPodSandbox({ state: "SANDBOX_READY" })).map((s) => s.id);
        assert.ok(ready.includes(a) && !ready.includes(b));
      } finally {
        await t.runtime.removePodSandbox(a);
        await t.runtime.removePodSandbox(b);
      }
    });

    it("takes a container from created to running to exited", async () => {
      const config = sandboxConfig("lifecycle");
      const sandbox = await t.runtime.runPodSandbox(config);
      try {
        const id = await t.runtime.createContainer(sandbox, {
          config: containerConfig("app"),
          sandboxConfig: config,
        });
        let status = await t.runtime.containerStatus(id);
        assert.equal(status.state, "CONTAINER_CREATED");
        assert.equal(status.startedAt, 0n);
        assert.equal(status.metadata.name, "app");
        assert.ok(status.logPath.endsWith("app/0.log"), status.logPath);

        await t.runtime.startContainer(id);
        status = await t.runtime.containerStatus(id);
        assert.equal(status.state, "CONTAINER_RUNNING");
        assert.ok(status.startedAt >= status.createdAt);

        await t.runtime.stopContainer(id, 1);
        status = await t.runtime.containerStatus(id);
        assert.equal(status.state, "CONTAINER_EXITED");
        assert.notEqual(status.exitCode, 0, "a stopped long-running process did not exit cleanly");
        assert.ok(status.finishedAt >= status.startedAt);
        await t.runtime.stopContainer(id, 1); // idempotent
        await t.runtime.removeContainer(id);
        await t.runtime.removeContainer(id); // idempotent
        await assert.rejects(t.runtime.containerStatus(id), CriNotFoundError);
      } finally {
        await t.runtime.removePodSandbox(sandbox);
      }
    });

    it("filters containers by sandbox, state and labels", async () => {
      const config = sandboxConfig("containers");
      const sandbox = await t.runtime.runPodSandbox(config);
      try {
        const web = await t.runtime.createContainer(sandbox, {
          config: containerConfig("web"),
          sandboxConfig: config,
        });
        const side = await t.runtime.createContainer(sandbox, {
          config: containerConfig("side"),
          sandboxConfig: config,
        });
        await t.runtime.startContainer(web);
        const inSandbox = await t.runtime.listContainers({ podSandboxId: sandbox });
        assert.deepEqual(inSandbox.map((c) => c.id).sort(), [web, side].sort());
        const running = await t.runtime.listContainers({
          podSandboxId: sandbox,
          state: "CONTAINER_RUNNING",
        });
        assert.deepEqual(
          running.map((c) => c.id),
          [web],
        );
        const byLabel = await t.runtime.listContainers({
          labelSelector: { "io.kubernetes.container.name": "side" },
        });
        assert.deepEqual(
          byLabel.map((c) => c.id),
          [side],
        );
        assert.equal(running[0]?.podSandboxId, sandbox);
      } finally {
        await t.runtime.removePodSandbox(sandbox);
      }
    });

    it("stopping a sandbox stops its containers; removing it removes them", async () => {
      const config = sandboxConfig("teardown");
      const sandbox = await t.runtime.runPodSandbox(config);
      const id = await t.runtime.createContainer(sandbox, {
        config: containerConfig("main"),
        sandboxConfig: config,
      });
      await t.runtime.startContainer(id);
      await t.runtime.stopPodSandbox(sandbox);
      assert.equal((await t.runtime.containerStatus(id)).state, "CONTAINER_EXITED");
      assert.equal((await t.runtime.podSandboxStatus(sandbox)).state, "SANDBOX_NOTREADY");
      await t.runtime.stopPodSandbox(sandbox); // idempotent
      await t.runtime.removePodSandbox(sandbox);
      await t.runtime.removePodSandbox(sandbox); // idempotent
      assert.deepEqual(await t.runtime.listContainers({ podSandboxId: sandbox }), []);
      await assert.rejects(t.runtime.podSandboxStatus(sandbox), CriNotFoundError);
    });

    it("rejects unknown IDs with a not-found error and stops unknown sandboxes quietly", async () => {
      const unknown = "0".repeat(64);
      await assert.rejects(t.runtime.podSandboxStatus(unknown), CriNotFoundError);
      await assert.rejects(t.runtime.containerStatus(unknown), CriNotFoundError);
      await assert.rejects(t.runtime.startContainer(unknown), CriNotFoundError);
      await t.runtime.stopPodSandbox(unknown);
      await t.runtime.removePodSandbox(unknown);
      await t.runtime.removeContainer(unknown);
    });

    it("refuses a container whose image was never pulled", async () => {
      const config = sandboxConfig("no-image");
      const sandbox = await t.runtime.runPodSandbox(config);
      try {
        await assert.rejects(
          t.runtime.createContainer(sandbox, {
            config: { ...containerConfig("x"), image: { image: "contract/never-pulled:1" } },
            sandboxConfig: config,
          }),
          /never-pulled/,
        );
      } finally {
        await t.runtime.removePodSandbox(sandbox);
      }
    });

    it("refuses a second container with the same name and attempt in a sandbox", async () => {
      const config = sandboxConfig("dup");
      const sandbox = await t.runtime.runPodSandbox(config);
      try {
        await t.runtime.createContainer(sandbox, {
          config: containerConfig("same"),
          sandboxConfig: config,
        });
        await assert.rejects(
          t.runtime.createContainer(sandbox, {
            config: containerConfig("same"),
            sandboxConfig: config,
          }),
          /already in use/,
        );
        // The next restart attempt is a new container.
        await t.runtime.createContainer(sandbox, {
          config: containerConfig("same", 1),
          sandboxConfig: config,
        });
      } finally {
        await t.runtime.removePodSandbox(sandbox);
      }
    });

    it("updates a running container's resources: set fields replace, unset ones stay", async () => {
      const config = sandboxConfig("update");
      const sandbox = await t.runtime.runPodSandbox(config);
      try {
        const id = await t.runtime.createContainer(sandbox, {
          config: {
            ...containerConfig("u"),
            linux: { resources: { cpuShares: 512, memoryLimitInBytes: 64 * 1024 * 1024 } },
          },
          sandboxConfig: config,
        });
        await t.runtime.startContainer(id);
        await t.runtime.updateContainerResources(id, {
          memoryLimitInBytes: 128 * 1024 * 1024,
          cpuQuota: 20_000,
          cpuPeriod: 100_000,
        });
        const status = await t.runtime.containerStatus(id);
        assert.equal(status.state, "CONTAINER_RUNNING");
        assert.deepEqual(status.resources?.linux, {
          cpuShares: 512,
          memoryLimitInBytes: 128 * 1024 * 1024,
          cpuQuota: 20_000,
          cpuPeriod: 100_000,
        });
        await assert.rejects(t.runtime.updateContainerResources("nope", {}), CriNotFoundError);
      } finally {
        await t.runtime.removePodSandbox(sandbox);
      }
    });

    it("reports stats for a running container", async () => {
      const config = sandboxConfig("stats");
      const sandbox = await t.runtime.runPodSandbox(config);
      try {
        const id = await t.runtime.createContainer(sandbox, {
          config: containerConfig("s"),
          sandboxConfig: config,
        });
        await t.runtime.startContainer(id);
        const stats = await t.runtime.containerStats(id);
        assert.equal(stats.attributes.id, id);
        assert.ok(stats.cpu && stats.cpu.timestamp > 0n);
        assert.ok(stats.memory?.workingSetBytes !== undefined);
        const listed = await t.runtime.listContainerStats({ podSandboxId: sandbox });
        assert.deepEqual(
          listed.map((s) => s.attributes.id),
          [id],
        );
      } finally {
        await t.runtime.removePodSandbox(sandbox);
      }
    });
  });
}
