/**
 * One worker per pod: syncs of the same pod never overlap, and requests
 * that arrive while a sync runs collapse into one more sync afterwards
 * (upstream's podWorkers). Different pods sync concurrently, up to a limit,
 * so one slow pod (a long image pull) never holds up the others for long.
 */
export type SyncFn = (uid: string) => Promise<void>;

interface Worker {
  running: boolean;
  pending: boolean;
  timer: NodeJS.Timeout | undefined;
  timerAt: number;
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private stopped = false;
  private idle: (() => void)[] = [];
  /** Consecutive failed syncs per pod: a failed sync is retried after 1 s, doubling to 30 s. */
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly sync: SyncFn,
    private readonly opts: {
      concurrency?: number;
      onError?: (uid: string, err: unknown) => void;
    } = {},
  ) {}

  /** Asks for a sync of the pod now, or after delayMs (the earliest request wins). */
  enqueue(uid: string, delayMs = 0): void {
    if (this.stopped) return;
    let w = this.workers.get(uid);
    if (!w) {
      w = { running: false, pending: false, timer: undefined, timerAt: 0 };
      this.workers.set(uid, w);
    }
    if (delayMs > 0) {
      const at = Date.now() + delayMs;
      if (w.timer && w.timerAt <= at) return;
      if (w.timer) clearTimeout(w.timer);
      const worker = w;
      w.timerAt = at;
      w.timer = setTimeout(() => {
        worker.timer = undefined;
        this.enqueue(uid);
      }, delayMs);
      w.timer.unref?.();
      return;
    }
    w.pending = true;
    if (!w.running) void this.run(uid, w);
  }

  /** Stops tracking a pod once it is gone for good. */
  forget(uid: string): void {
    this.failures.delete(uid);
    const w = this.workers.get(uid);
    if (!w) return;
    if (w.timer) clearTimeout(w.timer);
    if (!w.running) this.workers.delete(uid);
  }

  has(uid: string): boolean {
    return this.workers.has(uid);
  }

  private async run(uid: string, w: Worker): Promise<void> {
    w.running = true;
    try {
      while (w.pending && !this.stopped) {
        w.pending = false;
        await this.acquire();
        try {
          await this.sync(uid);
          this.failures.delete(uid);
        } catch (err) {
          this.opts.onError?.(uid, err);
          const n = (this.failures.get(uid) ?? 0) + 1;
          this.failures.set(uid, n);
          this.enqueue(uid, Math.min(1000 * 2 ** (n - 1), 30_000));
        } finally {
          this.release();
        }
      }
    } finally {
      w.running = false;
      if (!w.pending && !w.timer && this.workers.get(uid) === w && this.stopped)
        this.workers.delete(uid);
      if (![...this.workers.values()].some((x) => x.running)) {
        const idle = this.idle;
        this.idle = [];
        for (const f of idle) f();
      }
    }
  }

  private acquire(): Promise<void> {
    const limit = this.opts.concurrency ?? 16;
    if (this.active < limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push(() => {
        this.active++;
        resolve();
      });
    });
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }

  /** Stops taking work and waits for running syncs to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.workers.values()) if (w.timer) clearTimeout(w.timer);
    if ([...this.workers.values()].some((w) => w.running))
      await new Promise<void>((resolve) => this.idle.push(resolve));
    this.workers.clear();
  }
}
