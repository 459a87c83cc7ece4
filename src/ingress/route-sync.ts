/**
 * Keeps the data plane equal to the caches: any change to an Ingress,
 * IngressClass, Service, EndpointSlice or TLS Secret schedules one rebuild
 * of the whole route and TLS tables (changes arriving in the same turn of
 * the event loop share it), which are then swapped in. Rebuilding from
 * the caches rather than patching per event keeps the result independent
 * of event order.
 */
import type { Ingress } from "kubernetes-types/networking/v1.js";
import type { Logger } from "../util/log.js";
import { indexServices } from "./backends.js";
import { servesIngress } from "./class.js";
import type { Caches } from "./resources.js";
import type { Router } from "./router.js";
import { buildRouteTable } from "./routes.js";
import type { SniContexts } from "./sni.js";
import { buildTlsTable } from "./tls.js";

export class RouteSync {
  private pending: NodeJS.Immediate | undefined;
  private lastProblems = "";
  private builds = 0;

  constructor(
    private readonly caches: Caches,
    private readonly opts: { className: string; router: Router; sni: SniContexts; log: Logger },
  ) {}

  /** Tables built so far. */
  get buildCount(): number {
    return this.builds;
  }

  /** The Ingresses this controller serves, as the caches have them now. */
  served(): Ingress[] {
    const ourClass = this.caches.classes.store.get(this.opts.className);
    return this.caches.ingresses.store
      .list()
      .filter((ing) => servesIngress(ing, { className: this.opts.className, ourClass }));
  }

  /** Asks for a rebuild soon (once per event-loop turn however often it is asked). */
  schedule(): void {
    this.pending ??= setImmediate(() => {
      this.pending = undefined;
      this.rebuild();
    });
  }

  /** Rebuilds both tables now and swaps them in. */
  rebuild(): void {
    const ingresses = this.served();
    const index = indexServices(this.caches.services.store.list(), this.caches.slices.store.list());
    const { table: tls, problems } = buildTlsTable(ingresses, this.caches.secrets.store.list());
    this.opts.router.swap(buildRouteTable(ingresses, index));
    this.opts.sni.update(tls);
    this.builds++;
    // Report TLS problems when they change, not on every rebuild.
    const text = problems.join("; ");
    if (text && text !== this.lastProblems)
      this.opts.log.warn("TLS entries not served", { problems });
    this.lastProblems = text;
  }

  stop(): void {
    if (this.pending) clearImmediate(this.pending);
    this.pending = undefined;
  }
}
