/**
 * The containers of `k8ts run`: the runc engine on a state directory of
 * their own (`<data-dir>/containers`) with the image store `k8ts image`
 * uses (`<data-dir>/images`) and a CNI bridge of their own (network.ts).
 * Each container is one pod sandbox holding one container, as `crictl
 * runp` + `crictl create` make them; names live in their labels. There is
 * no daemon: every command opens the engine on the state directory, which
 * re-adopts whatever runs (conmon keeps the containers), so a killed
 * `k8ts run` leaves its container running and listed.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import type {
  ContainerState,
  ContainerStatus,
  LinuxContainerResources,
  PodSandboxStatus,
} from "../cri.js";
import { CniPodNetwork, Engine } from "../engine/index.js";
import type { ContainerRecord } from "../engine/records.js";
import {
  type Descriptor,
  ImageNotFoundError,
  ImageStore,
  type PullProgress,
  pullImage,
  type RegistriesConfig,
  type ResolvedImage,
  writeLayerFromUpper,
} from "../images/index.js";
import { readExitCode, waitForExit } from "../oci/index.js";
import { INIT_LAYER_FILES } from "../rootfs/index.js";
import { resolveArgs } from "../spec/index.js";
import { committedConfig, committedManifest, committedMediaTypes } from "./commit-config.js";
import { type LocalRunSpec, localConfigs } from "./configs.js";
import { LOCAL_LABEL, NAME_LABEL, resolveContainer } from "./names.js";
import { localNetwork } from "./network.js";

export interface LocalRuntimeOptions {
  /** k8ts's data directory: containers in `<dataDir>/containers`, images in `<dataDir>/images`. */
  readonly dataDir: string;
  /** Mirrors and credentials for pulls (k3s registries.yaml). */
  readonly registries?: RegistriesConfig | undefined;
}

/** A `k8ts run` container as `ps` lists it. */
export interface LocalContainer {
  readonly id: string;
  readonly name: string;
  readonly podSandboxId: string;
  readonly state: ContainerState;
  readonly createdAt: bigint;
  readonly annotations: Readonly<Record<string, string>>;
}

/** Prefix of the network namespaces of `k8ts run` sandboxes. */
export const LOCAL_NETNS_PREFIX = "k8ts-run-";

export class LocalRuntime {
  readonly engine: Engine;
  readonly images: ImageStore;
  readonly #registries: RegistriesConfig | undefined;

  private constructor(engine: Engine, images: ImageStore, registries?: RegistriesConfig) {
    this.engine = engine;
    this.images = images;
    this.#registries = registries;
  }

  /** Opens the engine on `<dataDir>/containers` and runs its recovery pass. */
  static async open(options: LocalRuntimeOptions): Promise<LocalRuntime> {
    const images = await ImageStore.open(join(options.dataDir, "images"));
    const stateDir = join(options.dataDir, "containers");
    const engine = new Engine({
      stateDir,
      images,
      network: new CniPodNetwork(await localNetwork(stateDir)),
      nodeIp: "127.0.0.1",
      netnsPrefix: LOCAL_NETNS_PREFIX,
    });
    await engine.recover();
    return new LocalRuntime(engine, images, options.registries);
  }

  async list(): Promise<LocalContainer[]> {
    const all = await this.engine.listContainers({ labelSelector: { [LOCAL_LABEL]: "1" } });
    return all
      .map((c) => ({
        id: c.id,
        name: c.labels?.[NAME_LABEL] ?? c.id.slice(0, 12),
        podSandboxId: c.podSandboxId,
        state: c.state,
        createdAt: c.createdAt,
        annotations: c.annotations ?? {},
      }))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  /** The container a name, ID or unique ID prefix names (NoSuchContainerError otherwise). */
  async find(ref: string): Promise<LocalContainer> {
    return resolveContainer(ref, await this.list());
  }

  /** The image from the store, pulled first if it is not there. */
  async image(reference: string, onProgress?: (p: PullProgress) => void): Promise<ResolvedImage> {
    try {
      return await this.images.resolve(reference);
    } catch (error) {
      if (!(error instanceof ImageNotFoundError)) throw error;
    }
    await pullImage(this.images, reference, {
      ...(this.#registries ? { registries: this.#registries } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
    return this.images.resolve(reference);
  }

  /** Makes the sandbox and the (created, not started) container; undoes both on failure. */
  /**
   * Creates the run's sandbox and container (not started). `exitCommand`,
   * given the sandbox's ID, is what conmon runs once the container ended.
   */
  async create(
    spec: LocalRunSpec,
    onProgress?: (p: PullProgress) => void,
    options: { exitCommand?: (podSandboxId: string) => readonly string[] } = {},
  ): Promise<{ id: string; podSandboxId: string }> {
    if ((await this.list()).some((c) => c.name === spec.name))
      throw new Error(`the container name ${JSON.stringify(spec.name)} is already in use`);
    const image = await this.image(spec.image, onProgress);
    const imageConfig = image.config.config;
    const processArgs = resolveArgs({
      imageEntrypoint: imageConfig.Entrypoint,
      imageCmd: imageConfig.Cmd,
      args: spec.command,
    });
    const configs = localConfigs(spec, {
      uid: randomUUID(),
      hostname: randomBytes(6).toString("hex"),
      processArgs,
    });
    const podSandboxId = await this.engine.runPodSandbox(configs.sandbox);
    try {
      const id = await this.engine.createContainer(podSandboxId, {
        config: configs.container,
        sandboxConfig: configs.sandbox,
        ...(configs.pidsLimit !== undefined ? { pidsLimit: configs.pidsLimit } : {}),
        ...(options.exitCommand ? { exitCommand: options.exitCommand(podSandboxId) } : {}),
      });
      return { id, podSandboxId };
    } catch (error) {
      await this.engine.removePodSandbox(podSandboxId).catch(() => {});
      throw error;
    }
  }

  /** Waits until the container's process ended and returns its exit code. */
  async wait(id: string): Promise<number> {
    const exitDir = this.engine.containers.exitDir;
    while ((await waitForExit(exitDir, id, 60_000)) === undefined) {
      const status = await this.engine.containerStatus(id);
      if (status.state === "CONTAINER_EXITED") return status.exitCode;
    }
    return (await readExitCode(exitDir, id)) ?? (await this.engine.containerStatus(id)).exitCode;
  }

  /** SIGTERM, SIGKILL after `timeoutSeconds`, then the sandbox goes down (its network freed). */
  async stop(container: LocalContainer, timeoutSeconds: number): Promise<void> {
    await this.engine.stopContainer(container.id, timeoutSeconds);
    await this.engine.stopPodSandbox(container.podSandboxId);
  }

  /** Removes container and sandbox; a running one only with `force` (it is killed). */
  async remove(container: LocalContainer, options: { force?: boolean } = {}): Promise<void> {
    const { state } = await this.engine.containerStatus(container.id);
    if (state === "CONTAINER_RUNNING" && !options.force)
      throw new Error(
        `cannot remove container ${JSON.stringify(container.name)}: it is running (stop it first, or use -f)`,
      );
    await this.engine.removePodSandbox(container.podSandboxId);
  }

  /** New resource limits (`k8ts update`), applied at once when it runs. */
  async update(
    container: LocalContainer,
    request: { resources: LinuxContainerResources; pidsLimit?: number },
  ): Promise<void> {
    await this.engine.updateContainerResources(
      container.id,
      request.resources,
      request.pidsLimit !== undefined ? { pidsLimit: request.pidsLimit } : {},
    );
  }

  /** Everything `inspect` shows about the container. */
  async describe(container: LocalContainer): Promise<{
    status: ContainerStatus;
    sandbox: PodSandboxStatus;
    pid: number;
    /** pids.max as last set by run or update, when one was. */
    pidsLimit?: number;
  }> {
    const status = await this.engine.containerStatus(container.id);
    const record = await this.engine.containers.records.get(container.id);
    const sandbox = await this.engine.podSandboxStatus(container.podSandboxId);
    let pid = 0;
    if (status.state === "CONTAINER_RUNNING")
      pid = await this.engine.runc.state(container.id).then(
        (s) => s.pid,
        () => 0,
      );
    return {
      status,
      sandbox,
      pid,
      ...(record?.pidsLimit !== undefined ? { pidsLimit: record.pidsLimit } : {}),
    };
  }

  /**
   * Turns the container's writable layer (not the init layer's files) into
   * one more layer on its image, stored as `target`. A running container is
   * paused (frozen) while its layer is read, as docker commit does by
   * default, so no file is caught half-written; `pause: false` skips that.
   */
  async commit(
    container: LocalContainer,
    target: string,
    options: { comment?: string; pause?: boolean } = {},
  ): Promise<Descriptor> {
    const record = await this.engine.containers.records.get(container.id);
    if (!record) throw new Error(`container ${container.name} has no record`);
    const runc = this.engine.runc;
    const paused =
      options.pause !== false &&
      (await runc.state(container.id).then(
        (s) => s.status === "running",
        () => false,
      ));
    if (paused) await runc.pause(container.id);
    try {
      return await this.#commitLayer(container, record, target, options);
    } finally {
      if (paused) await runc.resume(container.id);
    }
  }

  async #commitLayer(
    container: LocalContainer,
    record: ContainerRecord,
    target: string,
    options: { comment?: string },
  ): Promise<Descriptor> {
    const base = await this.images.resolve(
      record.imageRef.includes("@") ? record.imageRef : record.config.image.image,
    );
    const tar = new PassThrough();
    const writing = writeLayerFromUpper(
      join(this.engine.containers.dirOf(container.id), "upper"),
      tar,
      {
        exclude: INIT_LAYER_FILES,
      },
    ).catch((error: unknown) => {
      tar.destroy(error as Error);
    });
    const layer = await this.images.importLayer(tar);
    await writing;
    const raw = JSON.parse((await this.images.readBlob(base.configDigest)).toString("utf8"));
    const types = committedMediaTypes(base.manifest);
    const config = await this.images.writeJson(
      types.config,
      committedConfig(raw as Record<string, unknown>, layer, {
        created: new Date(),
        createdBy: "k8ts commit",
        ...(options.comment ? { comment: options.comment } : {}),
      }),
    );
    const manifest = await this.images.writeJson(
      base.manifest.mediaType,
      committedManifest(base.manifest, config, layer),
    );
    await this.images.tag(target, manifest);
    return manifest;
  }
}
