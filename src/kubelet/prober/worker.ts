/**
 * One probe of one container (upstream's prober worker): probes every
 * period, counts consecutive results against the thresholds, and keeps the
 * cached result for the container it currently follows. A new container ID
 * (a restart) resets everything; a stopped container pauses it; a liveness
 * or startup failure puts it on hold until the container is replaced.
 */
import type { Container, Pod, Probe } from "kubernetes-types/core/v1.js";
import type { Clock } from "../../client/util/clock.js";
import type { ProbeOutcome } from "./run-probe.js";
import { type ProbeSettings, probeOf, probeSettings } from "./settings.js";
import {
  type ContainerState,
  kindTitle,
  type ProbeEvent,
  type ProbeKind,
  type ProbeResult,
} from "./types.js";

/** What a worker needs from its manager. */
export interface WorkerHost {
  readonly clock: Clock;
  readonly timeScale: number;
  /** Runs one attempt of `probe` against the worker's container. */
  probe(
    worker: ProbeWorker,
    probe: Probe,
    timeoutSeconds: number,
    signal: AbortSignal,
  ): Promise<ProbeOutcome>;
  /** Whether the worker's container passed its startup probe, or has none. */
  started(worker: ProbeWorker): boolean;
  /** The worker's cached result changed (called after probing, never from observe()). */
  changed(worker: ProbeWorker): void;
  event(worker: ProbeWorker, reason: ProbeEvent["reason"], message: string): void;
}

/** The result a new container starts with, before any probe ran (as upstream). */
const INITIAL: Record<ProbeKind, ProbeResult> = {
  readiness: "failure",
  liveness: "success",
  startup: "unknown",
};

export class ProbeWorker {
  readonly #host: WorkerHost;
  readonly kind: ProbeKind;
  readonly containerName: string;
  #pod: Pod;
  #container: Container;
  #podIP: string | undefined;
  #probe: Probe;
  #settings: ProbeSettings;

  #containerId: string | undefined;
  #startedAt = 0;
  #running = false;
  #result: ProbeResult = "unknown";
  #lastResult: "success" | "failure" | undefined;
  #resultRun = 0;
  /** A liveness or startup failure was recorded: wait for a new container. */
  #onHold = false;
  /** The pod is being deleted: liveness and startup report success and stop. */
  #quiet = false;

  #cancelTimer: (() => void) | undefined;
  #attempt: AbortController | undefined;
  #inFlight: Promise<void> | undefined;
  /** Bumped whenever results of attempts under way must be thrown away. */
  #generation = 0;
  #rerun = false;
  #stopped = false;

  constructor(host: WorkerHost, kind: ProbeKind, pod: Pod, container: Container, probe: Probe) {
    this.#host = host;
    this.kind = kind;
    this.containerName = container.name;
    this.#pod = pod;
    this.#container = container;
    this.#probe = probe;
    this.#settings = probeSettings(probe, kind, host.timeScale);
  }

  get pod(): Pod {
    return this.#pod;
  }
  get container(): Container {
    return this.#container;
  }
  get podIP(): string | undefined {
    return this.#podIP;
  }
  get containerId(): string | undefined {
    return this.#containerId;
  }
  get running(): boolean {
    return this.#running;
  }
  /** The cached result for the current container ID. */
  get result(): ProbeResult {
    return this.#result;
  }

  /** Takes the pod's current state of the container (absent: not created, or gone). */
  observe(
    pod: Pod,
    container: Container,
    podIP: string | undefined,
    state: ContainerState | undefined,
  ): void {
    if (this.#stopped) return;
    this.#pod = pod;
    this.#container = container;
    this.#podIP = podIP;
    const probe = probeOf(container, this.kind);
    if (probe !== undefined && probe !== this.#probe) {
      this.#probe = probe;
      this.#settings = probeSettings(probe, this.kind, this.#host.timeScale);
    }
    if (state === undefined) {
      this.#pause();
      this.#running = false;
      return;
    }
    if (state.containerId !== this.#containerId) {
      this.#pause();
      this.#containerId = state.containerId;
      this.#result = INITIAL[this.kind];
      this.#lastResult = undefined;
      this.#resultRun = 0;
      this.#onHold = false;
      this.#quiet = false;
    }
    this.#startedAt = state.startedAt;
    this.#running = state.running;
    if (!state.running) {
      this.#pause();
      if (this.kind === "readiness") this.#result = "failure";
      return;
    }
    if (pod.metadata?.deletionTimestamp && this.kind !== "readiness") {
      // Graceful deletion: stop probing and report success so nothing restarts the container.
      if (!this.#quiet) {
        this.#pause();
        this.#quiet = true;
        this.#result = "success";
      }
      return;
    }
    if (this.#canProbe() && this.#cancelTimer === undefined && this.#inFlight === undefined) {
      this.#schedule(this.#untilInitialDelay());
    }
  }

  /** Probes now (or right after the attempt under way), e.g. readiness once startup succeeded. */
  trigger(): void {
    if (!this.#canProbe()) return;
    if (this.#inFlight !== undefined) {
      this.#rerun = true;
      return;
    }
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#tick();
  }

  /** Stops for good; resolves once an attempt under way has returned. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#pause();
    await this.#inFlight;
  }

  #canProbe(): boolean {
    return (
      !this.#stopped &&
      this.#running &&
      !this.#onHold &&
      !this.#quiet &&
      !(this.kind === "startup" && this.#result === "success")
    );
  }

  #untilInitialDelay(): number {
    return Math.max(0, this.#startedAt + this.#settings.initialDelayMs - this.#host.clock.now());
  }

  #pause(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#attempt?.abort();
    this.#attempt = undefined;
    this.#generation++;
    this.#rerun = false;
  }

  #schedule(ms: number): void {
    this.#cancelTimer?.();
    this.#cancelTimer = this.#host.clock.setTimeout(() => {
      this.#cancelTimer = undefined;
      this.#tick();
    }, ms);
  }

  #tick(): void {
    if (!this.#canProbe()) return;
    const wait = this.#untilInitialDelay();
    if (wait > 0) {
      this.#schedule(wait);
      return;
    }
    // Liveness and readiness wait for the startup probe (upstream: container not yet Started).
    if (this.kind !== "startup" && !this.#host.started(this)) {
      this.#schedule(this.#settings.periodMs);
      return;
    }
    const generation = this.#generation;
    const began = this.#host.clock.now();
    const controller = new AbortController();
    this.#attempt = controller;
    this.#inFlight = this.#probeOnce(generation, controller.signal)
      .catch(() => {})
      .finally(() => {
        this.#inFlight = undefined;
        if (this.#attempt === controller) this.#attempt = undefined;
        if (!this.#canProbe() || this.#cancelTimer !== undefined) return;
        if (generation !== this.#generation) {
          this.#schedule(this.#untilInitialDelay());
        } else if (this.#rerun) {
          this.#rerun = false;
          this.#schedule(0);
        } else {
          this.#schedule(Math.max(0, began + this.#settings.periodMs - this.#host.clock.now()));
        }
      });
  }

  async #probeOnce(generation: number, signal: AbortSignal): Promise<void> {
    const outcome = await this.#host.probe(
      this,
      this.#probe,
      this.#settings.timeoutSeconds,
      signal,
    );
    if (generation !== this.#generation || this.#stopped) return;
    const title = kindTitle(this.kind);
    if (outcome.result === "error") {
      // Upstream throws an errored attempt away after telling the user.
      this.#host.event(
        this,
        "Unhealthy",
        `${title} probe errored and resulted in unknown state: ${outcome.error}`,
      );
      return;
    }
    if (outcome.result === "failure") {
      this.#host.event(this, "Unhealthy", `${title} probe failed: ${outcome.output}`);
    } else if (outcome.result === "warning") {
      this.#host.event(this, "ProbeWarning", `${title} probe warning: ${outcome.output}`);
    }
    const result = outcome.result === "failure" ? "failure" : "success";
    if (result === this.#lastResult) {
      this.#resultRun++;
    } else {
      this.#lastResult = result;
      this.#resultRun = 1;
    }
    const threshold =
      result === "failure" ? this.#settings.failureThreshold : this.#settings.successThreshold;
    if (this.#resultRun < threshold) return;
    if ((this.kind === "liveness" || this.kind === "startup") && result === "failure") {
      // The container will be restarted: probe no more until a new container ID shows up.
      this.#onHold = true;
      this.#resultRun = 0;
    }
    if (this.#result !== result) {
      this.#result = result;
      this.#host.changed(this);
    }
  }
}
