/**
 * The kubelet: wires the pod sources (API pods bound to this node, static
 * manifests), the pod workers, the runtime relist, probes, status reporting
 * and node registration. Each subsystem lives in its own folder; this file
 * only connects them and holds the per-pod sync loop.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import type { Node, Pod, PodStatus, Taint } from "kubernetes-types/core/v1.js";
import { type CoreEvent, EVENTS, EventRecorder } from "../client/events/recorder.js";
import { SharedInformerFactory } from "../client/informer/factory.js";
import type { Informer } from "../client/informer/informer.js";
import { objectOf } from "../client/informer/informer.js";
import { LEASES, type Lease } from "../client/leaderelection/leader-election.js";
import { RestClient } from "../client/rest/client.js";
import { isAlreadyExists, isNotFound } from "../client/rest/errors.js";
import { ResourceClient } from "../client/rest/resource.js";
import type { ImageService, RuntimeService, StreamSession } from "../runtime/cri.js";
import type { Logger } from "../util/log.js";
import type { PodCgroupManager } from "./cgroups/pod-cgroups.js";
import { ApiObjects } from "./config/api-objects.js";
import { CONFIG_MIRROR, isMirrorPod, mirrorPodFor } from "./config/static-pods.js";
import { StaticPodSource } from "./config/static-source.js";
import { containersNamed, type RuntimePod } from "./cri/runtime-pod.js";
import { RuntimeReader } from "./cri/runtime-reader.js";
import { KubeletMetrics } from "./metrics/metrics.js";
import { nodeStats, podStats } from "./metrics/summary.js";
import { type MachineInfo, readMachineInfo } from "./node/machine-info.js";
import { NodeRegistrar } from "./node/registrar.js";
import { findContainerSpec } from "./pods/containers.js";
import { isTerminal } from "./pods/phase.js";
import { generatePodStatus } from "./pods/status.js";
import { KubeletHttpError, KubeletServer, type LogTarget } from "./server/server.js";
import { ensureKubeletServingCert } from "./server/serving-cert.js";
import { StatusManager } from "./status/status-manager.js";
import { terminationMessage } from "./status/termination-message.js";
import type { ContainerEnv, Hooks, PodDns, PodVolumes, Probes } from "./workers/deps.js";
import { PodSyncer } from "./workers/pod-sync.js";
import { PodWorkers } from "./workers/pod-workers.js";

const PODS = { group: "", version: "v1", resource: "pods", namespaced: true } as const;
const NODES = { group: "", version: "v1", resource: "nodes", namespaced: false } as const;

export interface KubeletOptions {
  readonly rest: RestClient;
  readonly nodeName: string;
  readonly rootDir: string;
  readonly logsDir?: string;
  readonly podManifestPath?: string;
  readonly runtime: RuntimeService;
  readonly images: ImageService;
  /** Prefix of container IDs in pod status (`<name>://<id>`). */
  readonly runtimeName: string;
  readonly runtimeVersion: string;
  readonly nodeIPs?: string[];
  readonly nodeLabels?: Record<string, string>;
  readonly taints?: Taint[];
  readonly log: Logger;
  /** Why pod networking is not ready (e.g. no CNI config), undefined when it is. */
  readonly networkNotReady?: () => string | undefined;
  /** How often the runtime is relisted (default 1 s). */
  readonly relistMs?: number;
  /** How often every pod is synced regardless of events (default 10 s). */
  readonly resyncMs?: number;
  readonly staticPollMs?: number;
  /** The kubelet's HTTPS server (logs, pods, health). Port 0 picks a free one; omit to not serve. */
  readonly server?: {
    readonly port: number;
    readonly address?: string;
    readonly clientCA: string | Buffer;
  };
  readonly statusUpdateMs?: number;
  readonly leaseRenewMs?: number;
  /** Pod-level cgroups (kubepods/<qos>/pod<uid>); without, pods sit where the runtime puts them. */
  readonly podCgroups?: PodCgroupManager;
  /** Built from the machine info and API sources once the kubelet knows them. */
  readonly makeDeps: (ctx: DepsContext) => {
    volumes: PodVolumes;
    env: ContainerEnv;
    dns: PodDns;
    hooks: Hooks;
    probes: Probes;
  };
}

export interface DepsContext {
  readonly machine: MachineInfo;
  readonly objects: ApiObjects;
  readonly podsDir: string;
  /** Re-sync a pod (probe results changed). */
  readonly resync: (uid: string) => void;
  readonly event: (pod: Pod, type: "Normal" | "Warning", reason: string, message: string) => void;
}

export class Kubelet {
  private readonly factory: SharedInformerFactory;
  private readonly podInformer: Informer<Pod>;
  private readonly pods: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;
  /** Events go through their own client and rate limit (upstream's eventRecordQPS), not the pods'. */
  private readonly eventsRest: RestClient;
  private readonly reader: RuntimeReader;
  private readonly statuses: StatusManager;
  private readonly workers: PodWorkers;
  private staticSource: StaticPodSource | undefined;
  private staticPods = new Map<string, Pod>();
  private registrar: NodeRegistrar | undefined;
  private syncer: PodSyncer | undefined;
  private probes: Probes | undefined;
  private machine: MachineInfo | undefined;
  private relistTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private relisting: Promise<void> | undefined;
  private lastRelist = new Map<string, string>();
  private stopped = false;
  /** Termination messages already read, by pod uid then container id (exited containers only). */
  private readonly messages = new Map<string, Map<string, string | undefined>>();
  private server: KubeletServer | undefined;
  readonly metrics: KubeletMetrics;
  /** When the kubelet first saw each pod, until it first ran (kubelet_pod_start_duration_seconds). */
  private readonly firstSeen = new Map<string, number>();
  /** The port the kubelet server listens on (after start). */
  port = 0;

  constructor(private readonly opts: KubeletOptions) {
    this.factory = new SharedInformerFactory(opts.rest);
    this.podInformer = this.factory.informerFor<Pod>(PODS, {
      fieldSelector: `spec.nodeName=${opts.nodeName}`,
      indexers: { uid: (p) => (p.metadata?.uid ? [p.metadata.uid] : []) },
    });
    this.pods = new ResourceClient<Pod>(opts.rest, PODS);
    this.eventsRest = new RestClient({ ...opts.rest.config, qps: 50, burst: 100 });
    this.recorder = new EventRecorder(new ResourceClient<CoreEvent>(this.eventsRest, EVENTS), {
      component: "kubelet",
      host: opts.nodeName,
      onError: (err) => opts.log.warn("event", { err: String(err) }),
    });
    this.reader = new RuntimeReader(opts.runtime);
    this.statuses = new StatusManager(this.pods, {
      onError: (err, pod) => opts.log.warn("status update failed", { pod, err: String(err) }),
    });
    this.metrics = new KubeletMetrics(opts.nodeName);
    this.workers = new PodWorkers((uid) => this.timedSync(uid), {
      onError: (uid, err) => opts.log.error("pod sync failed", { uid, err: String(err) }),
    });
  }

  get podsDir(): string {
    return join(this.opts.rootDir, "pods");
  }

  private startedAt = "";

  async start(): Promise<void> {
    const { opts } = this;
    this.startedAt = new Date().toISOString();
    this.machine = await readMachineInfo(opts.rootDir, opts.nodeIPs);
    if (opts.server) {
      this.server = new KubeletServer({
        port: opts.server.port,
        ...(opts.server.address ? { address: opts.server.address } : {}),
        tls: await ensureKubeletServingCert(opts.rootDir, opts.nodeName, this.machine.internalIPs),
        clientCA: opts.server.clientCA,
        log: opts.log,
        handlers: {
          pods: () => this.runningPods(),
          containerLog: (ns, pod, container, previous) =>
            this.containerLog(ns, pod, container, previous),
          exec: (ns, pod, container, request) => this.exec(ns, pod, container, request),
          run: (ns, pod, container, cmd) => this.run(ns, pod, container, cmd),
          attach: (ns, pod, container, request) => this.attach(ns, pod, container, request),
          summary: () => this.summary(),
          metrics: async () => ({
            contentType: this.metrics.registry.contentType,
            body: await this.metrics.registry.metrics(),
          }),
          portForward: (ns, pod, port) => this.portForward(ns, pod, port),
        },
      });
      this.port = await this.server.start();
    }
    const objects = new ApiObjects(opts.rest);
    const event = (pod: Pod, type: "Normal" | "Warning", reason: string, message: string) =>
      this.recorder.event(this.eventTarget(pod), { type, reason, message });
    const deps = opts.makeDeps({
      machine: this.machine,
      objects,
      podsDir: this.podsDir,
      resync: (uid) => this.workers.enqueue(uid),
      event,
    });
    this.probes = deps.probes;
    await opts.podCgroups?.start();
    this.syncer = new PodSyncer({
      ...(opts.podCgroups ? { podCgroups: opts.podCgroups } : {}),
      runtime: opts.runtime,
      images: opts.images,
      ...deps,
      event,
      secret: objects.secret,
      podsDir: this.podsDir,
      logsDir: opts.logsDir ?? join(opts.rootDir, "logs"),
      nodeMemoryBytes: this.machine.memoryBytes,
      ...(opts.networkNotReady ? { networkNotReady: opts.networkNotReady } : {}),
    });
    this.registrar = new NodeRegistrar(
      new ResourceClient<Node>(opts.rest, NODES),
      new ResourceClient<Lease>(opts.rest, LEASES),
      this.machine,
      {
        nodeName: opts.nodeName,
        runtimeVersion: opts.runtimeVersion,
        ...(this.port ? { kubeletPort: this.port } : {}),
        ...(opts.nodeLabels ? { labels: opts.nodeLabels } : {}),
        ...(opts.taints ? { taints: opts.taints } : {}),
        health: () => {
          const notReady = opts.networkNotReady?.();
          return notReady
            ? {
                ready: false,
                message: `container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:${notReady}`,
              }
            : { ready: true };
        },
        log: opts.log,
        ...(opts.statusUpdateMs ? { statusUpdateMs: opts.statusUpdateMs } : {}),
        ...(opts.leaseRenewMs ? { leaseRenewMs: opts.leaseRenewMs } : {}),
      },
    );
    await this.registrar.register();
    this.registrar.start();

    this.podInformer.addEventHandler({
      onAdd: (pod) => this.onApiPod(pod),
      onUpdate: (_old, pod) => this.onApiPod(pod),
      onDelete: (obj) => {
        const pod = objectOf(obj);
        if (isMirrorPod(pod)) {
          void this.syncMirrors();
          return;
        }
        const uid = pod.metadata?.uid;
        if (uid) this.workers.enqueue(uid);
      },
    });
    this.factory.start();
    await this.factory.waitForCacheSync();

    if (opts.podManifestPath) {
      this.staticSource = new StaticPodSource({
        dir: opts.podManifestPath,
        nodeName: opts.nodeName,
        ...(opts.staticPollMs ? { intervalMs: opts.staticPollMs } : {}),
        onChange: (pods) => this.onStaticPods(pods),
        onError: (file, err) =>
          opts.log.warn("bad static pod manifest", { file, err: String(err) }),
      });
      await this.staticSource.start();
    }
    await this.relist();
    await this.releaseOrphanCgroups();
    const relist = () => {
      this.relisting = this.relist()
        .catch((err: unknown) => opts.log.warn("relist failed", { err: String(err) }))
        .finally(() => {
          this.relisting = undefined;
          if (!this.stopped) this.relistTimer = setTimeout(relist, opts.relistMs ?? 1000);
        });
    };
    this.relistTimer = setTimeout(relist, opts.relistMs ?? 1000);
    this.resyncTimer = setInterval(() => {
      for (const uid of this.desiredUids()) this.workers.enqueue(uid);
      void this.syncMirrors();
      void this.releaseOrphanCgroups();
    }, opts.resyncMs ?? 10_000);
    opts.log.info("kubelet started", { node: opts.nodeName });
  }

  /**
   * Posts the node's status now rather than at the next interval: what
   * made it NotReady (no pod network yet) is fixed, and the scheduler
   * should not wait 10 s to hear it.
   */
  async updateNodeStatus(): Promise<void> {
    await this.registrar?.postStatus(true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.relistTimer) clearTimeout(this.relistTimer);
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await this.relisting;
    await this.staticSource?.stop();
    await this.workers.stop();
    await (this.probes as { stop?: () => Promise<void> } | undefined)?.stop?.();
    await this.statuses.stop();
    await this.server?.stop();
    await this.registrar?.stop();
    await this.factory.stop();
    // Events still queued behind the rate limiter are dropped after 2 s (upstream drops them at once).
    await this.recorder.flush(2000);
    this.eventsRest.close();
  }

  /**
   * Pod cgroups of pods that are no longer here (deleted while the kubelet
   * was down, or a removal that failed): their workers remove them, so it
   * never races a sync of the same pod.
   */
  private async releaseOrphanCgroups(): Promise<void> {
    const uids = await this.opts.podCgroups?.podUids().catch((err: unknown) => {
      this.opts.log.warn("listing pod cgroups failed", { err: String(err) });
      return [];
    });
    const desired = new Set(this.desiredUids());
    for (const uid of uids ?? []) if (!desired.has(uid)) this.workers.enqueue(uid);
  }

  /** The pods this kubelet runs, with their latest status (the server's /pods). */
  private runningPods(): Pod[] {
    const out: Pod[] = [];
    for (const uid of this.desiredUids()) {
      const pod = this.desiredPod(uid);
      if (pod) out.push({ ...pod, status: this.statuses.get(uid) ?? pod.status ?? {} });
    }
    return out;
  }

  private findPod(namespace: string, name: string): Pod | undefined {
    for (const p of this.staticPods.values())
      if (p.metadata?.namespace === namespace && p.metadata?.name === name) return p;
    const p = this.podInformer.store.get(`${namespace}/${name}`);
    return p && !isMirrorPod(p) ? p : undefined;
  }

  private async exec(
    namespace: string,
    name: string,
    container: string,
    request: { cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean },
  ): Promise<StreamSession> {
    const { id } = await this.runningContainer(namespace, name, container);
    return this.opts.runtime.exec({ containerId: id, ...request });
  }

  private async run(
    namespace: string,
    name: string,
    container: string,
    cmd: string[],
  ): Promise<Buffer> {
    const { id } = await this.runningContainer(namespace, name, container);
    const r = await this.opts.runtime.execSync({ containerId: id, cmd, timeout: 0 });
    const out = Buffer.concat([r.stdout, r.stderr]);
    // As upstream's RunInContainer: a failed command is an error carrying its output.
    if (r.exitCode !== 0)
      throw new KubeletHttpError(
        500,
        `command '${cmd.join(" ")}' exited with ${r.exitCode}: ${out}`,
      );
    return out;
  }

  private async attach(
    namespace: string,
    name: string,
    container: string,
    request: { tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean },
  ): Promise<StreamSession> {
    const { id, spec } = await this.runningContainer(namespace, name, container);
    // A process's terminal was settled when it started: the spec says, not the request.
    return this.opts.runtime.attach({ containerId: id, ...request, tty: spec?.tty ?? false });
  }

  /** The running instance of a pod's container, for exec and attach. */
  private async runningContainer(namespace: string, name: string, container: string) {
    const pod = this.findPod(namespace, name);
    if (!pod) throw new KubeletHttpError(404, `pod "${namespace}/${name}" not found`);
    const runtime = await this.reader.readPod(pod.metadata?.uid ?? "");
    const c = containersNamed(runtime, container)[0];
    if (c?.state !== "CONTAINER_RUNNING")
      throw new KubeletHttpError(400, `container ${container} is not running in pod ${name}`);
    return { id: c.id, spec: findContainerSpec(pod, container) };
  }

  private async portForward(namespace: string, name: string, port: number): Promise<Duplex> {
    const pod = this.findPod(namespace, name);
    if (!pod) throw new KubeletHttpError(404, `pod "${namespace}/${name}" not found`);
    const runtime = await this.reader.readPod(pod.metadata?.uid ?? "");
    const sandbox = runtime.sandboxes.find((s) => s.state === "SANDBOX_READY");
    if (!sandbox) throw new Error(`pod ${namespace}/${name} has no running sandbox`);
    return this.opts.runtime.portForward({ podSandboxId: sandbox.id, port });
  }

  private async containerLog(
    namespace: string,
    name: string,
    container: string,
    previous: boolean,
  ): Promise<LogTarget> {
    const pod = this.findPod(namespace, name);
    if (!pod) throw new KubeletHttpError(404, `pod "${namespace}/${name}" not found`);
    if (!findContainerSpec(pod, container))
      throw new KubeletHttpError(400, `container ${container} is not valid for pod ${name}`);
    const runtime = await this.reader.readPod(pod.metadata?.uid ?? "");
    const instances = containersNamed(runtime, container);
    const target = previous ? instances[1] : instances[0];
    if (!target) {
      if (previous)
        throw new KubeletHttpError(
          400,
          `previous terminated container "${container}" in pod "${name}" not found`,
        );
      const reason =
        this.syncer?.waitingReasons(pod.metadata?.uid ?? "").get(container)?.reason ??
        "ContainerCreating";
      throw new KubeletHttpError(
        400,
        `container "${container}" in pod "${name}" is waiting to start: ${reason}`,
      );
    }
    const id = target.id;
    return {
      path: target.logPath,
      running: async () => {
        try {
          return (await this.opts.runtime.containerStatus(id)).state === "CONTAINER_RUNNING";
        } catch {
          return false;
        }
      },
    };
  }

  /** The pods this kubelet should run, by uid. */
  private desiredUids(): string[] {
    const uids = new Set<string>(this.staticPods.keys());
    for (const p of this.podInformer.store.list()) {
      if (!isMirrorPod(p) && p.metadata?.uid) uids.add(p.metadata.uid);
    }
    return [...uids];
  }

  private desiredPod(uid: string): Pod | undefined {
    const s = this.staticPods.get(uid);
    if (s) return s;
    return this.podInformer.store.byIndex("uid", uid)[0];
  }

  private onApiPod(pod: Pod): void {
    if (isMirrorPod(pod)) {
      void this.syncMirrors();
      // The static pod's status goes to its mirror, now that it exists.
      const staticUid = pod.metadata?.annotations?.[CONFIG_MIRROR];
      if (staticUid && this.staticPods.has(staticUid)) this.workers.enqueue(staticUid);
      return;
    }
    const uid = pod.metadata?.uid;
    if (uid) {
      this.statuses.seen(uid, pod.status);
      this.workers.enqueue(uid);
    }
  }

  private onStaticPods(pods: Map<string, Pod>): void {
    const before = new Set(this.staticPods.keys());
    this.staticPods = pods;
    for (const uid of pods.keys()) this.workers.enqueue(uid);
    for (const uid of before) if (!pods.has(uid)) this.workers.enqueue(uid);
    void this.syncMirrors();
  }

  /** Where events about a pod go: the pod, or a static pod's mirror. */
  private eventTarget(pod: Pod): Pod {
    if (pod.metadata?.annotations?.["kubernetes.io/config.source"] !== "file") return pod;
    return this.mirrorOf(pod) ?? pod;
  }

  private mirrorOf(pod: Pod): Pod | undefined {
    const key = `${pod.metadata?.namespace ?? "default"}/${pod.metadata?.name ?? ""}`;
    const m = this.podInformer.store.get(key);
    return m && isMirrorPod(m) ? m : undefined;
  }

  private mirrorBusy: Promise<void> | undefined;
  private mirrorAgain = false;

  /** Creates, replaces and deletes mirror pods so each static pod has exactly one, current. */
  private syncMirrors(): Promise<void> {
    if (this.mirrorBusy) {
      this.mirrorAgain = true;
      return this.mirrorBusy;
    }
    this.mirrorBusy = (async () => {
      do {
        this.mirrorAgain = false;
        try {
          await this.syncMirrorsOnce();
        } catch (err) {
          this.opts.log.warn("mirror pod sync failed", { err: String(err) });
        }
      } while (this.mirrorAgain && !this.stopped);
    })().finally(() => {
      this.mirrorBusy = undefined;
    });
    return this.mirrorBusy;
  }

  private async syncMirrorsOnce(): Promise<void> {
    const node = this.registrar?.current;
    const wanted = new Map<string, Pod>();
    for (const p of this.staticPods.values())
      wanted.set(`${p.metadata?.namespace}/${p.metadata?.name}`, p);
    for (const m of this.podInformer.store.list()) {
      if (!isMirrorPod(m)) continue;
      const key = `${m.metadata?.namespace}/${m.metadata?.name}`;
      const s = wanted.get(key);
      const hash = m.metadata?.annotations?.[CONFIG_MIRROR];
      if (s && hash === s.metadata?.uid && !m.metadata?.deletionTimestamp) continue;
      // Stale, orphaned or being deleted by a user: finish its deletion; it is recreated below.
      await this.deleteIgnoringNotFound(m, 0);
    }
    for (const [key, s] of wanted) {
      const m = this.podInformer.store.get(key);
      if (
        m &&
        m.metadata?.annotations?.[CONFIG_MIRROR] === s.metadata?.uid &&
        !m.metadata?.deletionTimestamp
      )
        continue;
      try {
        await this.pods.create(
          mirrorPodFor(s, { name: this.opts.nodeName, uid: node?.metadata?.uid }),
          { namespace: s.metadata?.namespace ?? "default" },
        );
        const uid = s.metadata?.uid;
        if (uid) this.workers.enqueue(uid);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
  }

  private async deleteIgnoringNotFound(pod: Pod, gracePeriodSeconds: number): Promise<void> {
    try {
      await this.pods.delete(pod.metadata?.name ?? "", {
        namespace: pod.metadata?.namespace ?? "default",
        gracePeriodSeconds,
        ...(pod.metadata?.uid ? { preconditions: { uid: pod.metadata.uid } } : {}),
      });
    } catch (err) {
      if (!isNotFound(err) && !/precondition/i.test(String(err))) throw err;
    }
  }

  private async timedSync(uid: string): Promise<void> {
    const end = this.metrics.podWorkerDuration.startTimer();
    try {
      await this.syncPod(uid);
    } finally {
      end();
    }
  }

  private async summary(): Promise<object> {
    const now = new Date();
    const stats = await this.opts.runtime.listContainerStats();
    const containers = await this.opts.runtime.listContainers();
    return {
      node: { ...(await nodeStats(this.opts.nodeName, now)), startTime: this.startedAt },
      pods: podStats(stats, { now, containers }),
    };
  }

  /** PLEG: relist the runtime and wake the workers of pods whose containers changed. */
  private async relist(): Promise<void> {
    const end = this.metrics.relistDuration.startTimer();
    const all = await this.reader.readAll();
    end();
    let runningPods = 0;
    const byState = new Map<string, number>();
    for (const p of all.values()) {
      if (p.sandboxes.some((s) => s.state === "SANDBOX_READY")) runningPods++;
      for (const c of p.containers) {
        const state = c.state.replace("CONTAINER_", "").toLowerCase();
        byState.set(state, (byState.get(state) ?? 0) + 1);
      }
    }
    this.metrics.runningPods.set(runningPods);
    this.metrics.runningContainers.reset();
    for (const [state, count] of byState)
      this.metrics.runningContainers.set({ container_state: state }, count);
    const next = new Map<string, string>();
    for (const [uid, p] of all) {
      const sig = JSON.stringify([
        p.sandboxes.map((s) => [s.id, s.state]),
        p.containers.map((c) => [c.id, c.state]),
      ]);
      next.set(uid, sig);
      if (this.lastRelist.get(uid) !== sig) this.workers.enqueue(uid);
    }
    for (const uid of this.lastRelist.keys()) if (!next.has(uid)) this.workers.enqueue(uid);
    this.lastRelist = next;
  }

  private async syncPod(uid: string): Promise<void> {
    const syncer = this.syncer;
    if (!syncer || this.stopped) return;
    const pod = this.desiredPod(uid);
    const runtime = await this.reader.readPod(uid);
    if (!pod) {
      if (runtime.sandboxes.length || runtime.containers.length) {
        this.opts.log.info("removing pod no longer bound here", {
          uid,
          pod: `${runtime.namespace}/${runtime.name}`,
        });
        await syncer.killPod(undefined, runtime, 0, true);
      } else {
        await syncer.release(uid);
      }
      this.statuses.forget(uid);
      this.messages.delete(uid);
      this.firstSeen.delete(uid);
      this.workers.forget(uid);
      return;
    }
    if (pod.metadata?.deletionTimestamp) {
      await this.terminate(pod, runtime);
      return;
    }
    const oldStatus = this.statuses.get(uid) ?? pod.status;
    if (!this.firstSeen.has(uid) && oldStatus?.phase !== "Running" && !isTerminal(oldStatus))
      this.firstSeen.set(uid, Date.now());
    let retryMs: number | undefined;
    if (isTerminal(oldStatus)) {
      // Finished: stop what still runs, keep the containers for logs.
      await syncer.killPod(pod, runtime, pod.spec?.terminationGracePeriodSeconds ?? 30, false);
    } else {
      retryMs = (await syncer.sync(pod, runtime)).retryMs;
    }
    const after = await this.reader.readPod(uid);
    await this.report(pod, after, oldStatus);
    if (retryMs !== undefined) this.workers.enqueue(uid, retryMs);
  }

  private async report(
    pod: Pod,
    runtime: RuntimePod,
    oldStatus: PodStatus | undefined,
  ): Promise<PodStatus> {
    const uid = pod.metadata?.uid ?? "";
    const sandbox = runtime.sandboxes[0];
    const podIP = pod.spec?.hostNetwork
      ? this.machine?.internalIPs[0]
      : sandbox?.state === "SANDBOX_READY"
        ? sandbox.ip
        : undefined;
    this.probes?.update(
      pod,
      podIP,
      runtime.containers
        .filter((c, i, all) => all.findIndex((x) => x.name === c.name) === i && !c.init)
        .map((c) => ({
          name: c.name,
          containerId: c.id,
          startedAt: c.startedAt,
          running: c.state === "CONTAINER_RUNNING",
        })),
    );
    const messages = new Map<string, string>();
    const known = this.messages.get(uid) ?? new Map<string, string | undefined>();
    const current = new Map<string, string | undefined>();
    for (const c of runtime.containers) {
      if (c.state !== "CONTAINER_EXITED") continue;
      let m = known.get(c.id);
      if (!known.has(c.id)) {
        const spec = findContainerSpec(pod, c.name);
        m = await terminationMessage(c, spec?.terminationMessagePolicy);
      }
      current.set(c.id, m);
      if (m) messages.set(c.id, m);
    }
    // Only the containers the runtime still holds are remembered.
    if (current.size) this.messages.set(uid, current);
    else this.messages.delete(uid);
    const status = generatePodStatus({
      pod,
      runtime,
      oldStatus,
      waiting: this.syncer?.waitingReasons(uid) ?? new Map(),
      ready: (name) => this.probes?.ready(uid, name),
      started: (name) => this.probes?.started(uid, name) ?? true,
      hostIPs: this.machine?.internalIPs ?? [],
      now: Date.now(),
      runtimeName: this.opts.runtimeName,
      terminationMessages: messages,
    });
    const target =
      pod.metadata?.annotations?.["kubernetes.io/config.source"] === "file"
        ? this.mirrorOf(pod)
        : pod;
    if (target?.metadata?.uid && target.metadata.name) {
      this.statuses.set(
        uid,
        {
          namespace: target.metadata.namespace ?? "default",
          name: target.metadata.name,
          uid: target.metadata.uid,
        },
        status,
      );
    } else {
      // No API object yet (a static pod before its mirror): remember the status for later syncs.
      this.statuses.set(uid, { namespace: "", name: "", uid: "" }, status);
    }
    const seen = this.firstSeen.get(uid);
    if (seen !== undefined && (status.phase === "Running" || isTerminal(status))) {
      if (status.phase === "Running")
        this.metrics.podStartDuration.observe((Date.now() - seen) / 1000);
      this.firstSeen.delete(uid);
    }
    // A pod that just finished needs one more sync to stop its sandbox.
    if (isTerminal(status) && !isTerminal(oldStatus)) this.workers.enqueue(uid);
    return status;
  }

  /** Graceful deletion: stop within the grace period, report, then finish the API deletion. */
  private async terminate(pod: Pod, runtime: RuntimePod): Promise<void> {
    const syncer = this.syncer as PodSyncer;
    const uid = pod.metadata?.uid ?? "";
    const grace =
      pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    await syncer.killPod(pod, runtime, grace, false);
    const after = await this.reader.readPod(uid);
    await this.report(pod, after, this.statuses.get(uid) ?? pod.status);
    await this.statuses.flush();
    await this.deleteIgnoringNotFound(pod, 0);
    await syncer.killPod(pod, after, 0, true);
  }
}

/** Reads the host's resolv.conf for DNS policy Default (empty when unreadable). */
export async function readHostResolvConf(path = "/etc/resolv.conf"): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return "";
  }
}
