/**
 * Carries out the plan of pods/actions.ts against the runtime (upstream's
 * kuberuntime SyncPod and killPod): sandbox first, then ephemeral
 * containers, init containers one at a time, then the app containers; image pulls, environment,
 * mounts, hooks, back-off and the events users read in `kubectl describe`.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Container, Pod, Secret } from "kubernetes-types/core/v1.js";
import { CriNotFoundError, type PodSandboxConfig } from "../../runtime/cri.js";
import { containerConfig } from "../cri/container-config.js";
import { latestContainer, type RuntimeContainer, type RuntimePod } from "../cri/runtime-pod.js";
import { podLogDirName, sandboxConfig } from "../cri/sandbox-config.js";
import { ImageManager } from "../images/image-manager.js";
import { computePodActions } from "../pods/actions.js";
import { Backoff } from "../pods/backoff.js";
import { allContainers, findContainerSpec } from "../pods/containers.js";
import type { WaitingReason } from "../pods/status.js";
import type { SyncDeps } from "./deps.js";

export interface SyncOutcome {
  /** Sync again after this long (back-off expiry, retry of a failure). */
  retryMs?: number;
}

const DEFAULT_GRACE_SECONDS = 30;

export const podDesc = (pod: Pod) =>
  `${pod.metadata?.name ?? ""}_${pod.metadata?.namespace ?? ""}(${pod.metadata?.uid ?? ""})`;

function errorReason(err: unknown): string | undefined {
  const r = (err as { reason?: unknown })?.reason;
  return typeof r === "string" ? r : undefined;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class PodSyncer {
  private readonly backoff = new Backoff();
  private readonly imageManager: ImageManager;
  /** Why each container of a pod is not running, by pod uid then container name. */
  private readonly reasons = new Map<string, Map<string, WaitingReason>>();
  private readonly now: () => number;

  constructor(private readonly deps: SyncDeps) {
    this.now = deps.now ?? Date.now;
    this.imageManager = new ImageManager(deps.images, this.now);
  }

  waitingReasons(uid: string): ReadonlyMap<string, WaitingReason> {
    return this.reasons.get(uid) ?? new Map();
  }

  podDir(uid: string): string {
    return join(this.deps.podsDir, uid);
  }

  /** Brings a live pod one step closer to its spec. */
  async sync(pod: Pod, runtime: RuntimePod): Promise<SyncOutcome> {
    const uid = pod.metadata?.uid ?? "";
    const reasons = this.reasonsOf(uid);
    let retryMs: number | undefined;
    const retry = (ms: number | undefined) => {
      if (ms !== undefined && ms > 0) retryMs = retryMs === undefined ? ms : Math.min(retryMs, ms);
    };

    await mkdir(join(this.podDir(uid), "containers"), { recursive: true });
    let volumePaths: Map<string, string>;
    try {
      volumePaths = await this.deps.volumes.setUpPod(pod);
    } catch (err) {
      const message = messageOf(err);
      this.deps.event(pod, "Warning", errorReason(err) ?? "FailedMount", message);
      for (const c of allContainers(pod))
        if (!latestContainer(runtime, c.name))
          reasons.set(c.name, { reason: "ContainerCreating", message: "" });
      return { retryMs: 10_000 };
    }

    const actions = computePodActions(pod, runtime, {
      livenessFailed: (id) => this.failedProbe(pod, runtime, id) === "liveness",
      startupFailed: (id) => this.failedProbe(pod, runtime, id) === "startup",
    });
    const grace = pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;

    if (actions.killPod) await this.killPod(pod, runtime, grace, false);
    for (const [id, k] of actions.containersToKill) {
      const c = runtime.containers.find((x) => x.id === id);
      if (c) await this.killContainer(pod, c, grace, k.message, runtime.sandboxes[0]?.ip);
    }

    let cgroupParent: string | undefined;
    try {
      cgroupParent = await this.deps.podCgroups?.ensure(pod);
    } catch (err) {
      const message = `unable to ensure pod container exists: ${messageOf(err)}`;
      this.deps.event(pod, "Warning", "FailedCreatePodContainer", message);
      return { retryMs: 10_000 };
    }
    let sandboxId = actions.sandboxId;
    let podIP =
      runtime.sandboxes[0]?.state === "SANDBOX_READY" ? runtime.sandboxes[0]?.ip : undefined;
    const sandboxCfg = await this.sandboxConfigFor(pod, {
      attempt: actions.createSandbox ? actions.attempt : (runtime.sandboxes[0]?.attempt ?? 0),
      ...(cgroupParent ? { cgroupParent } : {}),
    });
    if (actions.createSandbox) {
      const created = await this.createSandbox(pod, sandboxCfg);
      if (!created) return { retryMs: 10_000 };
      sandboxId = created.id;
      podIP = created.ip;
    }
    if (!sandboxId) return {};
    const podIPs = pod.spec?.hostNetwork ? [] : podIP ? [podIP] : [];
    const pullSecrets = await this.pullSecrets(pod);
    const start = async (c: Container, init: boolean) => {
      const r = await this.startContainer(
        pod,
        c,
        init,
        runtime,
        sandboxId as string,
        sandboxCfg,
        podIPs,
        volumePaths,
        pullSecrets,
      );
      retry(r);
    };
    // Ephemeral containers first: they may be what debugs a stuck init container.
    for (const c of actions.ephemeralContainersToStart) await start(c, false);
    if (actions.nextInitContainer) {
      await start(actions.nextInitContainer, true);
    } else {
      for (const c of actions.containersToStart) await start(c, false);
    }
    await this.garbageCollect(runtime);
    return retryMs !== undefined ? { retryMs } : {};
  }

  /**
   * Stops everything of the pod: preStop hooks, then containers within the
   * grace period, then the sandbox. `remove` also deletes containers,
   * sandboxes, volumes and the pod directory (the pod is gone for good).
   */
  async killPod(
    pod: Pod | undefined,
    runtime: RuntimePod,
    graceSeconds: number,
    remove: boolean,
  ): Promise<void> {
    const running = runtime.containers.filter(
      (c) =>
        c.state === "CONTAINER_RUNNING" ||
        c.state === "CONTAINER_CREATED" ||
        c.state === "CONTAINER_UNKNOWN",
    );
    await Promise.all(
      running.map((c) =>
        this.killContainer(
          pod,
          c,
          graceSeconds,
          pod ? `Stopping container ${c.name}` : undefined,
          runtime.sandboxes[0]?.ip,
        ),
      ),
    );
    for (const s of runtime.sandboxes) {
      if (s.state === "SANDBOX_READY" || remove)
        await this.ignoreNotFound(this.deps.runtime.stopPodSandbox(s.id));
    }
    if (!remove) return;
    for (const c of runtime.containers)
      await this.ignoreNotFound(this.deps.runtime.removeContainer(c.id));
    for (const s of runtime.sandboxes)
      await this.ignoreNotFound(this.deps.runtime.removePodSandbox(s.id));
    await this.deps.volumes.tearDownPod(runtime.uid);
    await rm(this.podDir(runtime.uid), { recursive: true, force: true });
    await this.release(runtime.uid);
  }

  /** Forgets a pod the runtime no longer holds and removes its cgroup. */
  async release(uid: string): Promise<void> {
    this.forget(uid);
    await this.deps.podCgroups?.remove(uid);
  }

  forget(uid: string): void {
    this.reasons.delete(uid);
    this.backoff.forget(`${uid}/`);
    this.imageManager.forget(uid);
    this.deps.probes.removePod(uid);
  }

  private reasonsOf(uid: string): Map<string, WaitingReason> {
    let r = this.reasons.get(uid);
    if (!r) {
      r = new Map();
      this.reasons.set(uid, r);
    }
    return r;
  }

  /** Which probe condemned the container (its current instance), if any. */
  private failedProbe(pod: Pod, runtime: RuntimePod, containerId: string) {
    const c = runtime.containers.find((x) => x.id === containerId);
    if (!c || latestContainer(runtime, c.name)?.id !== containerId) return undefined;
    return this.deps.probes.failedProbe(pod.metadata?.uid ?? "", c.name);
  }

  private async sandboxConfigFor(pod: Pod, opts: { attempt: number; cgroupParent?: string }) {
    const { hostname } = this.deps.dns.hostname(pod);
    return sandboxConfig(pod, {
      ...opts,
      hostname: pod.spec?.hostNetwork ? "" : hostname,
      dnsConfig: await this.deps.dns.dnsConfig(pod),
      logDirectory: join(this.deps.logsDir, podLogDirName(pod)),
    });
  }

  private async createSandbox(
    pod: Pod,
    config: PodSandboxConfig,
  ): Promise<{ id: string; ip: string | undefined } | undefined> {
    const notReady = pod.spec?.hostNetwork ? undefined : this.deps.networkNotReady?.();
    if (notReady) {
      this.deps.event(pod, "Warning", "NetworkNotReady", `network is not ready: ${notReady}`);
      return undefined;
    }
    try {
      const id = await this.deps.runtime.runPodSandbox(config);
      const status = await this.deps.runtime.podSandboxStatus(id);
      return { id, ip: status.network?.ip || undefined };
    } catch (err) {
      this.deps.event(
        pod,
        "Warning",
        "FailedCreatePodSandBox",
        `Failed to create pod sandbox: ${messageOf(err)}`,
      );
      return undefined;
    }
  }

  private async pullSecrets(pod: Pod): Promise<Secret[]> {
    const out: Secret[] = [];
    for (const ref of pod.spec?.imagePullSecrets ?? []) {
      if (!ref.name) continue;
      const s = await this.deps
        .secret(pod.metadata?.namespace ?? "default", ref.name)
        .catch(() => undefined);
      if (s) out.push(s);
      else
        this.deps.event(
          pod,
          "Warning",
          "FailedToRetrieveImagePullSecret",
          `Unable to retrieve some image pull secrets (${ref.name}); attempting to pull the image may not succeed.`,
        );
    }
    return out;
  }

  /** Starts one container; returns ms until it is worth trying again, when it could not start. */
  private async startContainer(
    pod: Pod,
    c: Container,
    init: boolean,
    runtime: RuntimePod,
    sandboxId: string,
    sandbox: Awaited<ReturnType<PodSyncer["sandboxConfigFor"]>>,
    podIPs: string[],
    volumePaths: Map<string, string>,
    pullSecrets: Secret[],
  ): Promise<number | undefined> {
    const uid = pod.metadata?.uid ?? "";
    const reasons = this.reasonsOf(uid);
    const previous = latestContainer(runtime, c.name);
    // A previous instance from an older sandbox does not count for back-off.
    const key = `${uid}/${c.name}`;
    if (previous && previous.state === "CONTAINER_EXITED") {
      const wait = this.backoff.remaining(key, previous.finishedAt, this.now());
      if (wait > 0) {
        const delay = Math.round(this.backoff.delay(key) / 1000);
        reasons.set(c.name, {
          reason: "CrashLoopBackOff",
          message: `back-off ${formatDelay(delay)} restarting failed container=${c.name} pod=${podDesc(pod)}`,
        });
        this.deps.event(
          pod,
          "Warning",
          "BackOff",
          `Back-off restarting failed container ${c.name} in pod ${podDesc(pod)}`,
        );
        return wait;
      }
    }
    const event = (type: "Normal" | "Warning", reason: string, message: string) =>
      this.deps.event(pod, type, reason, message);
    const image = await this.imageManager.ensure(pod, c, pullSecrets, event);
    if (!image.ok) {
      reasons.set(c.name, { reason: image.reason, message: image.message });
      return image.retryMs ?? 10_000;
    }
    const restartCount = previous ? previous.restartCount + 1 : 0;
    let id: string;
    try {
      const envs = await this.deps.env.make(pod, c, podIPs);
      const mounts = await this.deps.volumes.makeMounts(pod, c, volumePaths);
      if (!mounts.some((m) => m.containerPath === "/etc/hosts")) {
        const hostsPath = join(this.podDir(uid), "etc-hosts");
        await writeFile(hostsPath, await this.deps.dns.hostsFile(pod, podIPs));
        mounts.push({ containerPath: "/etc/hosts", hostPath: hostsPath });
      }
      const messageDir = join(this.podDir(uid), "containers", c.name);
      await mkdir(messageDir, { recursive: true });
      const messageFile = join(messageDir, randomBytes(4).toString("hex"));
      await writeFile(messageFile, "", { mode: 0o666 });
      const config = containerConfig(pod, c, {
        restartCount,
        init,
        image: image.imageRef,
        command: this.deps.env.expand(c.command, envs),
        args: this.deps.env.expand(c.args, envs),
        envs,
        mounts,
        memoryCapacity: this.deps.nodeMemoryBytes,
        terminationMessageFile: messageFile,
      });
      config.image.userSpecifiedImage = c.image ?? "";
      try {
        id = await this.deps.runtime.createContainer(sandboxId, { config, sandboxConfig: sandbox });
      } catch (err) {
        throw Object.assign(new Error(messageOf(err)), { reason: "CreateContainerError" });
      }
    } catch (err) {
      const reason = errorReason(err) ?? "CreateContainerConfigError";
      reasons.set(c.name, { reason, message: messageOf(err) });
      this.deps.event(pod, "Warning", "Failed", `Error: ${messageOf(err)}`);
      return 10_000;
    }
    this.deps.event(pod, "Normal", "Created", `Created container ${c.name}`);
    if (previous) this.backoff.next(key, this.now(), previous.finishedAt - previous.startedAt);
    try {
      await this.deps.runtime.startContainer(id);
    } catch (err) {
      reasons.set(c.name, { reason: "RunContainerError", message: messageOf(err) });
      this.deps.event(pod, "Warning", "Failed", `Error: ${messageOf(err)}`);
      return 10_000;
    }
    reasons.delete(c.name);
    this.deps.event(pod, "Normal", "Started", `Started container ${c.name}`);
    if (c.lifecycle?.postStart) {
      const r = await this.deps.hooks.postStart(pod, c, id, podIPs[0]);
      if (!r.ok) {
        this.deps.event(pod, "Warning", "FailedPostStartHook", r.output);
        const grace = pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
        await this.ignoreNotFound(this.deps.runtime.stopContainer(id, grace));
        reasons.set(c.name, { reason: "PostStartHookError", message: r.output });
      }
    }
    return undefined;
  }

  /** Runs preStop (within the grace period), then stops the container. */
  async killContainer(
    pod: Pod | undefined,
    c: RuntimeContainer,
    graceSeconds: number,
    message: string | undefined,
    podIP: string | undefined,
  ): Promise<void> {
    const started = this.now();
    const spec = pod ? findContainerSpec(pod, c.name) : undefined;
    if (pod && message) this.deps.event(pod, "Normal", "Killing", message);
    if (pod && spec?.lifecycle?.preStop && c.state === "CONTAINER_RUNNING") {
      const r = await this.deps.hooks.preStop(pod, spec, c.id, podIP, graceSeconds);
      // Running out of grace is not reported as a failure (as upstream).
      if (!r.ok && !("timedOut" in r && r.timedOut))
        this.deps.event(pod, "Warning", "FailedPreStopHook", r.output);
    }
    const left = Math.max(2, Math.ceil(graceSeconds - (this.now() - started) / 1000));
    await this.ignoreNotFound(this.deps.runtime.stopContainer(c.id, graceSeconds === 0 ? 0 : left));
  }

  /**
   * Keeps the newest two instances of each container (the current one and
   * the previous, for `kubectl logs --previous`) and the newest sandbox.
   */
  private async garbageCollect(runtime: RuntimePod): Promise<void> {
    const seen = new Map<string, number>();
    const inUse = new Set<string>();
    for (const c of runtime.containers) {
      const n = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, n);
      if (n > 2 && c.state === "CONTAINER_EXITED")
        await this.ignoreNotFound(this.deps.runtime.removeContainer(c.id));
      else inUse.add(c.sandboxId);
    }
    // Older dead sandboxes go once no kept container lives in them.
    for (const s of runtime.sandboxes.slice(1)) {
      if (s.state === "SANDBOX_NOTREADY" && !inUse.has(s.id))
        await this.ignoreNotFound(this.deps.runtime.removePodSandbox(s.id));
    }
  }

  private async ignoreNotFound(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (err) {
      if (!(err instanceof CriNotFoundError)) throw err;
    }
  }
}

/** Go's duration format for whole seconds: 10s, 1m20s, 5m0s. */
export function formatDelay(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}
