/**
 * Forwards one HTTP request to the endpoint the router picked, streaming
 * both bodies (pipes, so back-pressure holds and nothing is buffered
 * whole) over keep-alive connections. Failures before the response head
 * is sent become 502 (504 when the upstream went quiet); after it, the
 * client connection is cut, as there is no other way to say the body is
 * incomplete.
 *
 * A request without a body that fails on a reused keep-alive connection
 * is retried once on a fresh one: the upstream may have closed the idle
 * connection just as it was reused, which says nothing about its health.
 */
import { type Agent, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { Logger } from "../util/log.js";
import type { Endpoint } from "./backends.js";
import {
  type ClientSide,
  downstreamResponseHeaders,
  plainAddress,
  upstreamRequestHeaders,
} from "./headers.js";
import { NOT_FOUND, reply } from "./responses.js";
import { type Router, unavailableMessage } from "./router.js";

export class UpstreamTimeoutError extends Error {
  constructor(readonly endpoint: string) {
    super(`upstream ${endpoint} sent nothing in time`);
    this.name = "UpstreamTimeoutError";
  }
}

export interface ForwardOptions {
  readonly router: Router;
  /** Keep-alive connections to endpoints. */
  readonly agent: Agent;
  /** Longest silence from an upstream before giving up (nginx's proxy_read_timeout). */
  readonly upstreamTimeoutMs: number;
  readonly log: Logger;
}

/** One request's way through the proxy. */
interface Exchange {
  readonly res: ServerResponse;
  readonly proto: "http" | "https";
  readonly endpoint: Endpoint;
  /** Already retried once on a fresh connection. */
  readonly retried: boolean;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "DELETE", "PUT", "TRACE"]);

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/** What the upstream is told about the client's side of a request. */
export function clientSide(req: IncomingMessage, proto: "http" | "https"): ClientSide {
  return {
    clientIp: plainAddress(req.socket.remoteAddress),
    proto,
    port: req.socket.localPort ?? 0,
    upgrade: false,
  };
}

export class HttpForwarder {
  constructor(private readonly opts: ForwardOptions) {}

  /** A request listener for a server whose clients speak `proto`. */
  handler(proto: "http" | "https"): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => this.serve(req, { res, proto });
  }

  private serve(req: IncomingMessage, out: { res: ServerResponse; proto: "http" | "https" }) {
    const pick = this.opts.router.pick({ host: req.headers.host ?? "", target: req.url ?? "/" });
    if (pick.kind === "endpoint") {
      this.forward(req, { ...out, endpoint: pick.endpoint, retried: false });
      return;
    }
    const answer =
      pick.kind === "unrouted"
        ? NOT_FOUND
        : { status: 503, message: unavailableMessage(pick.match) };
    this.drainThen(req, () => reply(out.res, answer));
  }

  /** Answers after the request body is read, so the connection stays usable. */
  private drainThen(req: IncomingMessage, answer: () => void): void {
    if (req.complete) {
      answer();
      return;
    }
    req.once("end", answer);
    req.resume();
  }

  private forward(req: IncomingMessage, ctx: Exchange): void {
    const { res, endpoint } = ctx;
    const target = `${endpoint.host}:${endpoint.port}`;
    const up = request({
      host: endpoint.host,
      port: endpoint.port,
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: upstreamRequestHeaders(req.rawHeaders, clientSide(req, ctx.proto)),
      // A retry must not be handed another possibly stale pooled connection.
      agent: ctx.retried ? false : this.opts.agent,
    });
    up.setTimeout(this.opts.upstreamTimeoutMs, () => up.destroy(new UpstreamTimeoutError(target)));
    res.once("close", () => {
      if (!res.writableFinished) up.destroy();
    });
    up.once("response", (ures) => {
      try {
        res.writeHead(
          ures.statusCode ?? 502,
          ures.statusMessage || undefined,
          downstreamResponseHeaders(ures.rawHeaders, { upgrade: false }),
        );
      } catch (err) {
        // A head Node will not repeat (an invalid header value) is the upstream's failure.
        up.destroy();
        reply(res, { status: 502, message: `upstream ${target}: ${String(err)}` });
        return;
      }
      // An upstream that dies mid-body: cut the client too, so it sees the body is short.
      ures.once("error", () => res.destroy());
      ures.once("close", () => {
        if (!ures.complete) res.destroy();
      });
      ures.pipe(res);
    });
    up.once("error", (err) => this.failed(req, { ...ctx, err, reused: up.reusedSocket, target }));
    if (hasBody(req)) req.pipe(up);
    else {
      up.end();
      req.resume();
    }
  }

  private failed(
    req: IncomingMessage,
    ctx: Exchange & { err: Error; reused: boolean; target: string },
  ): void {
    const { res, err } = ctx;
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const code = (err as NodeJS.ErrnoException).code;
    const stale = ctx.reused && (code === "ECONNRESET" || code === "EPIPE");
    if (stale && !ctx.retried && !hasBody(req) && IDEMPOTENT.has(req.method ?? "GET")) {
      this.forward(req, { ...ctx, retried: true });
      return;
    }
    // Read what is left of the request body, so the client connection can carry the answer.
    req.resume();
    const timedOut = err instanceof UpstreamTimeoutError;
    this.opts.log.warn("upstream failed", { upstream: ctx.target, err: String(err) });
    reply(res, { status: timedOut ? 504 : 502, message: `upstream ${ctx.target}: ${err.message}` });
  }
}
