/**
 * Pod sandboxes on runc: a named network namespace (attached by the pod
 * network), then the pause process (catatonit) under conmon holding the
 * pod's pid, ipc and uts namespaces and joining that network namespace.
 * Each sandbox has a record on disk before any process exists, so a crash
 * mid-way leaves something a restarted engine can find and clean up.
 */
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { createNetns, netnsPathOf, removeNetns } from "../../network/netns.js";
import {
  CriNotFoundError,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxStatus,
} from "../cri.js";
import { sandboxMatches } from "../filters.js";
import {
  type HostLimits,
  type OciState,
  type Runc,
  RuncError,
  readExitCode,
  startMonitor,
  waitForExit,
} from "../oci/index.js";
import { buildSandboxSpec, PAUSE_ARGS } from "../spec/index.js";
import { monitorAlive } from "./monitor.js";
import type { PodNetwork } from "./pod-network.js";
import { RecordStore } from "./record-store.js";
import type { SandboxRecord } from "./records.js";
import { abandonedCreation } from "./recovery.js";
import { listMatching } from "./runc-states.js";

export interface SandboxesOptions {
  /** The engine's state directory (records, bundles, exit files, the pause rootfs). */
  stateDir: string;
  runc: Runc;
  /** Absolute path of runc, for conmon. */
  runcPath: string;
  /** Pod networking; without one, pods get a namespace with only loopback and no IP. */
  network?: PodNetwork | undefined;
  /** The node's IP, reported for host-network pods. */
  nodeIp: string;
  limits?: HostLimits;
  /** Prefix of the sandboxes' named network namespaces. Default `k8ts-`. */
  netnsPrefix?: string;
  /** The pause binary copied into the pause rootfs. Default Debian's catatonit. */
  pauseBinary?: string;
}

export class Sandboxes {
  readonly records: RecordStore<SandboxRecord>;
  readonly #o: SandboxesOptions;
  /** The pause rootfs being prepared: sandboxes started at once share one preparation. */
  #pauseRootfsReady: Promise<string> | undefined;

  constructor(options: SandboxesOptions) {
    this.#o = options;
    this.records = new RecordStore(join(options.stateDir, "records", "sandboxes"));
  }

  get exitDir(): string {
    return join(this.#o.stateDir, "exits");
  }

  bundleOf(id: string): string {
    return join(this.#o.stateDir, "sandboxes", id);
  }

  async run(config: PodSandboxConfig): Promise<string> {
    const id = randomBytes(32).toString("hex");
    const hostNetwork = config.linux?.securityContext?.namespaceOptions?.network === "NODE";
    const record: SandboxRecord = { id, config, createdAt: BigInt(Date.now()) * 1_000_000n };
    // Short enough for `ip netns`, unique by ID.
    const netns = `${this.#o.netnsPrefix ?? "k8ts-"}${id.slice(0, 24)}`;
    if (!hostNetwork) record.netnsPath = netnsPathOf(netns);
    await this.records.put(record);
    try {
      if (record.netnsPath !== undefined) {
        await createNetns(netns);
        record.ip = this.#o.network
          ? await this.#o.network.attach(id, record.netnsPath, config)
          : "";
      } else {
        record.ip = this.#o.nodeIp;
      }
      await this.records.put(record);
      await this.#startPause(record);
      return id;
    } catch (error) {
      await this.#rollback(record);
      throw error;
    }
  }

  /**
   * Best-effort undo of a run that failed part-way: each step is tried even
   * if an earlier one fails (a failed attach has already undone itself, and
   * its DEL may fail the same way), then the record goes.
   */
  async #rollback(record: SandboxRecord): Promise<void> {
    const quietly = (p: Promise<unknown>) => p.catch(() => {});
    await quietly(this.#o.runc.delete(record.id, { force: true }));
    if (record.netnsPath !== undefined) {
      if (record.ip)
        await quietly(
          this.#o.network?.detach(record.id, record.netnsPath, record.config) ?? Promise.resolve(),
        );
      await quietly(removeNetns(basename(record.netnsPath)));
    }
    await rm(this.bundleOf(record.id), { recursive: true, force: true });
    await rm(join(this.exitDir, record.id), { force: true });
    await this.records.delete(record.id);
  }

  async #startPause(record: SandboxRecord): Promise<void> {
    const bundle = this.bundleOf(record.id);
    await mkdir(bundle, { recursive: true, mode: 0o700 });
    await mkdir(this.exitDir, { recursive: true });
    const spec = buildSandboxSpec({
      id: record.id,
      config: record.config,
      rootfs: await this.#pauseRootfs(),
      netnsPath: record.netnsPath,
      ...this.#o.limits,
    });
    await writeFile(join(bundle, "config.json"), JSON.stringify(spec));
    await startMonitor({
      id: record.id,
      bundle,
      runtime: this.#o.runcPath,
      runtimeRoot: this.#o.runc.root,
      logPath: join(bundle, "pause.log"),
      exitDir: this.exitDir,
    });
    await this.#o.runc.start(record.id);
  }

  /**
   * A read-only root holding only the pause binary, shared by every
   * sandbox. Prepared once: concurrent first sandboxes raced on the same
   * temporary file (one renamed it away under the others).
   */
  #pauseRootfs(): Promise<string> {
    this.#pauseRootfsReady ??= this.#preparePauseRootfs().catch((err: unknown) => {
      this.#pauseRootfsReady = undefined;
      throw err;
    });
    return this.#pauseRootfsReady;
  }

  async #preparePauseRootfs(): Promise<string> {
    const rootfs = join(this.#o.stateDir, "pause", "rootfs");
    const binary = join(rootfs, PAUSE_ARGS[0] ?? "/catatonit");
    const present = await stat(binary).then(
      () => true,
      () => false,
    );
    if (!present) {
      await mkdir(rootfs, { recursive: true });
      await copyFile(this.#o.pauseBinary ?? "/usr/bin/catatonit", `${binary}.tmp`);
      await rename(`${binary}.tmp`, binary);
    }
    return rootfs;
  }

  /** The pause process's pid while it runs, else undefined. */
  async pausePid(id: string): Promise<number | undefined> {
    try {
      const state = await this.#o.runc.state(id);
      return state.status === "running" ? state.pid : undefined;
    } catch (error) {
      if (error instanceof RuncError) return undefined;
      throw error;
    }
  }

  async status(id: string): Promise<PodSandboxStatus> {
    return this.#statusOf(await this.#record(id));
  }

  async #statusOf(
    record: SandboxRecord,
    states?: () => Promise<Map<string, OciState>>,
  ): Promise<PodSandboxStatus> {
    const id = record.id;
    const running = record.stopped ? false : await this.#pauseRunning(id, states);
    const status: PodSandboxStatus = {
      id,
      metadata: { ...record.config.metadata, attempt: record.config.metadata.attempt ?? 0 },
      state: running && !record.stopped ? "SANDBOX_READY" : "SANDBOX_NOTREADY",
      createdAt: record.createdAt,
      network: { ip: record.ip ?? "" },
      linux: {
        namespaces: { options: { ...record.config.linux?.securityContext?.namespaceOptions } },
      },
      labels: { ...record.config.labels },
      annotations: { ...record.config.annotations },
    };
    return status;
  }

  /**
   * Whether the pause process runs: from conmon's files when they say
   * (an exit file means it ended; a live conmon without one means it
   * runs), from runc only when conmon is gone without an exit file.
   */
  async #pauseRunning(id: string, states?: () => Promise<Map<string, OciState>>): Promise<boolean> {
    if ((await readExitCode(this.exitDir, id)) !== undefined) return false;
    if (await monitorAlive(this.bundleOf(id), id)) return true;
    if (states) return (await states()).get(id)?.status === "running";
    return (await this.pausePid(id)) !== undefined;
  }

  async list(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const { state: _state, ...byRecord } = filter ?? {};
    const toSandbox = (record: SandboxRecord, s?: PodSandboxStatus): PodSandbox => ({
      id: record.id,
      metadata: s?.metadata ?? record.config.metadata,
      state: s?.state ?? "SANDBOX_NOTREADY",
      createdAt: record.createdAt,
      labels: s?.labels ?? record.config.labels ?? {},
      annotations: s?.annotations ?? record.config.annotations ?? {},
    });
    // Monitor files answer for most sandboxes; the rest share one `runc list`.
    return listMatching({
      records: (await this.records.list()).records,
      runc: this.#o.runc,
      preview: (record) => toSandbox(record),
      withState: async (record, states) => toSandbox(record, await this.#statusOf(record, states)),
      matches: (sb, checkState) => sandboxMatches(sb, checkState ? filter : byRecord),
    });
  }

  /**
   * Sandboxes a previous engine left half-made: recorded, but its pause
   * never reached conmon or runc (recovery.ts). A stopped sandbox is kept.
   */
  async abandoned(at: { now: bigint; graceNs: bigint }): Promise<string[]> {
    const out: string[] = [];
    for (const record of (await this.records.list()).records) {
      if (record.stopped) continue;
      const monitorStarted = await stat(join(this.bundleOf(record.id), "conmon.pid")).then(
        () => true,
        () => false,
      );
      const observed = {
        createdAt: record.createdAt,
        startedAt: 0n,
        monitorStarted,
        runcKnows: false,
      };
      // runc is asked only about records the files already call abandoned.
      if (!abandonedCreation(observed, at)) continue;
      observed.runcKnows = await this.#o.runc.state(record.id).then(
        () => true,
        (error: unknown) => {
          if (error instanceof RuncError) return false;
          throw error;
        },
      );
      if (abandonedCreation(observed, at)) out.push(record.id);
    }
    return out;
  }

  /** Kills the pause process and tears down the pod network. Idempotent. */
  async stop(id: string): Promise<void> {
    const record = await this.records.get(id);
    if (record === undefined) return;
    if ((await this.pausePid(id)) !== undefined) {
      await this.#o.runc.kill(id, "KILL").catch(() => {});
      await waitForExit(this.exitDir, id, 10_000);
    }
    if (record.netnsPath !== undefined) {
      await this.#o.network?.detach(id, record.netnsPath, record.config);
      await removeNetns(basename(record.netnsPath));
    }
    record.stopped = true;
    await this.records.put(record);
  }

  /** Stops the sandbox and removes every trace of it. Idempotent. */
  async remove(id: string): Promise<void> {
    const record = await this.records.get(id);
    if (record === undefined) return;
    await this.stop(id);
    await this.#o.runc.delete(id, { force: true }).catch((error: unknown) => {
      if (!(error instanceof RuncError)) throw error;
    });
    await rm(this.bundleOf(id), { recursive: true, force: true });
    await rm(join(this.exitDir, id), { force: true });
    await this.records.delete(id);
  }

  async #record(id: string): Promise<SandboxRecord> {
    const record = await this.records.get(id);
    if (record === undefined) throw new CriNotFoundError(`pod sandbox ${id} not found`);
    return record;
  }
}
