import { SharedInformerFactory } from "../../client/informer/factory.js";
import type { RestClient } from "../../client/rest/client.js";
import { type Clock, realClock } from "../../client/util/clock.js";
import type { Logger } from "../../util/log.js";
import { type ControllerConfig, newControllerContext } from "./context.js";
import { CONTROLLERS, type ControllerName } from "./registry.js";

/**
 * Which controllers `--controllers` turns on (upstream's syntax): `*`
 * is every default-on controller, `name` adds one, `-name` removes one.
 */
export function selectControllers(spec: readonly string[]): ControllerName[] {
  const known = Object.keys(CONTROLLERS) as ControllerName[];
  for (const item of spec) {
    const name = item.startsWith("-") ? item.slice(1) : item;
    if (name !== "*" && !known.includes(name as ControllerName))
      throw new Error(`unknown controller ${JSON.stringify(name)}; known: ${known.join(", ")}`);
  }
  return known.filter((name) => {
    if (spec.includes(`-${name}`)) return false;
    if (spec.includes(name)) return true;
    return spec.includes("*") && CONTROLLERS[name].enabledByDefault;
  });
}

/**
 * The controller manager: one shared informer factory, the chosen
 * controllers built on it, their workers started once the caches sync.
 */
export class ControllerManager {
  private readonly informers: SharedInformerFactory;
  private readonly ctx: ReturnType<typeof newControllerContext>;
  private readonly running: { name: string; stop(): Promise<void> }[] = [];

  constructor(
    rest: RestClient,
    private readonly opts: {
      controllers: readonly ControllerName[];
      log: Logger;
      clock?: Clock;
      /** Workers per controller (default: the registry's). */
      workers?: number;
      config?: Partial<ControllerConfig>;
    },
  ) {
    const clock = opts.clock ?? realClock;
    this.informers = new SharedInformerFactory(rest, { clock });
    this.ctx = newControllerContext({
      rest,
      informers: this.informers,
      log: opts.log,
      clock,
      ...(opts.config ? { config: opts.config } : {}),
    });
  }

  async start(): Promise<void> {
    const built = this.opts.controllers.map((name) => ({
      name,
      controller: CONTROLLERS[name].create(this.ctx),
      workers: this.opts.workers ?? CONTROLLERS[name].workers,
    }));
    this.informers.start();
    for (const b of built) {
      this.running.push({ name: b.name, stop: () => b.controller.stop() });
      void b.controller.run(b.workers).catch((err: unknown) =>
        this.opts.log.error("controller failed to start", {
          controller: b.name,
          err: String(err),
        }),
      );
      this.opts.log.info("started controller", { controller: b.name });
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.map((r) => r.stop()));
    await this.informers.stop();
    await this.ctx.flushEvents();
  }
}
