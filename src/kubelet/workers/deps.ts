/**
 * What the pod sync needs from the rest of the kubelet, as small
 * interfaces: the volume manager, environment and DNS builders, hooks,
 * probes and events are each their own module and are wired in kubelet.ts.
 */
import type { Container, Pod, Secret } from "kubernetes-types/core/v1.js";
import type {
  DNSConfig,
  ImageService,
  KeyValue,
  Mount,
  RuntimeService,
} from "../../runtime/cri.js";
import type { PodCgroupManager } from "../cgroups/pod-cgroups.js";
import type { HookRunner } from "../lifecycle/index.js";
import type { ProbeManager } from "../prober/index.js";

export interface PodVolumes {
  /** Volume name → host path; throws an error with `reason` on bad sources. */
  setUpPod(pod: Pod): Promise<Map<string, string>>;
  tearDownPod(podUid: string): Promise<void>;
  makeMounts(pod: Pod, container: Container, volumePaths: Map<string, string>): Promise<Mount[]>;
}

export interface ContainerEnv {
  /** The container's environment; throws with reason CreateContainerConfigError on bad refs. */
  make(pod: Pod, container: Container, podIPs: readonly string[]): Promise<KeyValue[]>;
  expand(args: readonly string[] | undefined, env: readonly KeyValue[]): string[];
}

export interface PodDns {
  dnsConfig(pod: Pod): Promise<DNSConfig>;
  hostname(pod: Pod): { hostname: string; domain?: string };
  /** The kubelet-managed /etc/hosts content. */
  hostsFile(pod: Pod, podIPs: readonly string[]): Promise<string>;
}

/** postStart and preStop (lifecycle/hooks.ts). */
export type Hooks = Pick<HookRunner, "postStart" | "preStop">;

/** Probe results the pod worker reads and feeds (prober/manager.ts). */
export type Probes = Pick<
  ProbeManager,
  "update" | "removePod" | "ready" | "started" | "liveness" | "failedProbe"
>;

export type PodEvent = (
  pod: Pod,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
) => void;

export interface SyncDeps {
  readonly runtime: RuntimeService;
  readonly images: ImageService;
  readonly volumes: PodVolumes;
  readonly env: ContainerEnv;
  readonly dns: PodDns;
  readonly hooks: Hooks;
  readonly probes: Probes;
  readonly event: PodEvent;
  readonly secret: (namespace: string, name: string) => Promise<Secret | undefined>;
  /** <root-dir>/pods */
  readonly podsDir: string;
  /** Where pod log directories go (/var/log/pods upstream). */
  readonly logsDir: string;
  readonly nodeMemoryBytes: number;
  /** Pod-level cgroups; without them pods sit wherever the runtime puts them. */
  readonly podCgroups?: Pick<PodCgroupManager, "ensure" | "remove">;
  /** Why pod networking is not ready (no CNI config yet), or undefined when it is. */
  readonly networkNotReady?: () => string | undefined;
  readonly now?: () => number;
}
