/**
 * The read-only web dashboard: a plain HTTP server (loopback by default)
 * that renders pages from what the API server returns, with the
 * credentials of the kubeconfig it was given. GET and HEAD only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RestClient } from "../client/rest/client.js";
import { loadKubeconfig } from "../client/rest/config.js";
import { type Logger, silentLogger } from "../util/log.js";
import { DashboardApi } from "./api.js";
import type { SafeHtml } from "./html.js";
import {
  errorPage,
  listPage,
  notFoundPage,
  objectPage,
  overviewPage,
  type Rendered,
  sidebar,
} from "./pages.js";
import { parseRoute } from "./routes.js";

export interface DashboardOptions {
  /** A client to use (left open on stop); else one is made from `kubeconfig`. */
  readonly rest?: RestClient;
  readonly kubeconfig?: string;
  /** Default 127.0.0.1. */
  readonly address?: string;
  /** Default 8001; 0 picks a free port. */
  readonly port?: number;
  /** Mount point, e.g. "/dashboard" (default: the root). */
  readonly basePath?: string;
  readonly log?: Logger;
}

export interface RunningDashboard {
  readonly url: string;
  stop(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/**
 * Whether a request's Host header may reach a dashboard bound to `address`:
 * on loopback only loopback names, so a web page elsewhere cannot rebind a
 * DNS name to 127.0.0.1 and read the cluster with our credentials.
 */
export function hostAllowed(host: string | undefined, address: string): boolean {
  if (!LOOPBACK.has(address) && !address.startsWith("127.")) return true;
  if (!host) return false;
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::\d+)?$/.exec(host);
  const name = (m?.[1] ?? m?.[2] ?? "").toLowerCase();
  return LOOPBACK.has(name) || name.startsWith("127.") || name === address;
}

function normalizeBase(base: string | undefined): string {
  if (!base || base === "/") return "";
  return `/${base.replace(/^\/+|\/+$/g, "")}`;
}

export async function startDashboard(opts: DashboardOptions): Promise<RunningDashboard> {
  const log = opts.log ?? silentLogger;
  const ownRest = opts.rest === undefined;
  const rest =
    opts.rest ??
    new RestClient({
      ...loadKubeconfig(opts.kubeconfig ? { path: opts.kubeconfig } : {}),
      userAgent: "k8ts-dashboard",
    });
  const api = new DashboardApi(rest);
  const base = normalizeBase(opts.basePath);
  const address = opts.address ?? "127.0.0.1";

  async function handle(req: IncomingMessage): Promise<Rendered> {
    if (!hostAllowed(req.headers.host, address))
      return notFoundPage(base, "this Host is not allowed: use the loopback address", 403);
    const route = parseRoute(req.method ?? "GET", req.url ?? "/", base);
    if (route.kind === "error") return notFoundPage(base, route.message, route.status);
    if (route.kind === "healthz")
      return { status: 200, body: "ok", type: "text/plain; charset=utf-8" };
    let nav: SafeHtml | undefined;
    try {
      nav = sidebar(base, await api.resources());
      if (route.kind === "overview") return await overviewPage(api, base, nav);
      const r = await api.find(route.group, route.version, route.plural);
      if (!r) {
        const g = route.group === "" ? "core" : route.group;
        return notFoundPage(
          base,
          `the server has no resource ${route.plural} in ${g}/${route.version}`,
        );
      }
      if (route.kind === "list") return await listPage(api, base, nav, r, route.namespace);
      return await objectPage(api, base, nav, r, route.name, route.namespace);
    } catch (err) {
      log.info("dashboard request failed", { url: req.url ?? "", err: String(err) });
      return errorPage(base, err, nav);
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    handle(req)
      .catch((err: unknown) => errorPage(base, err))
      .then((r) => {
        const headers: Record<string, string> = {
          ...SECURITY_HEADERS,
          "content-type": r.type ?? "text/html; charset=utf-8",
          "content-length": String(Buffer.byteLength(r.body)),
        };
        if (r.status === 405) headers.allow = "GET, HEAD";
        res.writeHead(r.status, headers);
        res.end(req.method === "HEAD" ? undefined : r.body);
      })
      .catch(() => res.destroy());
  });
  server.on("clientError", (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 8001, address, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}${base}/`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownRest) rest.close();
    },
  };
}
