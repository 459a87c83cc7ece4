import type { Namespace } from "kubernetes-types/core/v1.js";
import { Controller, RequeueAfter } from "../../client/controller/runner.js";
import type { Informer } from "../../client/informer/informer.js";
import { isConflict, isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { NAMESPACES } from "../common/resources.js";
import type { ControllerContext, RunnableController } from "../manager/context.js";
import { type DeletionReport, nextConditions } from "./conditions.js";
import { ContentDeleter } from "./content.js";
import { requeueDelayMs } from "./estimate.js";

/** The spec finalizer this controller owns. */
export const KUBERNETES_FINALIZER = "kubernetes";

export interface NamespaceControllerOptions {
  /**
   * Wait after a namespace is marked for deletion before emptying it, so
   * creates admitted just before the mark land first. Upstream waits 5 s
   * because HA API servers admit from caches; one server admitting from
   * storage only has in-flight requests to cover (default 1 s).
   */
  readonly deletionGracePeriodMs?: number;
}

/** Several things failed while emptying a namespace. */
export class NamespaceDeletionError extends AggregateError {
  constructor(namespace: string, errors: readonly unknown[]) {
    super(
      errors,
      `namespace ${namespace}: ${errors.map((e) => (e instanceof Error ? e.message : String(e))).join("; ")}`,
    );
    this.name = "NamespaceDeletionError";
  }
}

/**
 * Deletes the content of namespaces being deleted (upstream
 * pkg/controller/namespace): once a namespace has a deletionTimestamp,
 * every namespaced object in it is deleted, its status conditions say
 * what is left and why, and when nothing is left the `kubernetes` spec
 * finalizer is removed through /finalize, letting the API server remove
 * the namespace.
 */
export class NamespaceController implements RunnableController {
  private readonly controller: Controller;
  private readonly namespaces: Informer<Namespace>;
  private readonly client: ResourceClient<Namespace>;
  private readonly content: ContentDeleter;
  private readonly gracePeriodMs: number;

  constructor(
    private readonly ctx: ControllerContext,
    opts: NamespaceControllerOptions = {},
  ) {
    this.gracePeriodMs = opts.deletionGracePeriodMs ?? 1000;
    this.namespaces = ctx.informers.informerFor<Namespace>(NAMESPACES);
    this.client = ctx.client(NAMESPACES);
    this.content = new ContentDeleter(ctx.rest, () => ctx.clock.now());
    this.controller = new Controller({
      name: "namespace-controller",
      sync: (key) => this.sync(key),
      waitForSync: () => this.namespaces.waitForSync(),
      log: ctx.log,
    });
    this.namespaces.addEventHandler({
      onAdd: (ns) => this.enqueue(ns),
      onUpdate: (_old, ns) => this.enqueue(ns),
    });
  }

  run(workers: number): Promise<void> {
    return this.controller.run(workers);
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  private enqueue(ns: Namespace): void {
    if (!ns.metadata?.deletionTimestamp) return;
    this.controller.queue.addAfter(ns.metadata.name ?? "", this.gracePeriodMs);
  }

  async sync(name: string): Promise<RequeueAfter | undefined> {
    // Several writers touch a terminating namespace: work from its latest state.
    let ns: Namespace;
    try {
      ns = await this.client.get(name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    if (!ns.metadata?.deletionTimestamp) return undefined;
    const marked = await this.retryOnConflict(ns, (n) => this.markTerminating(n));
    if (!marked) return undefined;
    ns = marked;
    if ((ns.spec?.finalizers ?? []).length === 0) return undefined;

    const result = await this.content.deleteAllContent(ns);
    ns = await this.writeConditions(ns, result.report);
    if (result.errors.length > 0) throw new NamespaceDeletionError(name, result.errors);
    if (result.estimateSeconds > 0) return new RequeueAfter(requeueDelayMs(result.estimateSeconds));
    await this.retryOnConflict(ns, (n) => this.finalize(n));
    return undefined;
  }

  /** Phase Terminating (the API server sets it on delete; this covers older objects). */
  private async markTerminating(ns: Namespace): Promise<Namespace> {
    if (ns.status?.phase === "Terminating") return ns;
    return this.client.updateStatus({
      ...structuredClone(ns),
      status: { ...ns.status, phase: "Terminating" },
    });
  }

  /** PUT /finalize without our finalizer; the API server then removes the namespace. */
  private async finalize(ns: Namespace): Promise<Namespace> {
    const finalizers = [...new Set(ns.spec?.finalizers ?? [])]
      .filter((f) => f !== KUBERNETES_FINALIZER)
      .sort();
    const name = ns.metadata?.name ?? "";
    return this.ctx.rest.request<Namespace>({
      method: "PUT",
      path: this.client.path({ name, subresource: "finalize" }),
      body: { ...structuredClone(ns), spec: { ...ns.spec, finalizers } },
    });
  }

  private async writeConditions(ns: Namespace, report: DeletionReport): Promise<Namespace> {
    const now = new Date(this.ctx.clock.now()).toISOString().replace(/\.\d+Z$/, "Z");
    const { conditions, changed } = nextConditions(ns.status?.conditions ?? [], { report, now });
    if (!changed) return ns;
    try {
      return await this.client.updateStatus({
        ...structuredClone(ns),
        status: { ...ns.status, conditions },
      });
    } catch (err) {
      // Conditions are informational: the next pass writes them again.
      this.ctx.log.warn("namespace conditions not written", {
        namespace: ns.metadata?.name,
        err: String(err),
      });
      return ns;
    }
  }

  /**
   * Runs `fn`, re-reading the namespace after a conflict. Undefined when
   * the namespace is gone (or was replaced by another of the same name).
   */
  private async retryOnConflict(
    ns: Namespace,
    fn: (ns: Namespace) => Promise<Namespace>,
  ): Promise<Namespace | undefined> {
    let current = ns;
    for (;;) {
      try {
        return await fn(current);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        if (!isConflict(err)) throw err;
      }
      let latest: Namespace;
      try {
        latest = await this.client.get(current.metadata?.name ?? "");
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
      if (latest.metadata?.uid !== current.metadata?.uid) return undefined;
      current = latest;
    }
  }
}
