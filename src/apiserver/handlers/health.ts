/**
 * /healthz, /livez and /readyz as upstream's generic API server answers
 * them: named checks run in order; `?verbose` lists them (`[+]etcd ok`,
 * `[-]etcd failed: reason withheld`), `?exclude=NAME` skips one
 * (`[+]NAME excluded: ok`), and `/readyz/NAME` runs one check alone. A
 * failure is always listed, with status 500; the reason only appears when
 * one check is asked for by name (the aggregate endpoints are public).
 */

/** A named check; it throws (or rejects) with the reason when unhealthy. */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<void>;
}

export type HealthEndpoint = "healthz" | "livez" | "readyz";

export interface HealthAnswer {
  readonly status: number;
  readonly body: string;
}

/** Why a check failed, as text. */
function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The answer to `/<endpoint><subpath>?<query>`; undefined when `subpath`
 * names no check (the caller answers 404).
 */
export async function answerHealth(
  endpoint: HealthEndpoint,
  request: {
    readonly checks: readonly HealthCheck[];
    /** What follows the endpoint in the path: "" or "/NAME" (NAME may contain "/"). */
    readonly subpath: string;
    readonly query: URLSearchParams;
  },
): Promise<HealthAnswer | undefined> {
  const { checks, subpath, query } = request;
  if (subpath !== "") {
    const one = checks.find((c) => `/${c.name}` === subpath);
    if (!one) return undefined;
    try {
      await one.check();
      return { status: 200, body: "ok" };
    } catch (err) {
      return { status: 500, body: `internal server error: ${reason(err)}\n` };
    }
  }
  const excluded = new Set(query.getAll("exclude"));
  const lines: string[] = [];
  let failed = false;
  for (const c of checks) {
    if (excluded.delete(c.name)) {
      lines.push(`[+]${c.name} excluded: ok`);
      continue;
    }
    try {
      await c.check();
      lines.push(`[+]${c.name} ok`);
    } catch {
      failed = true;
      lines.push(`[-]${c.name} failed: reason withheld`);
    }
  }
  if (excluded.size > 0) {
    const names = [...excluded].sort().map((n) => JSON.stringify(n));
    lines.push(`warn: some health checks cannot be excluded: no matches for ${names.join(",")}`);
  }
  // Upstream is always verbose on failure.
  if (failed) return { status: 500, body: `${lines.join("\n")}\n${endpoint} check failed\n` };
  if (!query.has("verbose")) return { status: 200, body: "ok" };
  return { status: 200, body: `${lines.join("\n")}\n${endpoint} check passed\n` };
}

/**
 * Post-start hooks: named steps after the server starts listening
 * (bootstrap objects); each is a `poststarthook/NAME` check that fails
 * until the step is marked done.
 */
export class PostStartHooks {
  private readonly pending: Set<string>;

  constructor(private readonly names: readonly string[]) {
    this.pending = new Set(names);
  }

  done(name: string): void {
    if (!this.names.includes(name)) throw new Error(`unknown post-start hook ${name}`);
    this.pending.delete(name);
  }

  checks(): HealthCheck[] {
    return this.names.map((name) => ({
      name: `poststarthook/${name}`,
      check: async () => {
        if (this.pending.has(name)) throw new Error("not finished");
      },
    }));
  }
}

/** Rejects when `work` takes longer than `ms` (a hung store must fail its check, not hang it). */
function within(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work.then(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/**
 * The API server's checks, by endpoint, as upstream names them: `ping`,
 * `etcd` (the store answers; k3s's kine names it so too), the post-start
 * hooks, and for readiness also `etcd-readiness` and `shutdown` (fails
 * once the server has begun to stop, so load balancers drain it first).
 */
export function apiServerHealthChecks(opts: {
  /** Resolves while the store answers (e.g. reading its current revision). */
  readonly storePing: () => Promise<unknown>;
  readonly hooks: PostStartHooks;
  readonly shuttingDown: () => boolean;
  /** How long the store may take to answer (default 2 s). */
  readonly storeTimeoutMs?: number;
}): Record<HealthEndpoint, HealthCheck[]> {
  const timeoutMs = opts.storeTimeoutMs ?? 2000;
  const ping: HealthCheck = { name: "ping", check: async () => {} };
  const store = (name: string): HealthCheck => ({
    name,
    check: () => within(timeoutMs, opts.storePing()),
  });
  const shutdown: HealthCheck = {
    name: "shutdown",
    check: async () => {
      if (opts.shuttingDown()) throw new Error("process is shutting down");
    },
  };
  const live = [ping, store("etcd"), ...opts.hooks.checks()];
  return {
    healthz: live,
    livez: live,
    readyz: [ping, store("etcd"), store("etcd-readiness"), ...opts.hooks.checks(), shutdown],
  };
}
