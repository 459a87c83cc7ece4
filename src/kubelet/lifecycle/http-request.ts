/**
 * The kubelet's HTTP GET for probes and hooks, with upstream's client rules:
 * no keep-alive, no proxy, no compression, no certificate verification,
 * redirects followed only while they stay on the original host (at most 10),
 * one deadline over the whole exchange, and at most 10 KiB of body read.
 * Errors read like Go's (`Get "http://…": dial tcp …: connect: connection
 * refused`), since they end up in events users know.
 */
import * as http from "node:http";
import * as https from "node:https";
import { MAX_OUTPUT_BYTES } from "./action-result.js";

export type HttpHeaders = Record<string, string | string[]>;

export interface HttpGetOptions {
  headers: HttpHeaders;
  /** Whole-exchange deadline in milliseconds; absent or 0 means none. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type HttpOutcome =
  | { kind: "response"; status: number; body: string; url: URL }
  | { kind: "error"; message: string; code?: string };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

/** GET `url`, following same-host redirects (Go's http.Client with upstream's RedirectChecker(false)). */
export async function httpGet(url: URL, options: HttpGetOptions): Promise<HttpOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) controller.abort();
  const timer =
    options.timeoutMs !== undefined && options.timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, options.timeoutMs)
      : undefined;
  const original = url;
  let current = url;
  let headers = options.headers;
  try {
    for (let redirects = 0; ; redirects++) {
      const got = await getOnce(current, headers, controller.signal);
      if ("error" in got) {
        const reason = timedOut
          ? "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
          : controller.signal.aborted
            ? "context canceled"
            : got.error;
        return {
          kind: "error",
          message: `Get ${JSON.stringify(current.href)}: ${reason}`,
          ...code(got),
        };
      }
      const location = got.location;
      if (!REDIRECTS.has(got.status) || location === undefined) {
        return { kind: "response", status: got.status, body: got.body, url: current };
      }
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        return {
          kind: "error",
          message: `Get ${JSON.stringify(current.href)}: failed to parse Location header ${JSON.stringify(location)}`,
        };
      }
      // A redirect to another host ends the chain; the 3xx is the answer.
      if (next.hostname !== original.hostname) {
        return { kind: "response", status: got.status, body: got.body, url: current };
      }
      if (redirects + 1 >= MAX_REDIRECTS) {
        return {
          kind: "error",
          message: `Get ${JSON.stringify(next.href)}: stopped after ${MAX_REDIRECTS} redirects`,
        };
      }
      // Go keeps a custom Host header only through relative redirects.
      if (isAbsolute(location)) headers = withoutHost(headers);
      current = next;
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

function code(got: { code?: string }): { code?: string } {
  return got.code === undefined ? {} : { code: got.code };
}

function isAbsolute(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(location);
}

function withoutHost(headers: HttpHeaders): HttpHeaders {
  const out: HttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== "host") out[name] = value;
  }
  return out;
}

interface Got {
  status: number;
  body: string;
  location?: string;
}

function getOnce(
  url: URL,
  headers: HttpHeaders,
  signal: AbortSignal,
): Promise<Got | { error: string; code?: string }> {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    const scheme = url.protocol.slice(0, -1);
    return Promise.resolve({ error: `unsupported protocol scheme ${JSON.stringify(scheme)}` });
  }
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: Got | { error: string; code?: string }) => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    const options: https.RequestOptions = {
      method: "GET",
      headers,
      agent: false,
      signal,
      rejectUnauthorized: false,
    };
    const request = (url.protocol === "https:" ? https : http).request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        if (signal.aborted && !res.complete && size < MAX_OUTPUT_BYTES) {
          done({
            error:
              "context deadline exceeded (Client.Timeout or context cancellation while reading body)",
          });
          return;
        }
        const location = res.headers.location;
        done({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          ...(location === undefined ? {} : { location }),
        });
      };
      res.on("data", (chunk: Buffer) => {
        if (size >= MAX_OUTPUT_BYTES) return;
        const room = MAX_OUTPUT_BYTES - size;
        const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
        chunks.push(kept);
        size += kept.length;
        if (size >= MAX_OUTPUT_BYTES) {
          // Upstream stops reading at 10 KiB and closes the connection.
          finish();
          res.destroy();
        }
      });
      res.on("end", finish);
      res.on("close", finish);
      res.on("error", finish);
    });
    request.on("error", (err: NodeJS.ErrnoException) => {
      done({ error: describe(err, url), ...(err.code === undefined ? {} : { code: err.code }) });
    });
    request.end();
  });
}

/** Go's wording for the common dial errors. */
function describe(err: NodeJS.ErrnoException, url: URL): string {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  const dial = `dial tcp ${url.hostname}:${port}`;
  switch (err.code) {
    case "ECONNREFUSED":
      return `${dial}: connect: connection refused`;
    case "EHOSTUNREACH":
      return `${dial}: connect: no route to host`;
    case "ENETUNREACH":
      return `${dial}: connect: network is unreachable`;
    case "ECONNRESET":
      return "read: connection reset by peer";
    case "ENOTFOUND":
      return `dial tcp: lookup ${url.hostname}: no such host`;
    default:
      return err.message;
  }
}
