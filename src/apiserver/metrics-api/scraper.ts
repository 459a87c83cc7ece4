/**
 * The scrape loop metrics-server runs: every resolution, read each node's
 * kubelet /stats/summary (over TLS with the API server's kubelet-client
 * certificate, as pods/log does), decode the points and store them as one
 * batch. A node whose kubelet does not answer in time simply has no points
 * in that batch.
 */
import type { IncomingMessage } from "node:http";
import { request } from "node:https";
import type { KeyPairPem } from "../../pki/certs.js";
import type { Logger } from "../../util/log.js";
import { kubeletLocation } from "../kubelet/location.js";
import { addSummary, emptyBatch, type Summary } from "./points.js";
import type { MetricsStorage } from "./storage.js";

/** What the scraper needs of a Node: its name and where its kubelet listens. */
export type ScrapeTarget = Parameters<typeof kubeletLocation>[1] & {
  readonly metadata?: { name?: string };
};

export interface ScraperOptions {
  /** The nodes to scrape, read afresh for every scrape. */
  readonly nodes: () => Promise<readonly ScrapeTarget[]>;
  /** The API server's kubelet-client certificate; without one nothing is scraped. */
  readonly client: KeyPairPem | undefined;
  readonly storage: MetricsStorage;
  /** Time between scrapes (metrics-server's --metric-resolution, 15 s). */
  readonly resolutionMs: number;
  readonly log: Logger;
}

/** Upper bound of one kubelet request (metrics-server's --kubelet-request-timeout). */
const MAX_REQUEST_MS = 10_000;

export class Scraper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  /** Aborts the requests of a scrape in flight when stopping, so close() never waits on a dead kubelet. */
  #abort = new AbortController();
  /** Nodes whose last scrape failed: logged once per outage, not every resolution. */
  readonly #failing = new Set<string>();

  constructor(private readonly opts: ScraperOptions) {}

  /** Scrapes now and then every resolution until stop(). */
  start(): void {
    this.#stopped = false;
    this.#abort = new AbortController();
    this.#tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #tick(): void {
    if (this.#stopped) return;
    this.#running = this.scrapeOnce()
      .catch((err: unknown) => this.opts.log.warn("metrics scrape failed", { err: String(err) }))
      .finally(() => {
        this.#running = undefined;
        if (this.#stopped) return;
        this.#timer = setTimeout(() => this.#tick(), this.opts.resolutionMs);
        this.#timer.unref();
      });
  }

  /** One scrape of every node, stored as one batch. */
  async scrapeOnce(): Promise<void> {
    const client = this.opts.client;
    if (!client) return;
    const nodes = await this.opts.nodes();
    const timeoutMs = Math.min(MAX_REQUEST_MS, Math.max(1, this.opts.resolutionMs * 0.9));
    const batch = emptyBatch();
    const summaries = await Promise.all(
      nodes.map(async (node) => {
        const name = node.metadata?.name ?? "";
        try {
          const { host, port } = kubeletLocation(name, node);
          const summary = await fetchSummary({
            host,
            port,
            client,
            timeoutMs,
            signal: this.#abort.signal,
          });
          if (this.#failing.delete(name))
            this.opts.log.info("metrics scrape recovered", { node: name });
          return summary;
        } catch (err) {
          if (this.#stopped) return undefined;
          if (!this.#failing.has(name)) {
            this.#failing.add(name);
            this.opts.log.warn("metrics scrape of node failed", {
              node: name,
              err: errorText(err),
            });
          }
          return undefined;
        }
      }),
    );
    if (this.#stopped) return;
    // Deleted nodes leave the outage log.
    const names = new Set(nodes.map((n) => n.metadata?.name ?? ""));
    for (const name of this.#failing) if (!names.has(name)) this.#failing.delete(name);
    for (const s of summaries) if (s) addSummary(batch, s);
    this.opts.storage.store(batch);
  }
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** GET /stats/summary from one kubelet. */
export async function fetchSummary(target: {
  host: string;
  port: number;
  client: KeyPairPem;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<Summary> {
  const path = "/stats/summary?only_cpu_and_memory=true";
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(
      {
        host: target.host,
        port: target.port,
        path,
        method: "GET",
        cert: target.client.cert,
        key: target.client.key,
        // The kubelet's certificate is self-signed (upstream: --kubelet-insecure-tls).
        rejectUnauthorized: false,
        timeout: target.timeoutMs,
        ...(target.signal ? { signal: target.signal } : {}),
      },
      resolve,
    );
    req.on("timeout", () => req.destroy(new Error(`timed out after ${target.timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
  let text = "";
  for await (const chunk of res) text += String(chunk);
  if (res.statusCode !== 200)
    throw new Error(`GET https://${target.host}:${target.port}${path}: ${res.statusCode}`);
  return JSON.parse(text) as Summary;
}
