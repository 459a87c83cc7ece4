import {
  type Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from "node:http";
import { type Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Readable } from "node:stream";
import { RegistryError } from "./errors.js";

/** A thin HTTP/1.1 client over node:http(s), enough for the registry API. */

export interface HttpRequest {
  readonly method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A buffer, or a function opening a fresh stream (called again on retry). */
  readonly body?: Buffer | (() => Readable);
  readonly bodyLength?: number;
  /** Follow 301/302/303/307/308 for GET and HEAD (default true); Authorization is dropped on host change. */
  readonly followRedirects?: boolean;
  readonly timeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The URL that finally answered (after redirects). */
  readonly url: string;
  readonly body: IncomingMessage;
}

export interface TransportOptions {
  readonly httpsAgent?: HttpsAgent;
  readonly httpAgent?: HttpAgent;
}

function once(req: HttpRequest, transport: TransportOptions): Promise<HttpResponse> {
  const url = new URL(req.url);
  const isHttps = url.protocol === "https:";
  const send = isHttps ? httpsRequest : httpRequest;
  const headers: Record<string, string> = { "User-Agent": "k8ts", ...(req.headers ?? {}) };
  if (Buffer.isBuffer(req.body)) headers["Content-Length"] = String(req.body.length);
  else if (req.body && req.bodyLength !== undefined)
    headers["Content-Length"] = String(req.bodyLength);
  else if (!req.body && (req.method === "PUT" || req.method === "POST" || req.method === "PATCH")) {
    headers["Content-Length"] = "0";
  }
  return new Promise((resolve, reject) => {
    const r = send(
      url,
      {
        method: req.method,
        headers,
        ...(isHttps && transport.httpsAgent ? { agent: transport.httpsAgent } : {}),
        ...(!isHttps && transport.httpAgent ? { agent: transport.httpAgent } : {}),
        timeout: req.timeoutMs ?? 60_000,
      },
      (res) =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          url: url.toString(),
          body: res,
        }),
    );
    r.on("timeout", () =>
      r.destroy(new RegistryError(`${req.method} ${url.origin}${url.pathname}: timed out`)),
    );
    r.on("error", (err) =>
      reject(
        err instanceof RegistryError
          ? err
          : new RegistryError(`${req.method} ${url.origin}${url.pathname}: ${err.message}`, {
              cause: err,
            }),
      ),
    );
    if (Buffer.isBuffer(req.body)) r.end(req.body);
    else if (req.body) {
      const stream = req.body();
      stream.on("error", (err) => r.destroy(err));
      stream.pipe(r);
    } else r.end();
  });
}

/** Sends a request, following redirects for GET/HEAD. */
export async function send(
  req: HttpRequest,
  transport: TransportOptions = {},
): Promise<HttpResponse> {
  let current = req;
  for (let hops = 0; ; hops++) {
    const res = await once(current, transport);
    const location = res.headers.location;
    const redirect = [301, 302, 303, 307, 308].includes(res.status) && location;
    if (
      !redirect ||
      req.followRedirects === false ||
      (req.method !== "GET" && req.method !== "HEAD")
    )
      return res;
    res.body.resume();
    if (hops >= 10) throw new RegistryError(`${req.method} ${req.url}: too many redirects`);
    const next = new URL(location, current.url);
    const sameHost = next.host === new URL(current.url).host;
    const headers = { ...(current.headers ?? {}) };
    if (!sameHost) delete headers.Authorization;
    current = { ...current, url: next.toString(), headers };
  }
}

/** Reads a whole (small) response body. */
export async function readBody(res: HttpResponse, limit = 32 * 1024 * 1024): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of res.body) {
    n += (chunk as Buffer).length;
    if (n > limit) {
      res.body.destroy();
      throw new RegistryError(`response from ${res.url} is larger than ${limit} bytes`);
    }
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

/** A registry's error body (`{"errors":[{"code","message"}]}`) as text, else the start of the body. */
export function describeErrorBody(body: Buffer): string {
  try {
    const doc = JSON.parse(body.toString("utf8")) as {
      errors?: { code?: string; message?: string }[];
    };
    if (Array.isArray(doc.errors) && doc.errors.length > 0) {
      return doc.errors.map((e) => [e.code, e.message].filter(Boolean).join(": ")).join("; ");
    }
  } catch {
    // not JSON
  }
  return body.subarray(0, 200).toString("utf8").trim();
}
