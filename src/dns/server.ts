import { readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { SharedInformerFactory } from "../client/informer/factory.js";
import type { RestClient } from "../client/rest/client.js";
import { type Logger, silentLogger } from "../util/log.js";
import { AnswerCache, CachingForwarder } from "./cache.js";
import { UpstreamForwarder } from "./forward.js";
import { type Forwarder, QueryHandler } from "./handler.js";
import { type DnsListener, listenDns } from "./listener.js";
import { canonicalName } from "./names.js";
import { nameserversOf, parseUpstream, type Upstream } from "./upstreams.js";
import { Zone } from "./zone.js";
import { ZoneSync } from "./zone-sync.js";

export interface DnsServerOptions {
  /** Address UDP and TCP listen on (default "0.0.0.0"). */
  readonly host?: string;
  /** Port for both (default 53; 0 picks one free for both, read it from `address`). */
  readonly port?: number;
  /** The cluster domain (default "cluster.local"). */
  readonly clusterDomain?: string;
  /** Resolvers for other names, `IP[:PORT]` (default: the nameservers of `resolvConf`). */
  readonly upstreams?: readonly string[];
  /** Where default upstreams are read from (default "/etc/resolv.conf"). */
  readonly resolvConf?: string;
  /** Per upstream attempt (default 2000 ms). */
  readonly forwardTimeoutMs?: number;
  /** Forwarded replies kept in the answer cache (default 10,000; 0 turns the cache off). */
  readonly cacheSize?: number;
  /** Longest a forwarded reply is cached, in seconds (default 300). */
  readonly cacheMaxTtlSec?: number;
  /** TTL of cluster records (default 5). */
  readonly ttl?: number;
  /** Addresses `ns.dns.<domain>` answers with (default: kube-system/kube-dns's cluster IP). */
  readonly nameservers?: readonly string[];
  /**
   * Informers to share with other in-process components. The server starts
   * the two it uses but never stops the factory: its owner does. Default:
   * a private factory on the RestClient, stopped with the server.
   */
  readonly informers?: SharedInformerFactory;
  readonly log?: Logger;
}

/** The host's own addresses, for spotting an upstream that is this server. */
function localAddresses(): Set<string> {
  const out = new Set(["127.0.0.1", "::1", "0.0.0.0", "::"]);
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) out.add(a.address);
  return out;
}

function readUpstreams(path: string, log: Logger): Upstream[] {
  try {
    return nameserversOf(readFileSync(path, "utf8"));
  } catch (err) {
    log.warn("no upstream resolvers: cannot read resolv.conf", { path, err: String(err) });
    return [];
  }
}

/**
 * Cluster DNS: answers names of the cluster domain from Services and
 * EndpointSlices watched through the API (the DNS specification's
 * records, the way CoreDNS's kubernetes plugin serves them) and forwards
 * every other name to upstream resolvers, over UDP and TCP on one port.
 */
export class DnsServer {
  readonly zone: Zone;
  private readonly informers: SharedInformerFactory;
  private readonly ownsInformers: boolean;
  private readonly sync: ZoneSync;
  private readonly log: Logger;
  private listener: DnsListener | undefined;
  private forwarder: UpstreamForwarder | undefined;
  private answerCache: AnswerCache | undefined;

  constructor(
    rest: RestClient,
    private readonly opts: DnsServerOptions = {},
  ) {
    this.log = opts.log ?? silentLogger;
    this.zone = new Zone({ domain: canonicalName(opts.clusterDomain ?? "cluster.local") });
    this.ownsInformers = !opts.informers;
    this.informers = opts.informers ?? new SharedInformerFactory(rest);
    this.sync = new ZoneSync(this.informers, this.zone);
  }

  /** Where the server listens; only valid after `start()`. */
  get address(): { readonly host: string; readonly port: number } {
    if (!this.listener) throw new Error("DnsServer is not started");
    return this.listener.address;
  }

  /**
   * Fills the zone from the API first, then binds: a name that exists is
   * never answered NXDOMAIN for want of a cache.
   */
  async start(): Promise<{ host: string; port: number }> {
    const host = this.opts.host ?? "0.0.0.0";
    const upstreams = this.opts.upstreams
      ? this.opts.upstreams.map(parseUpstream)
      : readUpstreams(this.opts.resolvConf ?? "/etc/resolv.conf", this.log);
    await this.sync.start();
    // Forwarding to ourselves would bounce a query until it timed out: drop such an upstream.
    const forwarder = new UpstreamForwarder(
      upstreams.filter((u) => !this.isSelf(u, { host, port: this.opts.port ?? 53 })),
      { ...(this.opts.forwardTimeoutMs ? { timeoutMs: this.opts.forwardTimeoutMs } : {}) },
    );
    this.forwarder = forwarder;
    const cacheSize = this.opts.cacheSize ?? 10_000;
    let forwarding: Forwarder = forwarder;
    if (cacheSize > 0) {
      this.answerCache = new AnswerCache({
        maxEntries: cacheSize,
        ...(this.opts.cacheMaxTtlSec !== undefined ? { maxTtlSec: this.opts.cacheMaxTtlSec } : {}),
      });
      forwarding = new CachingForwarder(forwarder, this.answerCache);
    }
    const handler = new QueryHandler(this.zone, {
      forwarder: forwarding,
      ...(this.opts.ttl !== undefined ? { ttl: this.opts.ttl } : {}),
      ...(this.opts.nameservers ? { nameservers: this.opts.nameservers } : {}),
    });
    try {
      this.listener = await listenDns((raw, transport) => handler.handle(raw, transport), {
        host,
        port: this.opts.port ?? 53,
        onError: (err) => this.log.warn("dns", { err: String(err) }),
      });
    } catch (err) {
      // Port taken or not permitted: release the watches before reporting it.
      await this.stop();
      throw err;
    }
    this.log.info("serving cluster DNS", {
      address: `${host}:${this.listener.address.port}`,
      domain: this.zone.domain,
      upstreams: upstreams.map((u) => `${u.host}:${u.port}`),
    });
    return { ...this.listener.address };
  }

  /** Hits and misses of the forwarded-answer cache (zero when it is off). */
  get cacheStats(): { hits: number; misses: number; size: number } {
    const c = this.answerCache;
    return { hits: c?.hits ?? 0, misses: c?.misses ?? 0, size: c?.size ?? 0 };
  }

  async stop(): Promise<void> {
    this.forwarder?.close();
    await this.listener?.close();
    this.listener = undefined;
    if (this.ownsInformers) await this.informers.stop();
  }

  private isSelf(up: Upstream, me: { host: string; port: number }): boolean {
    if (up.port !== me.port) return false;
    if (up.host === me.host) return true;
    return (me.host === "0.0.0.0" || me.host === "::") && localAddresses().has(up.host);
  }
}
