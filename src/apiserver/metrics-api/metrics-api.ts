/**
 * The resource metrics API (metrics.k8s.io/v1beta1) served in process, the
 * role metrics-server plays upstream: a scrape loop over the kubelets, the
 * last two points per node and container, and read-only NodeMetrics and
 * PodMetrics computed from them.
 */
import type { KeyPairPem } from "../../pki/certs.js";
import type { Store } from "../../storage/types.js";
import type { Logger } from "../../util/log.js";
import type { ApiHooks } from "../hooks.js";
import type { ResourceRequest } from "../http/request-info.js";
import { decodeValue } from "../registry/codec.js";
import { prefixFor } from "../registry/keys.js";
import { type MetricsHandlerDeps, serveMetrics } from "./handler.js";
import { METRICS_GROUP } from "./resources.js";
import { Scraper, type ScrapeTarget } from "./scraper.js";
import { MetricsStorage } from "./storage.js";

/** metrics-server's default --metric-resolution. */
export const DEFAULT_METRIC_RESOLUTION_MS = 15_000;

export interface MetricsApiOptions {
  readonly store: Store;
  readonly hooks: ApiHooks;
  /** The certificate the API server shows kubelets. */
  readonly kubeletClient: KeyPairPem | undefined;
  readonly log: Logger;
  /** How often kubelets are scraped (default 15 s). */
  readonly resolutionMs?: number;
}

export class MetricsApi {
  readonly #scraper: Scraper;
  readonly #deps: MetricsHandlerDeps;

  constructor(opts: MetricsApiOptions) {
    const resolutionMs = opts.resolutionMs ?? DEFAULT_METRIC_RESOLUTION_MS;
    const storage = new MetricsStorage(resolutionMs);
    this.#deps = { store: opts.store, storage, hooks: opts.hooks, now: () => Date.now() };
    this.#scraper = new Scraper({
      nodes: async () => {
        const { items } = await opts.store.list(prefixFor({ group: "", plural: "nodes" }));
        return items.map((kv) => decodeValue(kv.value) as ScrapeTarget);
      },
      client: opts.kubeletClient,
      storage,
      resolutionMs,
      log: opts.log,
    });
  }

  /** Whether a resource request is for this API. */
  static handles(info: { group: string }): boolean {
    return info.group === METRICS_GROUP;
  }

  start(): void {
    this.#scraper.start();
  }

  stop(): Promise<void> {
    return this.#scraper.stop();
  }

  serve(info: ResourceRequest, http: Parameters<typeof serveMetrics>[2]): Promise<void> {
    return serveMetrics(this.#deps, info, http);
  }
}
