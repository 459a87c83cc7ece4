/**
 * The ingress controller: serves the Ingresses of its IngressClass with an
 * HTTP(S) reverse proxy in this process. Informers on Ingresses,
 * IngressClasses, Services, EndpointSlices and TLS Secrets feed a route
 * table rebuilt from the caches on every change; requests route by Host
 * and path to ready endpoints of the backend Service (round robin); the
 * published address is written into the status of every Ingress served.
 *
 * Usable in-process (the all-in-one server embeds it) or as `k8ts ingress`.
 */
import { Agent } from "node:http";
import { SharedInformerFactory } from "../client/informer/factory.js";
import type { RestClient } from "../client/rest/client.js";
import { createLogger, type Logger } from "../util/log.js";
import { selfSignedDefault } from "./default-cert.js";
import { ensureIngressClass } from "./ingress-class.js";
import { type BoundAddress, Listeners } from "./listeners.js";
import { HttpForwarder } from "./proxy.js";
import { defaultPublishIp } from "./publish.js";
import { type Caches, cachesFrom, onAnyChange, startCaches } from "./resources.js";
import { RouteSync } from "./route-sync.js";
import { Router } from "./router.js";
import type { RouteTable } from "./routes.js";
import { SniContexts } from "./sni.js";
import { StatusWriter } from "./status-writer.js";
import { UpgradeForwarder } from "./upgrade.js";

export interface IngressControllerOptions {
  /** Plain HTTP port (default 80; 0 picks a free one, read it from `start()`'s result). */
  readonly httpPort?: number;
  /** HTTPS port (default 443; 0 picks a free one). */
  readonly httpsPort?: number;
  /** Address both listen on (default "0.0.0.0"). */
  readonly bindAddress?: string;
  /** The IngressClass served (default "k8ts"). */
  readonly ingressClass?: string;
  /** Create the IngressClass as the cluster default, or mark an existing one (default false). */
  readonly defaultClass?: boolean;
  /** Create the IngressClass at start when missing (default true). */
  readonly manageIngressClass?: boolean;
  /** Written into status.loadBalancer.ingress (default: see defaultPublishIp). */
  readonly publishIp?: string;
  /** Longest silence from an upstream before 504 (default 60000 ms). */
  readonly upstreamTimeoutMs?: number;
  /**
   * Informers to share with other in-process components. The controller
   * starts the five it uses but never stops the factory: its owner does.
   * Default: a private factory, stopped with the controller.
   */
  readonly informers?: SharedInformerFactory;
  readonly log?: Logger;
}

export interface IngressAddresses {
  readonly http: BoundAddress;
  readonly https: BoundAddress;
  readonly publishIp: string;
}

export class IngressController {
  private readonly log: Logger;
  private readonly className: string;
  private readonly publishIp: string;
  private readonly informers: SharedInformerFactory;
  private readonly ownsInformers: boolean;
  private readonly caches: Caches;
  private readonly router = new Router();
  private readonly agent = new Agent({ keepAlive: true, maxFreeSockets: 64 });
  private readonly upgrades: UpgradeForwarder;
  private sync: RouteSync | undefined;
  private status: StatusWriter | undefined;
  private listeners: Listeners | undefined;

  constructor(
    private readonly rest: RestClient,
    private readonly opts: IngressControllerOptions = {},
  ) {
    this.log = opts.log ?? createLogger("ingress");
    this.className = opts.ingressClass ?? "k8ts";
    this.publishIp = opts.publishIp ?? defaultPublishIp(opts.bindAddress ?? "0.0.0.0");
    this.ownsInformers = !opts.informers;
    this.informers = opts.informers ?? new SharedInformerFactory(rest);
    this.caches = cachesFrom(this.informers);
    this.upgrades = new UpgradeForwarder({ router: this.router, log: this.log });
  }

  /** The route table being served (for inspection and tests). */
  get routes(): RouteTable {
    return this.router.table;
  }

  /** Where the listeners are bound; only valid after `start()`. */
  get addresses(): IngressAddresses {
    if (!this.listeners) throw new Error("IngressController is not started");
    return { http: this.listeners.http, https: this.listeners.https, publishIp: this.publishIp };
  }

  /**
   * Ensures the IngressClass, fills the caches and builds the routes, then
   * listens (so the first request already sees every Ingress) and starts
   * writing status.
   */
  async start(): Promise<IngressAddresses> {
    if (this.opts.manageIngressClass ?? true)
      await ensureIngressClass(this.rest, {
        name: this.className,
        defaultClass: this.opts.defaultClass ?? false,
        log: this.log,
      });
    const sni = new SniContexts(await selfSignedDefault(), this.log);
    const sync = new RouteSync(this.caches, {
      className: this.className,
      router: this.router,
      sni,
      log: this.log,
    });
    this.sync = sync;
    onAnyChange(this.caches, () => sync.schedule());
    this.status = new StatusWriter(this.rest, {
      caches: this.caches,
      className: this.className,
      publishIp: this.publishIp,
      log: this.log,
    });
    await startCaches(this.caches);
    sync.rebuild();
    try {
      this.listeners = await Listeners.start({
        bindAddress: this.opts.bindAddress ?? "0.0.0.0",
        httpPort: this.opts.httpPort ?? 80,
        httpsPort: this.opts.httpsPort ?? 443,
        forwarder: new HttpForwarder({
          router: this.router,
          agent: this.agent,
          upstreamTimeoutMs: this.opts.upstreamTimeoutMs ?? 60_000,
          log: this.log,
        }),
        upgrades: this.upgrades,
        sni,
      });
    } catch (err) {
      // Port taken or not permitted: release the watches before reporting it.
      await this.stop();
      throw err;
    }
    await this.status.run();
    const { http, https } = this.listeners;
    this.log.info("serving ingress", {
      class: this.className,
      http: `${http.host}:${http.port}`,
      https: `${https.host}:${https.port}`,
      publishIp: this.publishIp,
      ingresses: sync.served().length,
    });
    return this.addresses;
  }

  /** Stops listening, cuts open connections and tunnels, and stops watching. */
  async stop(): Promise<void> {
    await this.status?.stop();
    this.status = undefined;
    this.sync?.stop();
    await this.listeners?.close();
    this.listeners = undefined;
    this.upgrades.closeAll();
    this.agent.destroy();
    if (this.ownsInformers) await this.informers.stop();
  }
}
