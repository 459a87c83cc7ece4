import { Counter, Histogram, Registry } from "prom-client";

/** The API server's Prometheus metrics, under upstream's names and labels. */
export class ApiServerMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: "apiserver_request_total",
    help: "Counter of apiserver requests broken out for each verb, group, version, resource, scope, component, and HTTP response code.",
    labelNames: [
      "verb",
      "group",
      "version",
      "resource",
      "subresource",
      "scope",
      "component",
      "code",
    ],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: "apiserver_request_duration_seconds",
    help: "Response latency distribution in seconds for each verb, group, version, resource, subresource, scope and component.",
    labelNames: ["verb", "group", "version", "resource", "subresource", "scope", "component"],
    buckets: [
      0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30,
      45, 60,
    ],
    registers: [this.registry],
  });

  observe(r: {
    verb: string;
    group: string;
    version: string;
    resource: string;
    subresource: string;
    scope: string;
    code: number;
    seconds: number;
  }): void {
    const labels = {
      verb: r.verb.toUpperCase(),
      group: r.group,
      version: r.version,
      resource: r.resource,
      subresource: r.subresource,
      scope: r.scope,
      component: "apiserver",
    };
    this.requests.inc({ ...labels, code: String(r.code) });
    // Watches are long by design; upstream leaves them out of the latency histogram.
    if (r.verb !== "watch") this.duration.observe(labels, r.seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
