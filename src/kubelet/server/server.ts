/**
 * The kubelet's HTTPS server (port 10250): /healthz, /pods and
 * /containerLogs, which the API server proxies pods/log to. Clients must
 * present a certificate signed by the cluster CA (the API server's
 * kubelet-client certificate); upstream further authorizes them with a
 * SubjectAccessReview, k8ts allows any such client (see docs/). Exec and
 * attach stream over WebSocket (remote command v5/v4), port-forward over
 * SPDY or WebSocket; /run runs a command and answers its output.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { TLSSocket } from "node:tls";
import type { Pod } from "kubernetes-types/core/v1.js";
import { createWebSocketStream, WebSocketServer } from "ws";
import type { StreamSession } from "../../runtime/cri.js";
import type { Logger } from "../../util/log.js";
import { readLog } from "../logs/read-log.js";
import { serveExec } from "./exec-handler.js";
import { PORT_FORWARD_PROTOCOL, PORT_FORWARD_TUNNEL, servePortForward } from "./port-forward.js";
import { chooseProtocol, execOptions } from "./remotecommand.js";
import { SpdySession } from "./spdy/connection.js";

export interface LogTarget {
  readonly path: string;
  readonly running: () => Promise<boolean>;
}

export class KubeletHttpError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "KubeletHttpError";
  }
}

export interface KubeletServerHandlers {
  pods(): Pod[];
  /** stats/v1alpha1 Summary. */
  summary(): Promise<object>;
  /** Prometheus text exposition. */
  metrics(): Promise<{ contentType: string; body: string }>;
  /** A byte stream to a port of the pod (inside its network namespace). */
  portForward(namespace: string, pod: string, port: number): Promise<Duplex>;
  /** Starts a streaming exec in a running container of the pod. */
  exec(
    namespace: string,
    pod: string,
    container: string,
    request: { cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean },
  ): Promise<StreamSession>;
  /** Attaches to the streams of a running container's main process. */
  attach(
    namespace: string,
    pod: string,
    container: string,
    request: { tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean },
  ): Promise<StreamSession>;
  /**
   * Runs a command in a running container to completion (/run, upstream's
   * RunInContainer): its stdout then stderr.
   */
  run(namespace: string, pod: string, container: string, cmd: string[]): Promise<Buffer>;
  /** The log file of a container, the current instance or the previous one. */
  containerLog(
    namespace: string,
    pod: string,
    container: string,
    previous: boolean,
  ): Promise<LogTarget>;
}

export interface KubeletServerOptions {
  readonly address?: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly tls: { cert: string; key: string };
  /** PEM of the CA client certificates must chain to. */
  readonly clientCA: string | Buffer;
  readonly handlers: KubeletServerHandlers;
  readonly log: Logger;
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new KubeletHttpError(400, `invalid ${name} ${JSON.stringify(v)}`);
  return n;
}

const truthy = (q: URLSearchParams, name: string) => {
  const v = q.get(name);
  return v !== null && v !== "false" && v !== "0";
};

export class KubeletServer {
  private server: Server | undefined;
  private readonly aborts = new Set<AbortController>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) =>
      offered.has(PORT_FORWARD_TUNNEL) ? PORT_FORWARD_TUNNEL : (chooseProtocol(offered) ?? false),
  });
  private readonly sessions = new Set<SpdySession>();

  constructor(private readonly opts: KubeletServerOptions) {}

  async start(): Promise<number> {
    const server = createServer(
      {
        cert: this.opts.tls.cert,
        key: this.opts.tls.key,
        ca: this.opts.clientCA,
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        void this.handle(req, res).catch((err: unknown) => {
          const code = err instanceof KubeletHttpError ? err.code : 500;
          if (code === 500)
            this.opts.log.warn("kubelet server", { url: req.url, err: String(err) });
          if (!res.headersSent) {
            res.writeHead(code, { "content-type": "text/plain; charset=utf-8" });
            res.end(`${err instanceof Error ? err.message : String(err)}\n`);
          } else res.end();
        });
      },
    );
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.upgrade(req, socket, head).catch((err: unknown) => {
        const code = err instanceof KubeletHttpError ? err.code : 500;
        const text = err instanceof Error ? err.message : String(err);
        socket.end(
          `HTTP/1.1 ${code} ${code === 501 ? "Not Implemented" : "Error"}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
        );
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.opts.port, this.opts.address ?? "0.0.0.0", () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const a of this.aborts) a.abort();
    for (const ws of this.wss.clients) ws.terminate();
    for (const session of this.sessions) session.close();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "https://kubelet");
    const path = url.pathname;
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
      return;
    }
    if (!(req.socket as TLSSocket).authorized)
      throw new KubeletHttpError(
        401,
        "Unauthorized: a client certificate signed by the cluster CA is required",
      );
    if (req.method !== "GET" && !/^\/(exec|attach|portForward|run)\//.test(path))
      throw new KubeletHttpError(405, "method not allowed");
    if (path === "/pods" || path === "/pods/") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          kind: "PodList",
          apiVersion: "v1",
          metadata: {},
          items: this.opts.handlers.pods(),
        }),
      );
      return;
    }
    const logs = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
    if (logs)
      return this.containerLogs(
        req,
        res,
        url.searchParams,
        logs.slice(1).map(decodeURIComponent) as [string, string, string],
      );
    const run = /^\/run\/([^/]+)\/([^/]+)\/(?:[^/]+\/)?([^/]+)$/.exec(path);
    if (run) {
      if (req.method !== "POST") throw new KubeletHttpError(405, "method not allowed");
      // For legacy reasons /run takes one `cmd` parameter, split on spaces (upstream does the same).
      const cmd = (url.searchParams.get("cmd") ?? "").split(" ").filter((a) => a !== "");
      if (cmd.length === 0) throw new KubeletHttpError(400, "you must specify a command in ?cmd=");
      const [namespace, pod, container] = run.slice(1).map(decodeURIComponent) as [
        string,
        string,
        string,
      ];
      const out = await this.opts.handlers.run(namespace, pod, container, cmd);
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(out);
      return;
    }
    if (/^\/(exec|attach|portForward)\//.test(path))
      throw new KubeletHttpError(400, `${path.split("/")[1]} needs a connection upgrade`);
    if (path === "/stats/summary") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(await this.opts.handlers.summary()));
      return;
    }
    if (path === "/metrics") {
      const m = await this.opts.handlers.metrics();
      res.writeHead(200, { "content-type": m.contentType });
      res.end(m.body);
      return;
    }
    throw new KubeletHttpError(404, "404 page not found");
  }

  /** Streaming endpoints: WebSocket upgrades for exec and attach, port-forward. */
  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (!(req.socket as TLSSocket).authorized)
      throw new KubeletHttpError(
        401,
        "Unauthorized: a client certificate signed by the cluster CA is required",
      );
    const url = new URL(req.url ?? "/", "https://kubelet");
    const pf = /^\/portForward\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (pf)
      return this.portForward(
        req,
        socket,
        head,
        pf.slice(1).map(decodeURIComponent) as [string, string],
      );
    const stream = /^\/(exec|attach)\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!stream) throw new KubeletHttpError(404, "404 page not found");
    if ((req.headers.upgrade ?? "").toLowerCase() !== "websocket")
      throw new KubeletHttpError(
        400,
        "only WebSocket streaming is supported (v5.channel.k8s.io, v4.channel.k8s.io)",
      );
    const attach = stream[1] === "attach";
    const [namespace, pod, container] = stream.slice(2).map(decodeURIComponent) as [
      string,
      string,
      string,
    ];
    const opts = execOptions(url.searchParams);
    if (!attach && opts.command.length === 0)
      throw new KubeletHttpError(400, "you must specify at least 1 command");
    const streams = {
      tty: opts.tty,
      stdin: opts.stdin,
      stdout: opts.stdout,
      stderr: opts.stderr,
    };
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const protocol = chooseProtocol([ws.protocol]);
      if (!protocol) {
        ws.close(1002, "unsupported protocol");
        return;
      }
      const start = attach
        ? () => this.opts.handlers.attach(namespace, pod, container, streams)
        : () =>
            this.opts.handlers.exec(namespace, pod, container, { cmd: opts.command, ...streams });
      void serveExec(ws, protocol, start, {
        ...(attach ? {} : { command: opts.command }),
        stdout: opts.stdout,
        stderr: opts.stderr,
      }).catch((err: unknown) => {
        this.opts.log.warn(`${stream[1]} stream failed`, { err: String(err) });
        ws.terminate();
      });
    });
  }

  /** Port-forward: SPDY/3.1 on the upgraded connection, or SPDY tunnelled in a WebSocket. */
  private async portForward(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    [namespace, pod]: [string, string],
  ): Promise<void> {
    const forward = (port: number) => this.opts.handlers.portForward(namespace, pod, port);
    const start = (transport: Duplex) => {
      const session = new SpdySession(transport);
      this.sessions.add(session);
      session.on("close", () => this.sessions.delete(session));
      session.on("error", (err: Error) =>
        this.opts.log.warn("port-forward session", { err: err.message }),
      );
      servePortForward(session, forward, `${namespace}/${pod}`);
    };
    const upgrade = (req.headers.upgrade ?? "").toLowerCase();
    if (upgrade === "websocket") {
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        if (ws.protocol !== PORT_FORWARD_TUNNEL) {
          ws.close(1002, `port-forward speaks ${PORT_FORWARD_TUNNEL}`);
          return;
        }
        start(createWebSocketStream(ws));
      });
      return;
    }
    if (upgrade !== "spdy/3.1")
      throw new KubeletHttpError(400, "port-forward needs an Upgrade to SPDY/3.1 or websocket");
    const offered = String(req.headers["x-stream-protocol-version"] ?? "").split(/,\s*/);
    if (!offered.includes(PORT_FORWARD_PROTOCOL))
      throw new KubeletHttpError(
        403,
        `unable to upgrade: the client does not speak ${PORT_FORWARD_PROTOCOL}`,
      );
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`,
    );
    if (head.length) socket.unshift(head);
    start(socket);
  }

  private async containerLogs(
    req: IncomingMessage,
    res: ServerResponse,
    q: URLSearchParams,
    [namespace, pod, container]: [string, string, string],
  ): Promise<void> {
    const tailLines = intParam(q, "tailLines");
    const limitBytes = intParam(q, "limitBytes");
    const sinceSeconds = intParam(q, "sinceSeconds");
    const sinceTime = q.get("sinceTime");
    let sinceMs: number | undefined;
    if (sinceSeconds !== undefined) sinceMs = Date.now() - sinceSeconds * 1000;
    if (sinceTime) {
      sinceMs = Date.parse(sinceTime);
      if (Number.isNaN(sinceMs))
        throw new KubeletHttpError(400, `invalid sinceTime ${JSON.stringify(sinceTime)}`);
    }
    const target = await this.opts.handlers.containerLog(
      namespace,
      pod,
      container,
      truthy(q, "previous"),
    );
    const follow = truthy(q, "follow");
    res.writeHead(200, {
      "content-type": "text/plain; charset=utf-8",
      ...(follow ? { "transfer-encoding": "chunked" } : {}),
    });
    const abort = new AbortController();
    this.aborts.add(abort);
    req.on("close", () => abort.abort());
    try {
      await readLog(target.path, res, {
        ...(sinceMs !== undefined ? { sinceMs } : {}),
        ...(tailLines !== undefined ? { tailLines } : {}),
        ...(limitBytes !== undefined ? { limitBytes } : {}),
        timestamps: truthy(q, "timestamps"),
        follow,
        running: target.running,
        signal: abort.signal,
      });
    } finally {
      this.aborts.delete(abort);
      res.end();
    }
  }
}
