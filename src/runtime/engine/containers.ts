/**
 * Containers of pod sandboxes on runc: the image's layers under the init
 * layer and a writable layer on overlayfs, an OCI spec joining the pause's
 * namespaces, conmon as the monitor. State is derived, never cached: runc's
 * view plus conmon's exit file plus the record on disk.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  type CgroupLayout,
  cgroupLayout,
  controllerPaths,
  parseProcCgroup,
  readOomKills,
} from "../cgroups/index.js";
import type {
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStatus,
  LinuxContainerResources,
  PodSandboxConfig,
} from "../cri.js";
import { CriNotFoundError } from "../cri.js";
import { containerMatches } from "../filters.js";
import { ImageNotFoundError, type ImageStore } from "../images/index.js";
import {
  type HostLimits,
  type OciState,
  type Runc,
  RuncError,
  readExitCode,
  startMonitor,
  waitForExit,
} from "../oci/index.js";
import {
  defaultHosts,
  mountOverlay,
  readRootfsFile,
  unmount,
  writeInitLayer,
} from "../rootfs/index.js";
import {
  buildContainerSpec,
  containerUser,
  mergeCriResources,
  runcUpdateResources,
  type Spec,
  updatedSpecResources,
} from "../spec/index.js";
import { type MonitorState, monitorFacts, monitorState } from "./monitor.js";
import { RecordStore } from "./record-store.js";
import type { ContainerRecord } from "./records.js";
import { abandonedCreation } from "./recovery.js";
import { resolvConf } from "./resolv-conf.js";
import { listMatching } from "./runc-states.js";
import type { Sandboxes } from "./sandboxes.js";
import { deriveContainerState, UNKNOWN_EXIT_CODE } from "./status.js";

export interface ContainersOptions {
  stateDir: string;
  runc: Runc;
  runcPath: string;
  images: ImageStore;
  sandboxes: Sandboxes;
  limits?: HostLimits;
}

const now = () => BigInt(Date.now()) * 1_000_000n;

/** The runtime refused new resources for a container (runc's reason in the message). */
export class ResourceUpdateError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class Containers {
  readonly records: RecordStore<ContainerRecord>;
  readonly #o: ContainersOptions;

  constructor(options: ContainersOptions) {
    this.#o = options;
    this.records = new RecordStore(join(options.stateDir, "records", "containers"));
  }

  get exitDir(): string {
    return join(this.#o.stateDir, "exits");
  }

  dirOf(id: string): string {
    return join(this.#o.stateDir, "containers", id);
  }

  async create(
    podSandboxId: string,
    request: {
      config: ContainerConfig;
      sandboxConfig: PodSandboxConfig;
      /** pids.max of the container (not in the CRI, where the pod cgroup carries it; `k8ts run --pids-limit`). */
      pidsLimit?: number;
      /** Run by its monitor once it ended (not in the CRI; `k8ts run -d --rm`). */
      exitCommand?: readonly string[];
    },
  ): Promise<string> {
    const { config } = request;
    const sandbox = await this.#o.sandboxes.status(podSandboxId);
    const pid = await this.#o.sandboxes.pausePid(podSandboxId);
    if (sandbox.state !== "SANDBOX_READY" || pid === undefined) {
      throw new Error(`sandbox ${podSandboxId} is not ready, cannot create a container in it`);
    }
    const sandboxRecord = await this.#o.sandboxes.records.get(podSandboxId);
    const sandboxConfig = sandboxRecord?.config ?? request.sandboxConfig;
    const attempt = config.metadata.attempt ?? 0;
    for (const other of (await this.records.list()).records) {
      if (
        other.podSandboxId === podSandboxId &&
        other.config.metadata.name === config.metadata.name &&
        (other.config.metadata.attempt ?? 0) === attempt
      ) {
        throw new Error(
          `container name ${JSON.stringify(config.metadata.name)} attempt ${attempt} is already in use in sandbox ${podSandboxId}`,
        );
      }
    }
    let image: Awaited<ReturnType<ImageStore["resolve"]>>;
    try {
      image = await this.#o.images.resolve(config.image.image);
    } catch (error) {
      if (error instanceof ImageNotFoundError) {
        throw new CriNotFoundError(`image ${JSON.stringify(config.image.image)} not found`, {
          cause: error,
        });
      }
      throw error;
    }
    const id = randomBytes(32).toString("hex");
    const dir = this.dirOf(id);
    const logPath =
      sandboxConfig.logDirectory && config.logPath
        ? join(sandboxConfig.logDirectory, config.logPath)
        : join(dir, "container.log");
    const repository = image.name?.replace(/[:@][^/]*$/, "");
    const record: ContainerRecord = {
      id,
      podSandboxId,
      config,
      imageId: image.configDigest,
      imageRef: repository ? `${repository}@${image.digest}` : image.configDigest,
      logPath,
      createdAt: now(),
      startedAt: 0n,
      finishedAt: 0n,
      ...(request.pidsLimit !== undefined ? { pidsLimit: request.pidsLimit } : {}),
    };
    await this.records.put(record);
    try {
      const lower: string[] = [];
      for (const layer of image.layers) {
        lower.unshift(await this.#o.images.ensureUnpacked(layer.digest, { diffId: layer.diffId }));
      }
      const hostname = sandboxConfig.hostname || "";
      writeInitLayer(join(dir, "init"), {
        hostname,
        hosts: defaultHosts(hostname, sandbox.network?.ip || undefined),
        resolvConf: resolvConf(sandboxConfig.dnsConfig),
      });
      const rootfs = join(dir, "rootfs");
      await mkdir(rootfs, { recursive: true });
      await mountOverlay(
        {
          lower: [join(dir, "init"), ...lower],
          upper: join(dir, "upper"),
          work: join(dir, "work"),
        },
        rootfs,
      );
      const imageConfig = image.config.config;
      // Names in USER or runAsUsername mean what the image's own files say.
      const user = containerUser({
        securityContext: config.linux?.securityContext,
        imageUser: imageConfig.User,
        passwd: await readRootfsFile(rootfs, "/etc/passwd"),
        group: await readRootfsFile(rootfs, "/etc/group"),
      });
      const spec = buildContainerSpec({
        id,
        config,
        sandbox: {
          id: podSandboxId,
          config: sandboxConfig,
          pid,
          netnsPath: sandboxRecord?.netnsPath,
        },
        image: {
          entrypoint: imageConfig.Entrypoint ? [...imageConfig.Entrypoint] : undefined,
          cmd: imageConfig.Cmd ? [...imageConfig.Cmd] : undefined,
          env: imageConfig.Env ? [...imageConfig.Env] : undefined,
          workingDir: imageConfig.WorkingDir,
          user: imageConfig.User,
        },
        user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
        rootfs,
        ...this.#o.limits,
        ...(request.pidsLimit !== undefined ? { pidsLimit: request.pidsLimit } : {}),
      });
      await writeFile(join(dir, "config.json"), JSON.stringify(spec));
      await mkdir(dirname(logPath), { recursive: true });
      await mkdir(this.exitDir, { recursive: true });
      const { pid: initPid } = await startMonitor({
        id,
        bundle: dir,
        runtime: this.#o.runcPath,
        runtimeRoot: this.#o.runc.root,
        logPath,
        exitDir: this.exitDir,
        terminal: config.tty ?? false,
        stdin: config.stdin ?? false,
        stdinOnce: config.stdinOnce ?? false,
        ...(request.exitCommand ? { exitCommand: request.exitCommand } : {}),
      });
      // runc's init already sits in the container's cgroup, waiting for `runc start`.
      record.cgroups = controllerPaths(
        parseProcCgroup(await readFile(`/proc/${initPid}/cgroup`, "utf8")),
      );
      await this.records.put(record);
      return id;
    } catch (error) {
      await this.remove(id).catch(() => {});
      throw error;
    }
  }

  async start(id: string): Promise<void> {
    const record = await this.#record(id);
    // The process starts during `runc start`; a quick one may end before it returns.
    const startedAt = now();
    await this.#o.runc.start(id);
    record.startedAt = startedAt;
    await this.records.put(record);
  }

  /**
   * UpdateContainerResources, as containerd does it: `runc update` for a
   * created or running container (the kernel may refuse, e.g. a memory
   * limit below what the container uses: runc's error is the message),
   * then the spec and the record take the new values so status and a
   * later restart of the process see them; an exited one only gets the
   * spec and the record.
   */
  async updateResources(
    id: string,
    resources: LinuxContainerResources,
    options: { pidsLimit?: number } = {},
  ): Promise<void> {
    const record = await this.#record(id);
    const update = runcUpdateResources(resources, { pidsLimit: options.pidsLimit });
    const state = await this.#runcStatus(id);
    if (state === "created" || state === "running" || state === "paused") {
      try {
        await this.#o.runc.update(id, update);
      } catch (error) {
        if (!(error instanceof RuncError)) throw error;
        throw new ResourceUpdateError(
          `cannot update the resources of container ${id}: ${error.message}`,
          { cause: error },
        );
      }
    }
    const specPath = join(this.dirOf(id), "config.json");
    const spec = JSON.parse(await readFile(specPath, "utf8")) as Spec;
    if (spec.linux) spec.linux.resources = updatedSpecResources(spec.linux.resources, update);
    await writeFile(`${specPath}.tmp`, JSON.stringify(spec));
    await rename(`${specPath}.tmp`, specPath);
    const linux = record.config.linux ?? {};
    linux.resources = mergeCriResources(linux.resources ?? {}, resources);
    record.config.linux = linux;
    if (options.pidsLimit !== undefined) record.pidsLimit = options.pidsLimit;
    await this.records.put(record);
  }

  /** SIGTERM, then SIGKILL after `timeoutSeconds` (at once for 0). Idempotent. */
  async stop(id: string, timeoutSeconds: number): Promise<void> {
    const record = await this.#record(id);
    const state = await this.#runcStatus(id);
    if (state === "running" || state === "paused") {
      let code: number | undefined;
      if (timeoutSeconds > 0) {
        await this.#o.runc.kill(id, "TERM").catch(() => {});
        code = await waitForExit(this.exitDir, id, timeoutSeconds * 1000);
      }
      if (code === undefined) {
        await this.#o.runc.kill(id, "KILL", { all: true }).catch(() => {});
        await waitForExit(this.exitDir, id, 10_000);
      }
    }
    if (record.finishedAt === 0n && record.startedAt !== 0n) {
      record.finishedAt = now();
      await this.records.put(record);
    }
  }

  /** Removes the container, killing it first if it runs. Idempotent. */
  async remove(id: string): Promise<void> {
    const record = await this.records.get(id);
    if (record === undefined) return;
    // Kill and wait for conmon's exit file first, so it is not written after we clean up.
    const state = await this.#runcStatus(id);
    if (state === "running" || state === "paused") await this.stop(id, 0);
    await this.#o.runc.delete(id, { force: true }).catch((error: unknown) => {
      if (!(error instanceof RuncError)) throw error;
    });
    await unmount(join(this.dirOf(id), "rootfs"));
    await rm(this.dirOf(id), { recursive: true, force: true });
    await rm(join(this.exitDir, id), { force: true });
    await this.records.delete(id);
  }

  async status(id: string): Promise<ContainerStatus> {
    return this.#statusOf(await this.#record(id));
  }

  /**
   * Records a previous engine left half-made (recovery.ts), and records
   * whose sandbox no longer exists: what a starting engine removes.
   */
  async leftovers(at: { now: bigint; graceNs: bigint }): Promise<string[]> {
    const out: string[] = [];
    for (const record of (await this.records.list()).records) {
      if ((await this.#o.sandboxes.records.get(record.podSandboxId)) === undefined) {
        out.push(record.id);
        continue;
      }
      const observed = {
        createdAt: record.createdAt,
        startedAt: record.startedAt,
        monitorStarted: (await this.#monitorState(record.id)) !== "absent",
        runcKnows: false,
      };
      // runc is asked only about records the files already call abandoned.
      if (!abandonedCreation(observed, at)) continue;
      observed.runcKnows = (await this.#runcStatus(record.id)) !== "missing";
      if (abandonedCreation(observed, at)) out.push(record.id);
    }
    return out;
  }

  /** IDs of the sandbox's containers, from the records alone (no runc calls). */
  async idsIn(podSandboxId: string): Promise<string[]> {
    const { records } = await this.records.list();
    return records.filter((r) => r.podSandboxId === podSandboxId).map((r) => r.id);
  }

  async #statusOf(
    record: ContainerRecord,
    states?: () => Promise<Map<string, OciState>>,
  ): Promise<ContainerStatus> {
    const id = record.id;
    let exitCode = await readExitCode(this.exitDir, id);
    let monitor: MonitorState = "gone";
    let runc: OciState["status"] | "missing" = "stopped";
    if (exitCode === undefined) {
      monitor = await this.#monitorState(id);
      if (monitor === "alive" && record.startedAt !== 0n) {
        // Started, conmon still holds it and wrote no exit: running. No runc call.
        runc = "running";
      } else {
        runc = states
          ? ((await states()).get(id)?.status ?? "missing")
          : await this.#runcStatus(id);
        // It may have finished between the reads.
        if (runc === "stopped" || runc === "missing")
          exitCode = await readExitCode(this.exitDir, id);
        if (
          exitCode === undefined &&
          (runc === "stopped" || runc === "missing") &&
          record.startedAt !== 0n
        ) {
          // Ended with neither an exit file nor a live monitor: before calling the exit
          // unknown (a final answer the kubelet keeps), give conmon a moment — under load
          // its exit file can trail its own exit as seen from here.
          await new Promise((r) => setTimeout(r, 200));
          exitCode = await readExitCode(this.exitDir, id);
        }
      }
    }
    // Not started, unknown to runc, and its monitor not gone: CreateContainer is still
    // at work (conmon not yet running, or running `runc create`). The reads above are
    // not one snapshot — runc's list may predate conmon — so a monitor that appears
    // meanwhile must not make a container being created look like one that ended.
    const creating = record.startedAt === 0n && runc === "missing" && monitor !== "gone";
    const monitorAlive = monitor === "alive";
    let derived = deriveContainerState({ runc, exitCode, monitorAlive, creating });
    if (derived.state === "CONTAINER_EXITED" && (await this.#oomKilled(record))) {
      derived = deriveContainerState({ runc, exitCode, monitorAlive, creating, oomKilled: true });
    }
    const status: ContainerStatus = {
      id,
      metadata: { ...record.config.metadata, attempt: record.config.metadata.attempt ?? 0 },
      state: derived.state,
      createdAt: record.createdAt,
      startedAt: record.startedAt,
      finishedAt:
        derived.state === "CONTAINER_EXITED"
          ? record.finishedAt || (await this.#exitTime(id, record.startedAt))
          : 0n,
      exitCode: derived.exitCode,
      image: { ...record.config.image, image: record.imageId },
      imageRef: record.imageRef,
      labels: { ...record.config.labels },
      annotations: { ...record.config.annotations },
      mounts: (record.config.mounts ?? []).map((m) => ({ ...m })),
      logPath: record.logPath,
      resources: { linux: { ...record.config.linux?.resources } },
    };
    if (derived.reason !== undefined) status.reason = derived.reason;
    if (derived.message !== undefined) status.message = derived.message;
    if (derived.exitCode === UNKNOWN_EXIT_CODE && exitCode === undefined)
      status.message = `${derived.message} (${await monitorFacts(this.dirOf(id), id)})`;
    return status;
  }

  async list(filter?: ContainerFilter): Promise<Container[]> {
    const { state: _state, ...byRecord } = filter ?? {};
    const toContainer = (record: ContainerRecord, s?: ContainerStatus): Container => ({
      id: record.id,
      podSandboxId: record.podSandboxId,
      metadata: s?.metadata ?? record.config.metadata,
      image: s?.image ?? record.config.image,
      imageRef: record.imageRef,
      state: s?.state ?? "CONTAINER_UNKNOWN",
      createdAt: record.createdAt,
      labels: s?.labels ?? record.config.labels ?? {},
      annotations: s?.annotations ?? record.config.annotations ?? {},
    });
    return listMatching({
      records: (await this.records.list()).records,
      runc: this.#o.runc,
      preview: (record) => toContainer(record),
      withState: async (record, states) =>
        toContainer(record, await this.#statusOf(record, states)),
      matches: (c, checkState) => containerMatches(c, checkState ? filter : byRecord),
    });
  }

  /**
   * When the container ended: conmon's exit file's mtime (as CRI-O reads
   * it), else now; never before it started (file times come from the
   * kernel's coarse clock, a tick behind).
   */
  async #exitTime(id: string, startedAt: bigint): Promise<bigint> {
    let t: bigint;
    try {
      t = (await stat(join(this.exitDir, id), { bigint: true })).mtimeNs;
    } catch {
      t = now();
    }
    return t > startedAt ? t : startedAt;
  }

  /**
   * Whether the OOM killer ended a process of the (exited) container: its
   * cgroup's oom_kill counter, which stays readable until `runc delete`.
   * The count is kept in `<bundle>/oom-kills` so the cgroup is read once
   * (conmon's own `oom` file beside it only says an OOM happened somewhere
   * in the container's memory hierarchy).
   */
  async #oomKilled(record: ContainerRecord): Promise<boolean> {
    const file = join(this.dirOf(record.id), "oom-kills");
    const known = await readFile(file, "utf8").catch(() => undefined);
    if (known !== undefined) return Number(known) > 0;
    if (record.cgroups === undefined) return false;
    const kills = await readOomKills(this.#cgroupLayout(), record.cgroups);
    if (kills === undefined) return false;
    await writeFile(file, `${kills}\n`).catch(() => {});
    return kills > 0;
  }

  #layout: CgroupLayout | undefined;

  #cgroupLayout(): CgroupLayout {
    this.#layout ??= cgroupLayout(readFileSync("/proc/self/mountinfo", "utf8"));
    return this.#layout;
  }

  #monitorState(id: string): Promise<MonitorState> {
    return monitorState(this.dirOf(id), id);
  }

  async #runcStatus(id: string) {
    try {
      return (await this.#o.runc.state(id)).status;
    } catch (error) {
      if (error instanceof RuncError) return "missing" as const;
      throw error;
    }
  }

  /**
   * The container's cgroup per controller: recorded when runc created it,
   * else (records of an older engine) read from its process.
   */
  async cgroupPaths(id: string): Promise<Record<string, string>> {
    const record = await this.#record(id);
    if (record.cgroups) return record.cgroups;
    const { pid } = await this.#o.runc.state(id);
    return controllerPaths(parseProcCgroup(await readFile(`/proc/${pid}/cgroup`, "utf8")));
  }

  async #record(id: string): Promise<ContainerRecord> {
    const record = await this.records.get(id);
    if (record === undefined) throw new CriNotFoundError(`container ${id} not found`);
    return record;
  }
}
