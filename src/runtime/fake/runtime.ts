/**
 * An in-memory RuntimeService for hollow nodes in scale tests. It is honest
 * about being fake: it runs no processes, creates no namespaces, cgroups or
 * files. Sandboxes get an IP from an in-memory pool; a started container
 * "runs" until it is stopped or a test ends it with `exit()`. Exec answers
 * exit code 0 with no output unless a test installs `execHandler`; attach
 * streams are empty; port-forward is not simulated. Resource usage is zero
 * unless a test sets `usage` (then CPU time accumulates at the given rate
 * while a container runs, so /stats/summary and the metrics API see it).
 */
import { randomBytes } from "node:crypto";
import { type Duplex, PassThrough } from "node:stream";
import type {
  AttachRequest,
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStats,
  ContainerStatsFilter,
  ContainerStatus,
  ExecRequest,
  ExecSyncRequest,
  ExecSyncResponse,
  LinuxContainerResources,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatus,
  PortForwardRequest,
  RuntimeService,
  StreamSession,
} from "../cri.js";
import { CriNotFoundError } from "../cri.js";
import { containerMatches, sandboxMatches } from "../filters.js";
import { mergeCriResources } from "../spec/update.js";
import type { FakeImageService } from "./images.js";
import { IpPool } from "./ip-pool.js";

/** Exit code of a process killed by signal `n` (128 + n), as a shell reports it. */
const SIGTERM_EXIT = 128 + 15;
const SIGKILL_EXIT = 128 + 9;

export interface FakeRuntimeOptions {
  /** The image store containers resolve their image in; a container needs its image pulled. */
  images: FakeImageService;
  /** Pod CIDR sandboxes get IPs from (default `10.88.0.0/16`). */
  podCidr?: string;
  /** The node's IP, reported for host-network sandboxes (default `127.0.0.1`). */
  nodeIp?: string;
  /** Wall clock in ns since the epoch (tests inject one). */
  now?: () => bigint;
}

/** The simulated usage of one running container. */
export interface FakeUsage {
  /** CPU rate in cores × 10^9 (250_000_000 is 250m). */
  readonly nanoCores: number;
  readonly workingSetBytes: number;
}

/** What `usage` is asked about: the container's CRI labels (pod name, namespace, container name). */
export interface FakeUsageSubject {
  readonly labels: Readonly<Record<string, string>>;
  readonly name: string;
}

/** An error for calls a fake cannot honour (no processes, no network). */
export class FakeUnsupportedError extends Error {
  constructor(message: string) {
    super(`fake runtime: ${message}`);
    this.name = new.target.name;
  }
}

interface SandboxRecord {
  status: PodSandboxStatus;
  config: PodSandboxConfig;
}

interface ContainerRecord {
  status: ContainerStatus;
  podSandboxId: string;
  config: ContainerConfig;
  /** Settles when the container stops (ends attach sessions). */
  exited: Promise<{ exitCode: number }>;
  markExited: (result: { exitCode: number }) => void;
  /** CPU time used so far (ns) and when it was last brought up to date (ns since the epoch). */
  cpuNanos: bigint;
  cpuAccountedAt: bigint;
}

export class FakeRuntimeService implements RuntimeService {
  readonly #sandboxes = new Map<string, SandboxRecord>();
  readonly #containers = new Map<string, ContainerRecord>();
  readonly #images: FakeImageService;
  readonly #pool: IpPool;
  readonly #nodeIp: string;
  readonly #now: () => bigint;
  /** Answers execSync and exec; the default succeeds with no output. */
  execHandler: (containerId: string, cmd: string[]) => ExecSyncResponse = () => ({
    stdout: new Uint8Array(),
    stderr: new Uint8Array(),
    exitCode: 0,
  });
  /**
   * The usage a running container reports; undefined (the default) means
   * zero. Read at each stats call: CPU time since the previous call is
   * charged at the rate returned now.
   */
  usage: (container: FakeUsageSubject) => FakeUsage | undefined = () => undefined;

  constructor(options: FakeRuntimeOptions) {
    this.#images = options.images;
    this.#pool = new IpPool(options.podCidr ?? "10.88.0.0/16");
    this.#nodeIp = options.nodeIp ?? "127.0.0.1";
    this.#now = options.now ?? (() => BigInt(Date.now()) * 1_000_000n);
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = newId();
    const hostNetwork = config.linux?.securityContext?.namespaceOptions?.network === "NODE";
    const ip = hostNetwork ? this.#nodeIp : this.#pool.allocate(id);
    this.#sandboxes.set(id, {
      config,
      status: {
        id,
        metadata: { ...config.metadata, attempt: config.metadata.attempt ?? 0 },
        state: "SANDBOX_READY",
        createdAt: this.#now(),
        network: { ip },
        linux: { namespaces: { options: { ...config.linux?.securityContext?.namespaceOptions } } },
        labels: { ...config.labels },
        annotations: { ...config.annotations },
      },
    });
    return id;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    const sandbox = this.#sandboxes.get(podSandboxId);
    if (sandbox === undefined) return;
    for (const [id, container] of this.#containers) {
      if (container.podSandboxId === podSandboxId) await this.stopContainer(id, 0);
    }
    sandbox.status.state = "SANDBOX_NOTREADY";
    this.#pool.release(podSandboxId);
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    if (!this.#sandboxes.has(podSandboxId)) return;
    await this.stopPodSandbox(podSandboxId);
    for (const [id, container] of this.#containers) {
      if (container.podSandboxId === podSandboxId) this.#containers.delete(id);
    }
    this.#sandboxes.delete(podSandboxId);
  }

  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    return structuredClone(this.#sandbox(podSandboxId).status);
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const out: PodSandbox[] = [];
    for (const { status } of this.#sandboxes.values()) {
      const sandbox: PodSandbox = {
        id: status.id,
        metadata: { ...status.metadata },
        state: status.state,
        createdAt: status.createdAt,
        labels: { ...status.labels },
        annotations: { ...status.annotations },
      };
      if (sandboxMatches(sandbox, filter)) out.push(sandbox);
    }
    return out;
  }

  async createContainer(
    podSandboxId: string,
    request: { config: ContainerConfig; sandboxConfig: PodSandboxConfig },
  ): Promise<string> {
    const sandbox = this.#sandbox(podSandboxId);
    if (sandbox.status.state !== "SANDBOX_READY") {
      throw new Error(`sandbox ${podSandboxId} is not ready, cannot create a container in it`);
    }
    const { config } = request;
    const name = config.metadata.name;
    for (const other of this.#containers.values()) {
      const same =
        other.podSandboxId === podSandboxId &&
        other.config.metadata.name === name &&
        (other.config.metadata.attempt ?? 0) === (config.metadata.attempt ?? 0);
      if (same) {
        throw new Error(
          `container name ${JSON.stringify(name)} attempt ${config.metadata.attempt ?? 0} is already in use in sandbox ${podSandboxId}`,
        );
      }
    }
    const image = this.#images.resolve(config.image.image);
    if (image === undefined) {
      throw new CriNotFoundError(`image ${JSON.stringify(config.image.image)} not found`);
    }
    const id = newId();
    const logDirectory = sandbox.config.logDirectory ?? "";
    const logPath = config.logPath === undefined ? "" : `${logDirectory}/${config.logPath}`;
    let markExited: (result: { exitCode: number }) => void = () => {};
    const exited = new Promise<{ exitCode: number }>((resolve) => {
      markExited = resolve;
    });
    this.#containers.set(id, {
      podSandboxId,
      config,
      exited,
      markExited,
      cpuNanos: 0n,
      cpuAccountedAt: 0n,
      status: {
        id,
        metadata: { ...config.metadata, attempt: config.metadata.attempt ?? 0 },
        state: "CONTAINER_CREATED",
        createdAt: this.#now(),
        startedAt: 0n,
        finishedAt: 0n,
        exitCode: 0,
        image: { ...config.image, image: image.id },
        imageRef: image.ref,
        labels: { ...config.labels },
        annotations: { ...config.annotations },
        mounts: (config.mounts ?? []).map((m) => ({ ...m })),
        logPath,
        resources: { linux: { ...config.linux?.resources } },
      },
    });
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const container = this.#container(containerId);
    if (container.status.state !== "CONTAINER_CREATED") {
      throw new Error(
        `container ${containerId} is in state ${container.status.state}, only a created container can be started`,
      );
    }
    container.status.state = "CONTAINER_RUNNING";
    container.status.startedAt = this.#now();
    container.cpuAccountedAt = container.status.startedAt;
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const container = this.#container(containerId);
    const state = container.status.state;
    if (state === "CONTAINER_EXITED") return;
    if (state === "CONTAINER_CREATED") {
      // Never started: nothing to signal, it simply never ran.
      this.#finish(container, 0, "", false);
      return;
    }
    // A fake process honours SIGTERM at once, unless the timeout is 0 (straight SIGKILL).
    this.#finish(container, timeoutSeconds > 0 ? SIGTERM_EXIT : SIGKILL_EXIT, "Error", true);
  }

  async removeContainer(containerId: string): Promise<void> {
    const container = this.#containers.get(containerId);
    if (container === undefined) return;
    if (container.status.state === "CONTAINER_RUNNING") await this.stopContainer(containerId, 0);
    this.#containers.delete(containerId);
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const out: Container[] = [];
    for (const record of this.#containers.values()) {
      const container = toContainer(record);
      if (containerMatches(container, filter)) out.push(container);
    }
    return out;
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return structuredClone(this.#container(containerId).status);
  }

  async updateContainerResources(
    containerId: string,
    resources: LinuxContainerResources,
  ): Promise<void> {
    // As containerd: set fields replace, zeros keep; an exited container only records them.
    const container = this.#container(containerId);
    container.status.resources = {
      linux: mergeCriResources(container.status.resources?.linux ?? {}, resources),
    };
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    const container = this.#container(containerId);
    if (container.status.state !== "CONTAINER_RUNNING") {
      throw new Error(`container ${containerId} is not running, its log cannot be reopened`);
    }
  }

  async execSync(request: ExecSyncRequest): Promise<ExecSyncResponse> {
    this.#running(request.containerId);
    return this.execHandler(request.containerId, request.cmd);
  }

  async exec(request: ExecRequest): Promise<StreamSession> {
    this.#running(request.containerId);
    const result = this.execHandler(request.containerId, request.cmd);
    return session(request, Promise.resolve({ exitCode: result.exitCode }), result);
  }

  async attach(request: AttachRequest): Promise<StreamSession> {
    const container = this.#running(request.containerId);
    return session(request, container.exited);
  }

  async portForward(request: PortForwardRequest): Promise<Duplex> {
    this.#sandbox(request.podSandboxId);
    throw new FakeUnsupportedError(
      `port-forward to port ${request.port} is not simulated: a hollow node has no network namespace`,
    );
  }

  async containerStats(containerId: string): Promise<ContainerStats> {
    return this.#stats(this.#container(containerId));
  }

  async listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]> {
    const out: ContainerStats[] = [];
    for (const record of this.#containers.values()) {
      if (containerMatches(toContainer(record), filter)) out.push(this.#stats(record));
    }
    return out;
  }

  /** Ends a running container as if its process exited with `exitCode` (tests, hollow workloads). */
  exit(containerId: string, exitCode: number, reason?: string): void {
    const container = this.#running(containerId);
    this.#finish(container, exitCode, reason ?? (exitCode === 0 ? "Completed" : "Error"), true);
  }

  #finish(container: ContainerRecord, exitCode: number, reason: string, ran: boolean): void {
    container.status.state = "CONTAINER_EXITED";
    container.status.exitCode = exitCode;
    container.status.finishedAt = ran ? this.#now() : 0n;
    if (reason !== "") container.status.reason = reason;
    container.markExited({ exitCode });
  }

  #stats(record: ContainerRecord): ContainerStats {
    const timestamp = this.#now();
    const usage = this.#usageOf(record, timestamp);
    const zero = { value: 0n };
    const memory = { value: BigInt(Math.round(usage?.workingSetBytes ?? 0)) };
    return {
      attributes: {
        id: record.status.id,
        metadata: { ...record.status.metadata },
        labels: { ...record.status.labels },
        annotations: { ...record.status.annotations },
      },
      cpu: {
        timestamp,
        usageCoreNanoSeconds: { value: record.cpuNanos },
        usageNanoCores: { value: BigInt(Math.round(usage?.nanoCores ?? 0)) },
      },
      memory: { timestamp, workingSetBytes: memory, usageBytes: memory, rssBytes: memory },
      writableLayer: { timestamp, usedBytes: zero, inodesUsed: zero },
    };
  }

  /** The running container's simulated usage, charging CPU time up to `now`. */
  #usageOf(record: ContainerRecord, now: bigint): FakeUsage | undefined {
    if (record.status.state !== "CONTAINER_RUNNING") return undefined;
    const usage = this.usage({
      labels: record.status.labels ?? {},
      name: record.status.metadata.name,
    });
    const elapsed = now - record.cpuAccountedAt;
    if (usage && elapsed > 0n)
      record.cpuNanos += (BigInt(Math.round(usage.nanoCores)) * elapsed) / 1_000_000_000n;
    if (elapsed > 0n) record.cpuAccountedAt = now;
    return usage;
  }

  #sandbox(id: string): SandboxRecord {
    const sandbox = this.#sandboxes.get(id);
    if (sandbox === undefined) throw new CriNotFoundError(`pod sandbox ${id} not found`);
    return sandbox;
  }

  #container(id: string): ContainerRecord {
    const container = this.#containers.get(id);
    if (container === undefined) throw new CriNotFoundError(`container ${id} not found`);
    return container;
  }

  #running(id: string): ContainerRecord {
    const container = this.#container(id);
    if (container.status.state !== "CONTAINER_RUNNING") {
      throw new Error(`container ${id} is not running (state ${container.status.state})`);
    }
    return container;
  }
}

function newId(): string {
  return randomBytes(32).toString("hex");
}

function toContainer(record: ContainerRecord): Container {
  const { status } = record;
  return {
    id: status.id,
    podSandboxId: record.podSandboxId,
    metadata: { ...status.metadata },
    image: { ...status.image },
    imageRef: status.imageRef,
    state: status.state,
    createdAt: status.createdAt,
    labels: { ...status.labels },
    annotations: { ...status.annotations },
  };
}

/** A stream session whose output is `output` (exec) or nothing (attach). */
function session(
  request: AttachRequest | ExecRequest,
  exited: Promise<{ exitCode: number }>,
  output?: ExecSyncResponse,
): StreamSession {
  const stream = (data: Uint8Array | undefined) => {
    const out = new PassThrough();
    if (output !== undefined) out.end(data);
    else void exited.then(() => out.end());
    return out;
  };
  const stdin = request.stdin === true ? new PassThrough() : undefined;
  stdin?.resume();
  const result: StreamSession = {
    resize: () => {},
    exited,
    close: async () => {
      stdin?.destroy();
    },
  };
  if (stdin !== undefined) result.stdin = stdin;
  if (request.stdout === true) result.stdout = stream(output?.stdout);
  if (request.stderr === true && request.tty !== true) result.stderr = stream(output?.stderr);
  return result;
}
