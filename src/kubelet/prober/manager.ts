/**
 * The kubelet's probe manager: a worker per (container, probe kind) of each
 * pod, fed by the pod worker after every sync, answering readiness, started
 * and liveness for the pod worker and the status manager.
 */
import type { Container, Pod, Probe } from "kubernetes-types/core/v1.js";
import { type Clock, realClock } from "../../client/util/clock.js";
import type { RuntimeService } from "../../runtime/cri.js";
import { type ProbeOutcome, runProbe } from "./run-probe.js";
import { probeOf } from "./settings.js";
import type { ContainerState, ProbeEvent, ProbeKind, ProbeResult } from "./types.js";
import { ProbeWorker, type WorkerHost } from "./worker.js";

export interface ProbeManagerOptions {
  runtime: RuntimeService;
  /** Schedules probes and reads the time `startedAt` is compared with (default the real clock). */
  clock?: Clock;
  /** A probe result of the pod changed: re-sync it. */
  onChange: (podUid: string) => void;
  onEvent?: (e: ProbeEvent) => void;
  /** Multiplies every probe duration (period, delay, timeout); tests use e.g. 0.01. Default 1. */
  timeScale?: number;
}

const KINDS: readonly ProbeKind[] = ["startup", "liveness", "readiness"];

interface PodEntry {
  /** `<container>/<kind>` → worker. */
  workers: Map<string, ProbeWorker>;
  /** The containers as last reported, by name. */
  states: Map<string, ContainerState>;
}

export class ProbeManager {
  readonly #runtime: RuntimeService;
  readonly #onChange: (podUid: string) => void;
  readonly #onEvent: ((e: ProbeEvent) => void) | undefined;
  readonly #host: WorkerHost;
  readonly #pods = new Map<string, PodEntry>();
  /** Workers being stopped, awaited by stop(). */
  readonly #stopping = new Set<Promise<void>>();
  #stopped = false;

  constructor(opts: ProbeManagerOptions) {
    this.#runtime = opts.runtime;
    this.#onChange = opts.onChange;
    this.#onEvent = opts.onEvent;
    this.#host = {
      clock: opts.clock ?? realClock,
      timeScale: opts.timeScale ?? 1,
      probe: (worker, probe, timeoutSeconds, signal) =>
        this.#probe(worker, probe, timeoutSeconds, signal),
      started: (worker) => this.#started(podUid(worker.pod), worker.containerName),
      changed: (worker) => this.#changed(worker),
      event: (worker, reason, message) =>
        this.#onEvent?.({
          pod: worker.pod,
          container: worker.containerName,
          kind: worker.kind,
          type: "Warning",
          reason,
          message,
        }),
    };
  }

  /**
   * Called by the pod worker after every sync with the pod's current
   * containers. Starts a worker per (container, probe kind) whose probe is
   * defined (regular containers and restartable init containers), keyed by
   * containerId: a new containerId (restart) resets results; a stopped
   * container's workers pause; initialDelaySeconds counts from startedAt.
   * Changes this call makes (a reset) do not fire onChange.
   */
  update(
    pod: Pod,
    podIP: string | undefined,
    containers: ReadonlyArray<{
      name: string;
      containerId: string;
      startedAt: number /* ms epoch */;
      running: boolean;
    }>,
  ): void {
    if (this.#stopped) return;
    const uid = podUid(pod);
    let entry = this.#pods.get(uid);
    if (entry === undefined) {
      entry = { workers: new Map(), states: new Map() };
      this.#pods.set(uid, entry);
    }
    entry.states = new Map(containers.map((c) => [c.name, { ...c }]));
    const wanted = new Set<string>();
    for (const container of probedContainers(pod)) {
      for (const kind of KINDS) {
        const probe = probeOf(container, kind);
        if (probe === undefined) continue;
        const key = `${container.name}/${kind}`;
        wanted.add(key);
        let worker = entry.workers.get(key);
        if (worker === undefined) {
          worker = new ProbeWorker(this.#host, kind, pod, container, probe);
          entry.workers.set(key, worker);
        }
        worker.observe(pod, container, podIP, entry.states.get(container.name));
      }
    }
    for (const [key, worker] of entry.workers) {
      if (!wanted.has(key)) {
        entry.workers.delete(key);
        this.#stopWorker(worker);
      }
    }
  }

  /** Forgets the pod and stops its workers. */
  removePod(podUid: string): void {
    const entry = this.#pods.get(podUid);
    if (entry === undefined) return;
    this.#pods.delete(podUid);
    for (const worker of entry.workers.values()) this.#stopWorker(worker);
  }

  /**
   * Readiness for the current container: with no readiness probe →
   * undefined (caller treats running as ready); else false until
   * successThreshold successes, false after failureThreshold failures; false
   * while startup has not yet succeeded, and while the container is not running.
   */
  ready(podUid: string, containerName: string): boolean | undefined {
    const worker = this.#worker(podUid, containerName, "readiness");
    if (worker === undefined) return undefined;
    const state = this.#pods.get(podUid)?.states.get(containerName);
    if (state === undefined || !state.running || worker.containerId !== state.containerId) {
      return false;
    }
    return this.#started(podUid, containerName) && worker.result === "success";
  }

  /**
   * Whether the container has started, as upstream's status: false while it
   * is not running; true when there is no startup probe, else once the
   * startup probe succeeded for this containerId.
   */
  started(podUid: string, containerName: string): boolean {
    const state = this.#pods.get(podUid)?.states.get(containerName);
    if (state !== undefined && !state.running) return false;
    return this.#started(podUid, containerName);
  }

  /**
   * "failure" once liveness (or startup) reached failureThreshold for the
   * current containerId, so the pod worker must kill & restart it;
   * "unknown" when the container is not known or not running; else "success".
   */
  liveness(podUid: string, containerName: string): ProbeResult {
    const state = this.#pods.get(podUid)?.states.get(containerName);
    if (state === undefined || !state.running) return "unknown";
    return this.failedProbe(podUid, containerName) === undefined ? "success" : "failure";
  }

  /**
   * Which probe condemned the running container, if any: for the pod
   * worker's "Container c failed liveness probe, will be restarted".
   */
  failedProbe(podUid: string, containerName: string): "liveness" | "startup" | undefined {
    const state = this.#pods.get(podUid)?.states.get(containerName);
    if (state === undefined) return undefined;
    for (const kind of ["liveness", "startup"] as const) {
      const worker = this.#worker(podUid, containerName, kind);
      if (worker?.containerId === state.containerId && worker.result === "failure") return kind;
    }
    return undefined;
  }

  /** Stops every worker; resolves once no probe is under way and no timer is left. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const uid of [...this.#pods.keys()]) this.removePod(uid);
    while (this.#stopping.size > 0) await Promise.all([...this.#stopping]);
  }

  #worker(uid: string, containerName: string, kind: ProbeKind): ProbeWorker | undefined {
    return this.#pods.get(uid)?.workers.get(`${containerName}/${kind}`);
  }

  #started(uid: string, containerName: string): boolean {
    const worker = this.#worker(uid, containerName, "startup");
    if (worker === undefined) return true;
    const state = this.#pods.get(uid)?.states.get(containerName);
    return (
      state !== undefined && worker.containerId === state.containerId && worker.result === "success"
    );
  }

  #changed(worker: ProbeWorker): void {
    const uid = podUid(worker.pod);
    if (worker.kind === "startup" && worker.result === "success") {
      // Upstream's status update right after startup triggers a readiness probe at once.
      this.#worker(uid, worker.containerName, "readiness")?.trigger();
    }
    try {
      this.#onChange(uid);
    } catch {
      // The pod worker's trouble, not the prober's.
    }
  }

  #probe(
    worker: ProbeWorker,
    probe: Probe,
    timeoutSeconds: number,
    signal: AbortSignal,
  ): Promise<ProbeOutcome> {
    const containerId = worker.containerId;
    if (containerId === undefined) {
      return Promise.resolve({ result: "error", error: "no container to probe" });
    }
    return runProbe(
      this.#runtime,
      probe,
      { pod: worker.pod, container: worker.container, containerId, podIP: worker.podIP },
      timeoutSeconds,
      signal,
    );
  }

  #stopWorker(worker: ProbeWorker): void {
    const stopping = worker.stop().finally(() => this.#stopping.delete(stopping));
    this.#stopping.add(stopping);
  }
}

function podUid(pod: Pod): string {
  const uid = pod.metadata?.uid;
  if (!uid) throw new Error(`pod ${pod.metadata?.namespace}/${pod.metadata?.name} has no uid`);
  return uid;
}

/** Containers that can have probes: regular ones and sidecars (init containers restartPolicy Always). */
function probedContainers(pod: Pod): Container[] {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always");
  return [...sidecars, ...(pod.spec?.containers ?? [])];
}
