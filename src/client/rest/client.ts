import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { Agent, request as httpsRequest } from "node:https";
import { type Clock, realClock } from "../util/clock.js";
import { BucketRateLimiter } from "../workqueue/rate-limiters.js";
import type { ClientConfig } from "./config.js";
import { type StatusBody, StatusError, statusError } from "./errors.js";

export interface RequestOptions {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** Default application/json; patches name their patch type. */
  readonly contentType?: string;
  /** Default application/json (a Table: `application/json;as=Table;v=v1;g=meta.k8s.io`). */
  readonly accept?: string;
  readonly signal?: AbortSignal;
}

export interface WatchEvent<T> {
  readonly type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";
  readonly object: T;
}

/** A connection-level failure (refused, reset, timed out): the request may be retried. */
export class TransportError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TransportError";
  }
}

const RETRIES = 5;
/** Requests safe to repeat after a transport error that may have happened after sending (upstream retries only GET). */
const IDEMPOTENT = new Set(["GET"]);
const REQUEST_TIMEOUT_MS = 60_000;
/** Watches see bookmarks at least every minute; more than twice that without a byte means the peer is gone. */
const WATCH_IDLE_MS = 150_000;
/** Errors that mean the request never reached the server's handler. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function queryString(q: RequestOptions["query"]): string {
  if (!q) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== "") params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : "";
}

/**
 * HTTPS client for the Kubernetes API: client-certificate or bearer-token
 * authentication, a keep-alive connection pool, a client-side token bucket
 * (qps/burst), retries with backoff when the request did not get through
 * (connection refused) or the server asked to come back (429/503 with
 * Retry-After), and Status failures as typed errors.
 */
export class RestClient {
  private readonly agent: Agent;
  /** Watches hold their connection for minutes: they get their own pool so they never starve requests. */
  private readonly watchAgent: Agent;
  private readonly url: URL;
  private readonly limiter: BucketRateLimiter;
  private readonly clock: Clock;

  constructor(
    readonly config: ClientConfig,
    opts: { clock?: Clock } = {},
  ) {
    this.url = new URL(config.server);
    this.clock = opts.clock ?? realClock;
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: 64,
      ...(config.ca ? { ca: config.ca } : {}),
      ...(config.cert ? { cert: config.cert } : {}),
      ...(config.key ? { key: config.key } : {}),
      rejectUnauthorized: !config.insecureSkipTLSVerify,
    });
    this.watchAgent = new Agent({
      keepAlive: false,
      maxSockets: Number.POSITIVE_INFINITY,
      ...(config.ca ? { ca: config.ca } : {}),
      ...(config.cert ? { cert: config.cert } : {}),
      ...(config.key ? { key: config.key } : {}),
      rejectUnauthorized: !config.insecureSkipTLSVerify,
    });
    this.limiter = new BucketRateLimiter({
      qps: config.qps ?? 50,
      burst: config.burst ?? 100,
      clock: this.clock,
    });
  }

  /** A JSON request; the decoded body, or a typed StatusError. */
  async request<T = unknown>(opts: RequestOptions): Promise<T> {
    const res = await this.send(opts);
    const text = await readAll(res);
    if ((res.statusCode ?? 0) >= 400) throw this.failure(res, text);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  /** A request whose answer is text (pods/log); a typed StatusError when it fails. */
  async requestText(opts: RequestOptions): Promise<string> {
    const res = await this.send({ accept: "text/plain, */*", ...opts });
    const text = await readAll(res);
    if ((res.statusCode ?? 0) >= 400) throw this.failure(res, text);
    return text;
  }

  /**
   * Opens a watch (`watch=1` is added) and yields its events until the
   * server ends it or `signal` aborts; an ERROR event is thrown as a
   * StatusError (GoneError for 410).
   */
  async *watch<T>(opts: Omit<RequestOptions, "method" | "body">): AsyncGenerator<WatchEvent<T>> {
    const res = await this.send(
      {
        ...opts,
        method: "GET",
        query: { ...(opts.query ?? {}), watch: 1 },
      },
      true,
    );
    if ((res.statusCode ?? 0) >= 400) throw this.failure(res, await readAll(res));
    // One decoder for the whole stream: a character split across chunks stays whole.
    res.setEncoding("utf8");
    // A dead peer sends nothing, not even bookmarks: give up after a long silence.
    res.socket?.setTimeout(WATCH_IDLE_MS, () =>
      res.destroy(new Error(`no data for ${WATCH_IDLE_MS} ms`)),
    );
    let buffer = "";
    try {
      for await (const chunk of res) {
        buffer += chunk as string;
        let nl = buffer.indexOf("\n");
        while (nl >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          nl = buffer.indexOf("\n");
          if (line === "") continue;
          const ev = JSON.parse(line) as { type: string; object: unknown };
          if (ev.type === "ERROR") {
            const status = ev.object as StatusBody;
            throw statusError(status.code ?? 500, status);
          }
          yield ev as WatchEvent<T>;
        }
      }
    } catch (err) {
      if (err instanceof StatusError) throw err;
      if (opts.signal?.aborted) return;
      throw new TransportError(`watch ${opts.path} broke: ${String(err)}`, { cause: err });
    } finally {
      res.destroy();
    }
  }

  private cachedToken: { value: string; at: number } | undefined;

  /** The bearer token; a token file is re-read at most once a minute, so rotation is picked up. */
  private token(): string | undefined {
    const file = this.config.tokenFile;
    if (!file) return this.config.token;
    const now = this.clock.now();
    if (!this.cachedToken || now - this.cachedToken.at > 60_000) {
      try {
        this.cachedToken = { value: readFileSync(file, "utf8").trim(), at: now };
      } catch {
        // Keep the last token we read; the file may be mid-rotation.
        if (!this.cachedToken) return this.config.token;
      }
    }
    return this.cachedToken?.value ?? this.config.token;
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }

  private failure(res: IncomingMessage, text: string): StatusError {
    const code = res.statusCode ?? 500;
    let status: StatusBody;
    try {
      status = JSON.parse(text) as StatusBody;
    } catch {
      status = { message: text || `HTTP ${code}`, code };
    }
    return statusError(code, status);
  }

  private async send(opts: RequestOptions, watch = false): Promise<IncomingMessage> {
    let delay = 100;
    for (let attempt = 0; ; attempt++) {
      await this.throttle();
      try {
        const res = await this.once(opts, watch);
        const code = res.statusCode ?? 0;
        const retryAfter = Number(res.headers["retry-after"] ?? Number.NaN);
        if ((code === 429 || code === 503) && !Number.isNaN(retryAfter) && attempt < RETRIES) {
          res.resume();
          await this.sleep(Math.min(retryAfter * 1000, 10_000), opts.signal);
          continue;
        }
        return res;
      } catch (err) {
        const code = (err as { code?: string }).code ?? "";
        const retriable =
          NOT_SENT.has(code) || (IDEMPOTENT.has(opts.method) && !opts.signal?.aborted);
        if (!retriable || attempt >= RETRIES || opts.signal?.aborted) {
          throw new TransportError(`${opts.method} ${opts.path}: ${String(err)}`, { cause: err });
        }
        await this.sleep(delay, opts.signal);
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  private async throttle(): Promise<void> {
    const wait = this.limiter.when("");
    if (wait > 0) await this.sleep(wait);
  }

  private sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      // The listener goes when the sleep ends: signals live as long as an informer,
      // and a retry loop must not pile listeners on them.
      const onAbort = () => {
        cancel();
        resolve();
      };
      const cancel = this.clock.setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private once(opts: RequestOptions, watch: boolean): Promise<IncomingMessage> {
    const payload =
      opts.body === undefined
        ? undefined
        : typeof opts.body === "string"
          ? opts.body
          : JSON.stringify(opts.body);
    const headers: Record<string, string | number> = {
      accept: opts.accept ?? "application/json",
      "user-agent": this.config.userAgent ?? "k8ts",
    };
    if (payload !== undefined) {
      headers["content-type"] = opts.contentType ?? "application/json";
      headers["content-length"] = Buffer.byteLength(payload);
    }
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          host: this.url.hostname.replace(/^\[|\]$/g, ""),
          port: this.url.port || 443,
          method: opts.method,
          path: `${opts.path}${queryString(opts.query)}`,
          agent: watch ? this.watchAgent : this.agent,
          headers,
          ...(opts.signal ? { signal: opts.signal } : {}),
        },
        resolve,
      );
      req.on("error", reject);
      // Requests (not watches) that get no answer in time fail instead of hanging.
      if (!watch) {
        req.setTimeout(REQUEST_TIMEOUT_MS, () =>
          req.destroy(new Error(`no response in ${REQUEST_TIMEOUT_MS} ms`)),
        );
      }
      req.end(payload);
    });
  }
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
