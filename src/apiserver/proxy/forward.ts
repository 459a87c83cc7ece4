/**
 * Relays one HTTP request to a proxy target and streams the answer back
 * (upstream's UpgradeAwareHandler for plain requests). The caller's
 * credentials stay here: Authorization, impersonation and the API
 * server's own hop-by-hop headers are not forwarded; the kubelet is
 * reached with the API server's kubelet-client certificate.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { KeyPairPem } from "../../pki/certs.js";
import { HOP_BY_HOP } from "../../util/hop-by-hop.js";
import { serviceUnavailable } from "../status.js";
import type { ProxyTarget } from "./target.js";

/** Not passed on: hop-by-hop headers, the target's Host, and the caller's credentials. */
const DROPPED = new Set([...HOP_BY_HOP, "host", "authorization"]);
/** The client's headers minus credentials and hop-by-hop ones. */
export function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED.has(name) || name.startsWith("impersonate-")) continue;
    out[name] = value;
  }
  return out;
}

export async function forward(r: {
  readonly target: ProxyTarget;
  /** Path and query on the target, e.g. `/stats/summary?x=1`. */
  readonly path: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Client certificate for the target (the kubelet). */
  readonly client?: KeyPairPem;
}): Promise<void> {
  const { target } = r;
  const send = target.scheme === "https" ? httpsRequest : httpRequest;
  const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
    const out = send(
      {
        host: target.host,
        ...(target.port ? { port: Number(target.port) } : {}),
        path: r.path,
        method: r.req.method ?? "GET",
        headers: forwardedHeaders(r.req.headers),
        ...(target.scheme === "https"
          ? {
              ...(r.client ? { cert: r.client.cert, key: r.client.key } : {}),
              // Pods, services and kubelets serve self-signed certificates (upstream: InsecureSkipVerify).
              rejectUnauthorized: false,
            }
          : {}),
        timeout: 30_000,
      },
      resolve,
    );
    const where = `${target.scheme}://${target.host}${target.port ? `:${target.port}` : ""}${r.path}`;
    out.on("timeout", () => out.destroy(new Error("timed out")));
    out.on("error", (err) =>
      reject(serviceUnavailable(`error trying to reach ${where}: ${err.message}`)),
    );
    // The caller went away (res closes before it finished): stop asking.
    r.res.on("close", () => {
      if (!r.res.writableFinished) out.destroy();
    });
    r.req.pipe(out);
  });
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (value !== undefined && !DROPPED.has(name)) headers[name] = value;
  }
  r.res.writeHead(upstream.statusCode ?? 502, headers);
  upstream.pipe(r.res);
  await new Promise<void>((resolve) => {
    upstream.on("end", resolve);
    upstream.on("error", () => {
      r.res.destroy();
      resolve();
    });
    r.res.on("close", () => {
      upstream.destroy();
      resolve();
    });
  });
}
