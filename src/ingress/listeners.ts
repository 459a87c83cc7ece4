/**
 * The two listening sockets: plain HTTP and HTTPS (certificate chosen by
 * SNI), both handing requests and upgrades to the same forwarders.
 */
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { HttpForwarder } from "./proxy.js";
import type { SniContexts } from "./sni.js";
import type { UpgradeForwarder } from "./upgrade.js";

export interface BoundAddress {
  readonly host: string;
  readonly port: number;
}

export interface ListenerOptions {
  readonly bindAddress: string;
  /** 0 picks a free port (read it from the returned address). */
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly forwarder: HttpForwarder;
  readonly upgrades: UpgradeForwarder;
  readonly sni: SniContexts;
}

/** Server timeouts: idle client connections kept a minute, no cap on a whole (streamed) request. */
const SERVER_TIMEOUTS = { keepAliveTimeout: 60_000, headersTimeout: 60_000, requestTimeout: 0 };

function listen(server: Server, at: { host: string; port: number; what: string }) {
  return new Promise<BoundAddress>((resolve, reject) => {
    const failed = (err: Error) =>
      reject(new Error(`${at.what} ${at.host}:${at.port}: ${err.message}`, { cause: err }));
    server.once("error", failed);
    server.listen(at.port, at.host, () => {
      server.off("error", failed);
      resolve({ host: at.host, port: (server.address() as AddressInfo).port });
    });
  });
}

function close(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive connections would hold close() open until they time out.
    server.closeAllConnections();
  });
}

export class Listeners {
  private constructor(
    private readonly servers: readonly Server[],
    readonly http: BoundAddress,
    readonly https: BoundAddress,
  ) {}

  static async start(opts: ListenerOptions): Promise<Listeners> {
    const plain = createHttpServer(SERVER_TIMEOUTS, opts.forwarder.handler("http"));
    plain.on("upgrade", opts.upgrades.handler("http"));
    const secure = createHttpsServer(
      {
        ...SERVER_TIMEOUTS,
        cert: opts.sni.defaultCert.cert,
        key: opts.sni.defaultCert.key,
        SNICallback: opts.sni.callback,
      },
      opts.forwarder.handler("https"),
    );
    secure.on("upgrade", opts.upgrades.handler("https"));
    const host = opts.bindAddress;
    try {
      const http = await listen(plain, { host, port: opts.httpPort, what: "http listener" });
      const https = await listen(secure, { host, port: opts.httpsPort, what: "https listener" });
      return new Listeners([plain, secure], http, https);
    } catch (err) {
      await Promise.all([close(plain), close(secure)]);
      throw err;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map(close));
  }
}
