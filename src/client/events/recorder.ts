import { hostname } from "node:os";
import { isNotFound } from "../rest/errors.js";
import type { KubeObjectLike, ResourceClient } from "../rest/resource.js";
import { type Clock, realClock } from "../util/clock.js";

export interface CoreEvent extends KubeObjectLike {
  involvedObject?: ObjectReference;
  reason?: string;
  message?: string;
  type?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string;
  lastTimestamp?: string;
  count?: number;
  reportingComponent?: string;
  reportingInstance?: string;
}

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface RecorderOptions {
  /** source.component / reportingComponent, e.g. "deployment-controller". */
  readonly component: string;
  readonly host?: string;
  readonly clock?: Clock;
  /** Per involved object: how many events may be sent at once (default 25) and the refill interval (default one per 5 minutes), as client-go's spam filter. */
  readonly burst?: number;
  readonly refillMs?: number;
  /** Repeats of the same event within this window update one Event (default 10 minutes). */
  readonly aggregateWindowMs?: number;
  readonly onError?: (err: unknown) => void;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  first: string;
  at: number;
}

/** Upper bounds that keep a recorder's memory flat under an event storm (as client-go's caches). */
const MAX_PENDING = 1000;
const MAX_TRACKED = 4096;

const seconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * Records core/v1 Events about objects, as client-go's EventRecorder with
 * its correlator: the same event repeated (same object, type, reason,
 * message, source) patches one Event's count and lastTimestamp instead of
 * creating more, and a token bucket per object drops a storm. Sending is
 * asynchronous and never throws at the caller; `flush()` waits for it.
 */
export class EventRecorder {
  private readonly clock: Clock;
  private readonly seen = new Map<string, Seen>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private chain: Promise<void> = Promise.resolve();
  /** Events queued but not yet sent; beyond MAX_PENDING new ones are dropped (counted in `dropped`). */
  private pending = 0;
  private sequence = 0;
  /** Set when a flush's deadline passed: queued and later events are dropped. */
  private abandoned = false;
  dropped = 0;

  constructor(
    private readonly events: ResourceClient<CoreEvent>,
    private readonly opts: RecorderOptions,
  ) {
    this.clock = opts.clock ?? realClock;
  }

  event(
    obj: KubeObjectLike & { metadata?: { uid?: string } },
    e: { type: "Normal" | "Warning"; reason: string; message: string },
  ): void {
    const ref: ObjectReference = {
      ...(obj.kind ? { kind: obj.kind } : {}),
      ...(obj.apiVersion ? { apiVersion: obj.apiVersion } : {}),
      ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}),
      ...(obj.metadata?.name ? { name: obj.metadata.name } : {}),
      ...(obj.metadata?.uid ? { uid: String(obj.metadata.uid) } : {}),
      ...(obj.metadata?.resourceVersion ? { resourceVersion: obj.metadata.resourceVersion } : {}),
    };
    const objectId = `${ref.kind}/${ref.namespace ?? ""}/${ref.name}/${ref.uid ?? ""}`;
    if (!this.allow(objectId)) return;
    const key = `${objectId}|${e.type}|${e.reason}|${e.message}`;
    const now = this.clock.now();
    if (this.pending >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    this.pending++;
    this.chain = this.chain
      .then(() => {
        if (!this.abandoned) return this.send(key, ref, e, now);
        this.dropped++;
        return undefined;
      })
      .catch((err: unknown) => this.opts.onError?.(err))
      .finally(() => {
        this.pending--;
      });
  }

  /**
   * Resolves when every event recorded so far has been sent (or dropped).
   * With a deadline, at the latest then: what is still queued is dropped
   * (and so is everything recorded later), as upstream's broadcaster drops
   * what it has not sent when it shuts down — a stopping component must
   * not wait for a rate limiter to work through thousands of events.
   */
  async flush(deadlineMs?: number): Promise<void> {
    if (deadlineMs === undefined) return this.chain;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.abandoned = true;
        resolve();
      }, deadlineMs);
    });
    await Promise.race([this.chain, expired]);
    clearTimeout(timer);
  }

  private allow(objectId: string): boolean {
    const burst = this.opts.burst ?? 25;
    const refill = this.opts.refillMs ?? 5 * 60_000;
    const now = this.clock.now();
    if (this.buckets.size > MAX_TRACKED) {
      // Objects quiet long enough to be full again need no entry.
      for (const [id, x] of this.buckets)
        if (x.tokens + (now - x.at) / refill >= burst) this.buckets.delete(id);
    }
    const b = this.buckets.get(objectId) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + (now - b.at) / refill);
    b.at = now;
    this.buckets.set(objectId, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private async send(
    key: string,
    ref: ObjectReference,
    e: { type: string; reason: string; message: string },
    now: number,
  ): Promise<void> {
    const window = this.opts.aggregateWindowMs ?? 10 * 60_000;
    const prior = this.seen.get(key);
    if (prior && now - prior.at < window) {
      const count = prior.count + 1;
      try {
        await this.events.patch(
          prior.name,
          { count, lastTimestamp: seconds(now) },
          { namespace: prior.namespace, type: "merge" },
        );
        this.seen.set(key, { ...prior, count, at: now });
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        // The Event expired or was deleted: start a new one.
      }
    }
    const namespace = ref.namespace ?? "default";
    // Unique per recorder: time in ms plus a sequence number (never collides within a millisecond).
    const name = `${ref.name ?? "event"}.${now.toString(16)}${(this.sequence++ % 0x10000).toString(16).padStart(4, "0")}`;
    const host = this.opts.host ?? hostname();
    await this.events.create(
      {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name, namespace },
        involvedObject: ref,
        reason: e.reason,
        message: e.message,
        type: e.type,
        source: { component: this.opts.component, host },
        firstTimestamp: seconds(now),
        lastTimestamp: seconds(now),
        count: 1,
        reportingComponent: this.opts.component,
        reportingInstance: host,
      },
      { namespace },
    );
    this.seen.set(key, { name, namespace, count: 1, first: seconds(now), at: now });
    if (this.seen.size > 4096) {
      for (const [k, s] of this.seen) if (now - s.at >= window) this.seen.delete(k);
    }
  }
}

export const EVENTS = { group: "", version: "v1", resource: "events", namespaced: true } as const;
