/**
 * The container engine interface the kubelet drives, shaped after the
 * Kubernetes CRI (k8s.io/cri-api runtime/v1 `api.proto`), trimmed to what
 * k8ts uses. Message and field names follow the proto in camelCase
 * (`pod_sandbox_id` → `podSandboxId`); enums keep their proto value names
 * (`CONTAINER_RUNNING`). A field the proto has as a plain scalar is optional
 * here and means its proto zero value (`""`, `0`, `false`) when absent.
 *
 * Timestamps the CRI carries as int64 nanoseconds since the Unix epoch are
 * `bigint` (a `number` cannot hold today's nanoseconds exactly).
 *
 * Streaming calls differ on purpose: the CRI answers Exec, Attach and
 * PortForward with the URL of a streaming server; an in-process engine hands
 * the kubelet the streams themselves instead.
 */
import type { Duplex, Readable, Writable } from "node:stream";

// ---------------------------------------------------------------- common

/** Who owns a namespace: the pod (shared), the container alone, the node (host), or another container. */
export type NamespaceMode = "POD" | "CONTAINER" | "NODE" | "TARGET";

/** Mount propagation of a bind mount (Kubernetes `mountPropagation`: None, HostToContainer, Bidirectional). */
export type MountPropagation =
  | "PROPAGATION_PRIVATE"
  | "PROPAGATION_HOST_TO_CONTAINER"
  | "PROPAGATION_BIDIRECTIONAL";

export type Protocol = "TCP" | "UDP" | "SCTP";

/** Which namespaces a pod or container shares (CRI NamespaceOption). Absent modes are `POD`. */
export interface NamespaceOption {
  /** `POD` (the sandbox's own netns) or `NODE` (hostNetwork). */
  network?: NamespaceMode;
  /** `POD` (shareProcessNamespace), `CONTAINER` (what the kubelet asks for otherwise), `NODE` (hostPID) or `TARGET`. */
  pid?: NamespaceMode;
  /** `POD` or `NODE` (hostIPC). */
  ipc?: NamespaceMode;
  /** The container whose pid namespace to join when `pid` is `TARGET`. */
  targetId?: string;
}

/** A seccomp or AppArmor profile choice (CRI SecurityProfile). */
export interface SecurityProfile {
  profileType: "RuntimeDefault" | "Unconfined" | "Localhost";
  /** The profile name or path for `Localhost`. */
  localhostRef?: string;
}

export interface KeyValue {
  key: string;
  value: string;
}

/** A host path bind-mounted into a container (CRI Mount). */
export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  /** Relabel the host path for SELinux (accepted, ignored: k8ts does not run SELinux). */
  selinuxRelabel?: boolean;
  /** Default `PROPAGATION_PRIVATE`. */
  propagation?: MountPropagation;
}

/** A host device made available in a container (CRI Device). */
export interface Device {
  containerPath: string;
  hostPath: string;
  /** cgroup permissions: a combination of `r`, `w`, `m`. */
  permissions: string;
}

/** An image reference (CRI ImageSpec). */
export interface ImageSpec {
  image: string;
  annotations?: Record<string, string>;
  /** The image as the user wrote it in the pod spec (`nginx:1.7.9`). */
  userSpecifiedImage?: string;
}

export interface Int64Value {
  value: number;
}

// ---------------------------------------------------------------- sandbox config

export interface DNSConfig {
  /** Nameserver addresses for resolv.conf. */
  servers?: string[];
  searches?: string[];
  options?: string[];
}

export interface PortMapping {
  protocol?: Protocol;
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
}

export interface PodSandboxMetadata {
  /** The pod name. */
  name: string;
  uid: string;
  namespace: string;
  /** How many sandboxes this pod had before this one (0 for the first). */
  attempt?: number;
}

/** Security settings of the pod as a whole (CRI LinuxSandboxSecurityContext). */
export interface LinuxSandboxSecurityContext {
  namespaceOptions?: NamespaceOption;
  runAsUser?: Int64Value;
  runAsGroup?: Int64Value;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  /** Whether any container of the pod may be privileged. */
  privileged?: boolean;
  seccomp?: SecurityProfile;
  apparmor?: SecurityProfile;
}

export interface LinuxPodSandboxConfig {
  /** The pod's cgroup, e.g. `/kubepods/burstable/pod<uid>` (cgroupfs driver). */
  cgroupParent?: string;
  securityContext?: LinuxSandboxSecurityContext;
  /** Namespaced sysctls for the pod (net.*, kernel.shm*, ...). */
  sysctls?: Record<string, string>;
  /** Pod overhead (RuntimeClass), informational. */
  overhead?: LinuxContainerResources;
  /** The pod-level resources the kubelet put on the pod cgroup, informational. */
  resources?: LinuxContainerResources;
}

/** Everything needed to create a pod sandbox (CRI PodSandboxConfig). */
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  /** Directory under which container logs go, `/var/log/pods/<ns>_<name>_<uid>`. */
  logDirectory?: string;
  dnsConfig?: DNSConfig;
  portMappings?: PortMapping[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  linux?: LinuxPodSandboxConfig;
}

// ---------------------------------------------------------------- container config

export interface ContainerMetadata {
  name: string;
  /** The container's restart count. */
  attempt?: number;
}

export interface HugepageLimit {
  /** e.g. `2MB`, `1GB` (the cgroup file naming). */
  pageSize: string;
  limit: number;
}

/** cgroup settings of a container (CRI LinuxContainerResources). Zero means unset. */
export interface LinuxContainerResources {
  /** CFS period in microseconds. */
  cpuPeriod?: number;
  /** CFS quota in microseconds per period; 0 = unlimited. */
  cpuQuota?: number;
  /** cgroup v1 cpu.shares (relative weight). */
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
  hugepageLimits?: HugepageLimit[];
  /** Raw cgroup v2 files to write, e.g. `{ "memory.oom.group": "1" }`. */
  unified?: Record<string, string>;
  memorySwapLimitInBytes?: number;
}

export interface Capability {
  /** Capability names without `CAP_` (`NET_ADMIN`), or `ALL`. */
  addCapabilities?: string[];
  dropCapabilities?: string[];
}

/** Security settings of one container (CRI LinuxContainerSecurityContext). */
export interface LinuxContainerSecurityContext {
  capabilities?: Capability;
  privileged?: boolean;
  namespaceOptions?: NamespaceOption;
  runAsUser?: Int64Value;
  runAsGroup?: Int64Value;
  /** A user name to resolve in the image's /etc/passwd; wins over runAsUser. */
  runAsUsername?: string;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  noNewPrivs?: boolean;
  /** Paths to mask; absent means the runtime's defaults, `[]` means none (procMount: Unmasked). */
  maskedPaths?: string[];
  readonlyPaths?: string[];
  seccomp?: SecurityProfile;
  apparmor?: SecurityProfile;
}

export interface LinuxContainerConfig {
  resources?: LinuxContainerResources;
  securityContext?: LinuxContainerSecurityContext;
}

/** Everything needed to create a container in a sandbox (CRI ContainerConfig). */
export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  /** Replaces the image's Entrypoint (and drops its Cmd). Already `$(VAR)`-expanded. */
  command?: string[];
  /** Replaces the image's Cmd. Already `$(VAR)`-expanded. */
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  devices?: Device[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Log file path relative to the sandbox's logDirectory, `<name>/<attempt>.log`. */
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: LinuxContainerConfig;
}

// ---------------------------------------------------------------- statuses

export type PodSandboxState = "SANDBOX_READY" | "SANDBOX_NOTREADY";

export type ContainerState =
  | "CONTAINER_CREATED"
  | "CONTAINER_RUNNING"
  | "CONTAINER_EXITED"
  | "CONTAINER_UNKNOWN";

export interface PodSandboxNetworkStatus {
  /** The pod's primary IP. */
  ip: string;
  additionalIps?: { ip: string }[];
}

/** Status of one sandbox (CRI PodSandboxStatus). */
export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  /** Nanoseconds since the epoch. */
  createdAt: bigint;
  network?: PodSandboxNetworkStatus;
  linux?: { namespaces?: { options?: NamespaceOption } };
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A sandbox as ListPodSandbox returns it (CRI PodSandbox). */
export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: bigint;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface PodSandboxFilter {
  id?: string;
  state?: PodSandboxState;
  /** Every pair must match the sandbox's labels. */
  labelSelector?: Record<string, string>;
}

/** A container as ListContainers returns it (CRI Container). */
export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: ImageSpec;
  /** The image ID the container runs (`sha256:...`). */
  imageRef: string;
  state: ContainerState;
  createdAt: bigint;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ContainerFilter {
  id?: string;
  state?: ContainerState;
  podSandboxId?: string;
  labelSelector?: Record<string, string>;
}

/** Status of one container (CRI ContainerStatus). Times are ns since the epoch, 0n when not yet. */
export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: bigint;
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
  image: ImageSpec;
  /** Digest-qualified reference of the image (`docker.io/library/nginx@sha256:...`). */
  imageRef: string;
  /** `Completed`, `Error`, `OOMKilled`, ... once exited. */
  reason?: string;
  message?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  mounts?: Mount[];
  /** Absolute path of the container's CRI log file. */
  logPath: string;
  resources?: { linux?: LinuxContainerResources };
}

// ---------------------------------------------------------------- stats

export interface UInt64Value {
  value: bigint;
}

export interface ContainerAttributes {
  id: string;
  metadata: ContainerMetadata;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface CpuUsage {
  timestamp: bigint;
  /** Cumulative CPU time in nanoseconds. */
  usageCoreNanoSeconds?: UInt64Value;
  /** CPU usage over the last sampling window, in nanocores. */
  usageNanoCores?: UInt64Value;
}

export interface MemoryUsage {
  timestamp: bigint;
  workingSetBytes?: UInt64Value;
  availableBytes?: UInt64Value;
  usageBytes?: UInt64Value;
  rssBytes?: UInt64Value;
  pageFaults?: UInt64Value;
  majorPageFaults?: UInt64Value;
}

export interface FilesystemUsage {
  timestamp: bigint;
  fsId?: { mountpoint: string };
  usedBytes?: UInt64Value;
  inodesUsed?: UInt64Value;
}

/** Resource usage of one container (CRI ContainerStats). */
export interface ContainerStats {
  attributes: ContainerAttributes;
  cpu?: CpuUsage;
  memory?: MemoryUsage;
  writableLayer?: FilesystemUsage;
}

export interface ContainerStatsFilter {
  id?: string;
  podSandboxId?: string;
  labelSelector?: Record<string, string>;
}

// ---------------------------------------------------------------- exec, attach, port-forward

/** What ExecSync returns (CRI ExecSyncResponse). */
export interface ExecSyncResponse {
  stdout: Uint8Array;
  stderr: Uint8Array;
  exitCode: number;
}

export interface ExecSyncRequest {
  containerId: string;
  cmd: string[];
  /** Seconds; 0 = no timeout. */
  timeout?: number;
}

/** Which streams a streaming Exec or Attach wants (CRI ExecRequest/AttachRequest). */
export interface StreamOptions {
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  /** Ignored with a tty: the terminal merges stderr into stdout. */
  stderr?: boolean;
}

export interface ExecRequest extends StreamOptions {
  containerId: string;
  cmd: string[];
}

export interface AttachRequest extends StreamOptions {
  containerId: string;
}

export interface TerminalSize {
  width: number;
  height: number;
}

/**
 * A live exec or attach session. Streams are present exactly when asked for.
 * `close()` detaches (for exec it also kills the process if still running).
 */
export interface StreamSession {
  stdin?: Writable;
  stdout?: Readable;
  stderr?: Readable;
  /** Resize the terminal (tty sessions only; a no-op otherwise). */
  resize(size: TerminalSize): void;
  /** Settles when the process ends (exec) or the container stops (attach). */
  readonly exited: Promise<{ exitCode: number }>;
  close(): Promise<void>;
}

export interface PortForwardRequest {
  podSandboxId: string;
  port: number;
}

// ---------------------------------------------------------------- images

/** An image in the local store (CRI Image). */
export interface Image {
  /** `sha256:` digest of the image config. */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  /** Size in bytes of the unpacked layers. */
  size: number;
  /** The image's numeric user, when its USER is numeric. */
  uid?: Int64Value;
  /** The image's user name, when its USER is a name. */
  username?: string;
  spec?: ImageSpec;
  /** Pinned images are never garbage-collected (the pause image). */
  pinned?: boolean;
}

/** Registry credentials for one pull (CRI AuthConfig). */
export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64 `user:password`. */
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

export interface PullImageRequest {
  image: ImageSpec;
  auth?: AuthConfig;
  sandboxConfig?: PodSandboxConfig;
}

export interface ImageFsInfo {
  imageFilesystems: FilesystemUsage[];
  containerFilesystems: FilesystemUsage[];
}

// ---------------------------------------------------------------- services

/** Pod sandboxes and containers (the CRI RuntimeService), methods in camelCase. */
export interface RuntimeService {
  /**
   * Create and start a pod sandbox: its namespaces (network set up through
   * CNI), the pause process holding them, the pod cgroup and /dev/shm.
   * Resolves to the sandbox ID.
   */
  runPodSandbox(config: PodSandboxConfig, options?: { runtimeHandler?: string }): Promise<string>;
  /**
   * Stop every container of the sandbox, then the sandbox itself, and tear
   * down its network. Idempotent: stopping a stopped or unknown sandbox succeeds.
   */
  stopPodSandbox(podSandboxId: string): Promise<void>;
  /**
   * Remove the sandbox and its containers (stopping them forcibly if still
   * running). Idempotent: removing an unknown sandbox succeeds.
   */
  removePodSandbox(podSandboxId: string): Promise<void>;
  /** Status of the sandbox; rejects with a not-found error for an unknown one. */
  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus>;
  /** Sandboxes matching every given filter field. */
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;

  /**
   * Create a container in the sandbox (rootfs prepared, OCI bundle written,
   * process not started). Resolves to the container ID.
   */
  createContainer(
    podSandboxId: string,
    request: { config: ContainerConfig; sandboxConfig: PodSandboxConfig },
  ): Promise<string>;
  /** Start a created container. */
  startContainer(containerId: string): Promise<void>;
  /**
   * Stop a running container: the stop signal (SIGTERM), then SIGKILL after
   * `timeoutSeconds` (0 kills at once). Idempotent for stopped containers.
   */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  /** Remove a container, killing it first if running. Idempotent. */
  removeContainer(containerId: string): Promise<void>;
  /** Containers matching every given filter field. */
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  /** Status of the container; rejects with a not-found error for an unknown one. */
  containerStatus(containerId: string): Promise<ContainerStatus>;
  /** Change the cgroup limits of a created or running container. */
  updateContainerResources(containerId: string, resources: LinuxContainerResources): Promise<void>;
  /** Reopen the container's log file after the kubelet rotated it. */
  reopenContainerLog(containerId: string): Promise<void>;

  /** Run a command in the container and collect its output (probes, `kubectl exec` without -i). */
  execSync(request: ExecSyncRequest): Promise<ExecSyncResponse>;
  /** Run a command in the container with live streams (`kubectl exec -it`). */
  exec(request: ExecRequest): Promise<StreamSession>;
  /** Attach to the streams of the container's main process (`kubectl attach`). */
  attach(request: AttachRequest): Promise<StreamSession>;
  /** A connection to `port` on the loopback of the sandbox's network namespace. */
  portForward(request: PortForwardRequest): Promise<Duplex>;

  /** Resource usage of one container. */
  containerStats(containerId: string): Promise<ContainerStats>;
  /** Resource usage of the containers matching the filter. */
  listContainerStats(filter?: ContainerStatsFilter): Promise<ContainerStats[]>;
}

/** The local image store (the CRI ImageService), methods in camelCase. */
export interface ImageService {
  /** Pull the image (through the configured mirrors); resolves to its image ref (ID). */
  pullImage(request: PullImageRequest): Promise<string>;
  /** Images in the store, optionally only those matching `filter.image`. */
  listImages(filter?: { image?: ImageSpec }): Promise<Image[]>;
  /** The image, or `undefined` when it is not present (never a not-found error). */
  imageStatus(image: ImageSpec): Promise<Image | undefined>;
  /** Remove the image; idempotent for absent images. */
  removeImage(image: ImageSpec): Promise<void>;
  /** Usage of the filesystems holding images and container writable layers. */
  imageFsInfo(): Promise<ImageFsInfo>;
}

/** A CRI call on an ID the engine does not know (gRPC NotFound). */
export class CriNotFoundError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
