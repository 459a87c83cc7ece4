/**
 * The container engine behind the CRI RuntimeService: pod sandboxes and
 * their containers on runc under conmon.
 */
import { readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { cgroupLayout, readCgroupUsage } from "../cgroups/index.js";
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
import type { ImageStore } from "../images/index.js";
import { type HostLimits, hostLimits, Runc } from "../oci/index.js";
import { attachSession } from "./attach-session.js";
import { Containers } from "./containers.js";
import { pipeSession, relayProcess, ttySession } from "./exec-session.js";
import type { PodNetwork } from "./pod-network.js";
import { Sandboxes } from "./sandboxes.js";

export interface EngineOptions {
  /** State directory: records, bundles, exit files, runc state. */
  stateDir: string;
  images: ImageStore;
  /** Absolute path of runc. Default /usr/sbin/runc. */
  runcPath?: string;
  network?: PodNetwork;
  /** The node IP reported for host-network pods. */
  nodeIp: string;
  /** Default: read from this host (hostLimits()). */
  limits?: HostLimits;
  /** Prefix of the sandboxes' named network namespaces. Default `k8ts-`. */
  netnsPrefix?: string;
}

/** What Engine.recover removed. */
export interface RecoveryReport {
  containers: string[];
  sandboxes: string[];
}

export class Engine implements RuntimeService {
  readonly sandboxes: Sandboxes;
  readonly containers: Containers;
  readonly runc: Runc;
  #cgroupLayout: ReturnType<typeof cgroupLayout> | undefined;

  constructor(options: EngineOptions) {
    const runcPath = options.runcPath ?? "/usr/sbin/runc";
    this.runc = new Runc({ root: join(options.stateDir, "runc"), binary: runcPath });
    const limits = options.limits ?? hostLimits();
    this.sandboxes = new Sandboxes({
      stateDir: options.stateDir,
      runc: this.runc,
      runcPath,
      network: options.network,
      nodeIp: options.nodeIp,
      limits,
      ...(options.netnsPrefix !== undefined ? { netnsPrefix: options.netnsPrefix } : {}),
    });
    this.containers = new Containers({
      stateDir: options.stateDir,
      runc: this.runc,
      runcPath,
      images: options.images,
      sandboxes: this.sandboxes,
      limits,
    });
  }

  /**
   * The startup pass of an engine taking over a state directory: running
   * sandboxes and containers are adopted as they are (their state is read
   * from conmon and runc each time); records a killed engine left half-made
   * (older than `graceMs`, default 60 s, since another engine process may
   * be creating them now) and containers whose sandbox is gone are removed,
   * with whatever they got as far as creating (netns, mounts, bundle).
   */
  async recover(options: { graceMs?: number } = {}): Promise<RecoveryReport> {
    const at = {
      now: BigInt(Date.now()) * 1_000_000n,
      graceNs: BigInt(options.graceMs ?? 60_000) * 1_000_000n,
    };
    const report: RecoveryReport = { containers: [], sandboxes: [] };
    for (const id of await this.sandboxes.abandoned(at)) {
      await this.removePodSandbox(id);
      report.sandboxes.push(id);
    }
    for (const id of await this.containers.leftovers(at)) {
      await this.containers.remove(id);
      report.containers.push(id);
    }
    return report;
  }

  runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return this.sandboxes.run(config);
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    for (const id of await this.containers.idsIn(podSandboxId)) {
      await this.containers.stop(id, 0);
    }
    await this.sandboxes.stop(podSandboxId);
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    for (const id of await this.containers.idsIn(podSandboxId)) {
      await this.containers.remove(id);
    }
    await this.sandboxes.remove(podSandboxId);
  }

  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    return this.sandboxes.status(podSandboxId);
  }

  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    return this.sandboxes.list(filter);
  }

  createContainer(
    podSandboxId: string,
    request: {
      config: ContainerConfig;
      sandboxConfig: PodSandboxConfig;
      pidsLimit?: number;
      exitCommand?: readonly string[];
    },
  ): Promise<string> {
    return this.containers.create(podSandboxId, request);
  }

  startContainer(containerId: string): Promise<void> {
    return this.containers.start(containerId);
  }

  stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    return this.containers.stop(containerId, timeoutSeconds);
  }

  removeContainer(containerId: string): Promise<void> {
    return this.containers.remove(containerId);
  }

  listContainers(filter?: ContainerFilter): Promise<Container[]> {
    return this.containers.list(filter);
  }

  containerStatus(containerId: string): Promise<ContainerStatus> {
    return this.containers.status(containerId);
  }

  /** New cgroup limits; `pidsLimit` is k8ts's extension (`k8ts update --pids-limit`), as at create. */
  updateContainerResources(
    containerId: string,
    resources: LinuxContainerResources,
    options: { pidsLimit?: number } = {},
  ): Promise<void> {
    return this.containers.updateResources(containerId, resources, options);
  }

  /** Asks conmon to reopen the log file (after the kubelet rotated it): `2` on its control fifo. */
  async reopenContainerLog(containerId: string): Promise<void> {
    const status = await this.containers.status(containerId);
    if (status.state !== "CONTAINER_RUNNING") {
      throw new Error(`container ${containerId} is not running, its log cannot be reopened`);
    }
    const ctl = await open(join(this.containers.dirOf(containerId), "ctl"), "w");
    try {
      await ctl.write("2 0 0\n");
    } finally {
      await ctl.close();
    }
  }

  async execSync(request: ExecSyncRequest): Promise<ExecSyncResponse> {
    const status = await this.containers.status(request.containerId);
    if (status.state !== "CONTAINER_RUNNING") {
      throw new Error(`container ${request.containerId} is not running (state ${status.state})`);
    }
    const out = await this.runc.execSync(
      request.containerId,
      request.cmd,
      (request.timeout ?? 0) * 1000,
    );
    return { stdout: out.stdout, stderr: out.stderr, exitCode: out.exitCode };
  }

  async exec(request: ExecRequest): Promise<StreamSession> {
    const status = await this.containers.status(request.containerId);
    if (status.state !== "CONTAINER_RUNNING")
      throw new Error(`container ${request.containerId} is not running (${status.state})`);
    if (request.cmd.length === 0) throw new Error("exec needs a command");
    const { file, args } = this.runc.execCommand(request.containerId, request.cmd, {
      tty: request.tty ?? false,
    });
    return request.tty ? ttySession(file, args) : pipeSession(file, args, request);
  }

  /**
   * The container's main process streams, through conmon's attach socket
   * (attach-session.ts). A created container can be attached to before it
   * starts (conmon serves the socket from creation), as `podman start
   * --attach` and `k8ts run` do, so no early output is missed.
   */
  async attach(request: AttachRequest): Promise<StreamSession> {
    const { containerId } = request;
    const status = await this.containers.status(containerId);
    if (status.state !== "CONTAINER_RUNNING" && status.state !== "CONTAINER_CREATED")
      throw new Error(`container ${containerId} is not running (${status.state})`);
    const record = await this.containers.records.get(containerId);
    return attachSession(
      {
        id: containerId,
        bundle: this.containers.dirOf(containerId),
        exitDir: this.containers.exitDir,
      },
      // Whether it has a terminal was settled when it started, whatever the caller asks.
      { ...request, tty: record?.config.tty ?? false },
    );
  }

  /**
   * A byte stream to `port` on the pod's loopback, inside its network
   * namespace: `nsenter --net` runs busybox's nc there and relays its stdio
   * (as dockershim did with socat), so ports bound to 127.0.0.1 in the pod
   * are reachable too.
   */
  async portForward(request: PortForwardRequest): Promise<Duplex> {
    const record = await this.sandboxes.records.get(request.podSandboxId);
    if (!record) throw new CriNotFoundError(`pod sandbox ${request.podSandboxId} not found`);
    if (!Number.isInteger(request.port) || request.port < 1 || request.port > 65535)
      throw new Error(`invalid port ${request.port}`);
    const args = record.netnsPath ? [`--net=${record.netnsPath}`] : [];
    return relayProcess("nsenter", [...args, "busybox", "nc", "127.0.0.1", String(request.port)]);
  }

  async containerStats(containerId: string): Promise<ContainerStats> {
    const status = await this.containers.status(containerId);
    const timestamp = BigInt(Date.now()) * 1_000_000n;
    const stats: ContainerStats = {
      attributes: {
        id: status.id,
        metadata: status.metadata,
        labels: status.labels ?? {},
        annotations: status.annotations ?? {},
      },
    };
    if (status.state !== "CONTAINER_RUNNING") return stats;
    // The cgroups recorded at create (no `runc state` per container), under
    // mounts read once: stats of every container are asked for every 15 s.
    this.#cgroupLayout ??= cgroupLayout(readFileSync("/proc/self/mountinfo", "utf8"));
    const usage = await readCgroupUsage(
      this.#cgroupLayout,
      await this.containers.cgroupPaths(containerId),
    );
    stats.cpu = { timestamp, usageCoreNanoSeconds: { value: usage.cpuUsageNs } };
    stats.memory = {
      timestamp,
      workingSetBytes: { value: usage.workingSetBytes },
      usageBytes: { value: usage.memoryUsageBytes },
      rssBytes: { value: usage.rssBytes },
      pageFaults: { value: usage.pageFaults },
      majorPageFaults: { value: usage.majorPageFaults },
    };
    return stats;
  }

  async listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]> {
    const out: ContainerStats[] = [];
    for (const c of await this.containers.list(filter)) out.push(await this.containerStats(c.id));
    return out;
  }
}
