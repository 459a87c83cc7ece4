// Requests against the controller's listeners with a chosen Host header
// (plain HTTP) or SNI name (HTTPS), on fresh connections.
import { type IncomingHttpHeaders, request } from "node:http";
import { request as httpsRequest } from "node:https";
import type { TLSSocket } from "node:tls";

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** JSON of the body when it parses (the backends' echo), else undefined. */
  readonly json: { backend?: string; headers?: Record<string, string>; url?: string } | undefined;
}

function parse(body: string): Answer["json"] {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** GET (or another method) `http://<host><path>` through the controller on `port`. */
export function httpGet(
  port: number,
  req: { host: string; path?: string; method?: string; headers?: Record<string, string> },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: "127.0.0.1",
        port,
        method: req.method ?? "GET",
        path: req.path ?? "/",
        headers: { host: req.host, ...req.headers },
        agent: false,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          body += d;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: parse(body) }),
        );
      },
    );
    r.on("error", reject);
    r.end();
  });
}

/** GET over HTTPS with `servername` as SNI and Host; returns the answer and the served certificate's CN. */
export function httpsGet(
  port: number,
  req: { servername: string; path?: string; ca?: string },
): Promise<Answer & { certCN: string }> {
  return new Promise((resolve, reject) => {
    const r = httpsRequest(
      {
        host: "127.0.0.1",
        port,
        path: req.path ?? "/",
        servername: req.servername,
        headers: { host: req.servername },
        agent: false,
        ...(req.ca ? { ca: req.ca } : { rejectUnauthorized: false }),
      },
      (res) => {
        const cert = (res.socket as TLSSocket).getPeerCertificate();
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          body += d;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: parse(body),
            certCN: String(cert.subject?.CN ?? ""),
          }),
        );
      },
    );
    r.on("error", reject);
    r.end();
  });
}

/** Retries `probe` until it passes or `ms` runs out. */
export async function within<T>(what: string, ms: number, probe: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await probe();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what} not seen within ${ms} ms: ${err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
