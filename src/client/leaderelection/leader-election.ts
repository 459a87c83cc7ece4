import { hostname } from "node:os";
import { isAlreadyExists, isConflict, isNotFound } from "../rest/errors.js";
import type { KubeObjectLike, ResourceClient } from "../rest/resource.js";
import { type Clock, realClock } from "../util/clock.js";

export interface Lease extends KubeObjectLike {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

export interface LeaderElectionOptions {
  /** The Lease (coordination.k8s.io/v1) to hold. */
  readonly namespace: string;
  readonly name: string;
  /** Who we are (default `<hostname>_<random>`). */
  readonly identity?: string;
  /** How long a lease is valid after its last renewal (default 15 s). */
  readonly leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before giving up leadership (default 10 s). */
  readonly renewDeadlineMs?: number;
  /** How often to try to acquire or renew (default 2 s). */
  readonly retryPeriodMs?: number;
  /** Give the lease up at once on stop() (default true). */
  readonly releaseOnStop?: boolean;
  readonly clock?: Clock;
  readonly onStartedLeading: () => void;
  readonly onStoppedLeading: () => void;
  /** Called whenever the observed leader changes (including to us). */
  readonly onNewLeader?: (identity: string) => void;
}

/** RFC 3339 with microseconds, as metav1.MicroTime serialises. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/**
 * Leader election on a Lease, as client-go's leaderelection with a
 * LeaseLock: whoever holds an unexpired lease leads; the leader renews
 * every retry period and steps down if it cannot renew within the renew
 * deadline; others take over once the lease has not been renewed for a
 * lease duration. Expiry is judged by when *we* last saw the record change
 * (not the holder's clock), so clock skew between machines does not matter.
 */
export class LeaderElector {
  readonly identity: string;
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  private leading = false;
  private stopped = false;
  private observed: { record: string; at: number } | undefined;
  private lastHolder = "";
  private cancelTimer: (() => void) | undefined;
  private cancelDeadline: (() => void) | undefined;
  private current: Lease | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly leases: ResourceClient<Lease>,
    private readonly opts: LeaderElectionOptions,
  ) {
    this.identity = opts.identity ?? `${hostname()}_${Math.random().toString(16).slice(2, 10)}`;
    this.clock = opts.clock ?? realClock;
    this.leaseMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryMs = opts.retryPeriodMs ?? 2_000;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /**
   * Campaigns until stop(). A leader that loses the lease keeps campaigning
   * (unlike client-go's Run, which returns): callers that must not lead
   * twice should exit in onStoppedLeading.
   */
  start(): void {
    this.stopped = false;
    this.runTick();
  }

  /** Stops campaigning; a leader steps down and (by default) releases the lease at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelDeadline?.();
    // A renewal in flight may still win the lease: let it settle, then release.
    await this.inFlight;
    if (this.leading) {
      this.leading = false;
      if (this.opts.releaseOnStop ?? true) await this.release();
      this.callback(this.opts.onStoppedLeading);
    }
  }

  private runTick(): void {
    this.inFlight = this.tick().catch(() => {});
  }

  private schedule(): void {
    if (this.stopped) return;
    this.cancelTimer = this.clock.setTimeout(() => this.runTick(), this.retryMs);
  }

  /** Callbacks belong to the caller: one that throws must not stop the elector or the process. */
  private callback(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      process.emitWarning(`leader election callback failed: ${String(err)}`);
    }
  }

  /** Steps down if no renewal succeeds within the renew deadline, even while a request hangs. */
  private armDeadline(): void {
    this.cancelDeadline?.();
    this.cancelDeadline = this.clock.setTimeout(() => {
      if (this.leading && !this.stopped) {
        this.leading = false;
        this.callback(this.opts.onStoppedLeading);
      }
    }, this.renewDeadlineMs);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let ok = false;
    try {
      ok = await this.tryAcquireOrRenew();
    } catch {
      ok = false;
    }
    if (this.stopped) return;
    if (ok) {
      this.armDeadline();
      if (!this.leading) {
        this.leading = true;
        this.callback(this.opts.onStartedLeading);
      }
    }
    this.schedule();
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const leaseSeconds = Math.ceil(this.leaseMs / 1000);
    let lease: Lease;
    try {
      lease = await this.leases.get(this.opts.name, {
        namespace: this.opts.namespace,
        signal: this.deadline(),
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        this.current = await this.leases.create({
          apiVersion: "coordination.k8s.io/v1",
          kind: "Lease",
          metadata: { name: this.opts.name, namespace: this.opts.namespace },
          spec: {
            holderIdentity: this.identity,
            leaseDurationSeconds: leaseSeconds,
            acquireTime: microTime(now),
            renewTime: microTime(now),
            leaseTransitions: 0,
          },
        });
        this.noteHolder(this.identity, now);
        return true;
      } catch (e) {
        if (isAlreadyExists(e)) return false;
        throw e;
      }
    }
    const spec = lease.spec ?? {};
    const record = JSON.stringify(spec);
    if (this.observed?.record !== record) this.observed = { record, at: now };
    const holder = spec.holderIdentity ?? "";
    this.noteHolder(holder, now);
    const duration = (spec.leaseDurationSeconds ?? leaseSeconds) * 1000;
    const expired = holder === "" || now - (this.observed?.at ?? now) >= duration;
    if (holder !== this.identity && !expired) return false;
    const next: Lease = {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: this.identity,
        leaseDurationSeconds: leaseSeconds,
        renewTime: microTime(now),
        ...(holder !== this.identity
          ? { acquireTime: microTime(now), leaseTransitions: (spec.leaseTransitions ?? 0) + 1 }
          : {}),
      },
    };
    try {
      this.current = await this.leases.update(next, {
        namespace: this.opts.namespace,
        signal: this.deadline(),
      });
      this.observed = { record: JSON.stringify(this.current.spec ?? {}), at: now };
      this.noteHolder(this.identity, now);
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** Each request may take at most one retry period. */
  private deadline(): AbortSignal {
    return AbortSignal.timeout(this.retryMs);
  }

  private noteHolder(holder: string, _now: number): void {
    if (holder !== this.lastHolder) {
      this.lastHolder = holder;
      const onNew = this.opts.onNewLeader;
      if (holder && onNew) this.callback(() => onNew(holder));
    }
  }

  /** Hands the lease over at once: no holder, and a lease that expires immediately. */
  private async release(): Promise<void> {
    const lease = this.current;
    if (!lease || lease.spec?.holderIdentity !== this.identity) return;
    const now = this.clock.now();
    try {
      await this.leases.update(
        {
          ...lease,
          spec: {
            ...lease.spec,
            holderIdentity: "",
            leaseDurationSeconds: 1,
            renewTime: microTime(now),
          },
        },
        { namespace: this.opts.namespace },
      );
    } catch {
      // Someone else took it meanwhile, or the server is gone: nothing to hand over.
    }
  }
}

export const LEASES = {
  group: "coordination.k8s.io",
  version: "v1",
  resource: "leases",
  namespaced: true,
} as const;
