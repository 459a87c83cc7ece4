/**
 * The engine as the kubelet sees it, with a stopwatch: every CRI call is
 * counted and timed, and the three calls that start a pod are marked per
 * pod (by name), so the benchmark can tell queueing in the kubelet from
 * time spent in the engine.
 */
import type { ContainerConfig, PodSandboxConfig, RuntimeService } from "../../src/runtime/cri.js";
import type { Engine } from "../../src/runtime/engine/engine.js";

export interface PodMarks {
  sandboxAt?: number;
  sandboxDone?: number;
  createAt?: number;
  createDone?: number;
  startAt?: number;
  startDone?: number;
}

export interface CallStats {
  calls: number;
  /** Sum of each call's wall time (calls overlap, so this can exceed elapsed time). */
  ms: number;
}

export class RuntimeTimer {
  readonly marks = new Map<string, PodMarks>();
  readonly calls = new Map<string, CallStats>();
  private readonly podOfContainer = new Map<string, string>();

  reset(): void {
    this.marks.clear();
    this.calls.clear();
  }

  private mark(pod: string): PodMarks {
    let m = this.marks.get(pod);
    if (!m) {
      m = {};
      this.marks.set(pod, m);
    }
    return m;
  }

  private count(method: string, ms: number): void {
    const s = this.calls.get(method) ?? { calls: 0, ms: 0 };
    s.calls++;
    s.ms += ms;
    this.calls.set(method, s);
  }

  /** `engine` behind a proxy that times each call (first marks win: retries keep the first try). */
  wrap(engine: Engine): RuntimeService {
    const timed =
      <A extends unknown[], R>(method: string, fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        const t0 = performance.now();
        try {
          return await fn(...args);
        } finally {
          this.count(method, performance.now() - t0);
        }
      };
    const overrides: Partial<Record<keyof RuntimeService, unknown>> = {
      runPodSandbox: timed("runPodSandbox", async (config: PodSandboxConfig) => {
        const m = this.mark(config.metadata.name);
        m.sandboxAt ??= performance.now();
        const id = await engine.runPodSandbox(config);
        m.sandboxDone ??= performance.now();
        return id;
      }),
      createContainer: timed(
        "createContainer",
        async (
          sandboxId: string,
          request: { config: ContainerConfig; sandboxConfig: PodSandboxConfig },
        ) => {
          const pod = request.sandboxConfig.metadata.name;
          const m = this.mark(pod);
          m.createAt ??= performance.now();
          const id = await engine.createContainer(sandboxId, request);
          m.createDone ??= performance.now();
          this.podOfContainer.set(id, pod);
          return id;
        },
      ),
      startContainer: timed("startContainer", async (id: string) => {
        const pod = this.podOfContainer.get(id);
        const m = pod === undefined ? {} : this.mark(pod);
        m.startAt ??= performance.now();
        await engine.startContainer(id);
        m.startDone ??= performance.now();
      }),
    };
    const wrapped = new Map<PropertyKey, unknown>();
    return new Proxy(engine, {
      get: (target, prop) => {
        if (prop in overrides) return overrides[prop as keyof RuntimeService];
        const v: unknown = Reflect.get(target, prop, target);
        if (typeof v !== "function") return v;
        let w = wrapped.get(prop);
        if (!w) {
          const fn = (v as (...a: unknown[]) => unknown).bind(target);
          w = (...args: unknown[]) => {
            const out = fn(...args);
            if (!(out instanceof Promise)) return out;
            const t0 = performance.now();
            return out.finally(() => this.count(String(prop), performance.now() - t0));
          };
          wrapped.set(prop, w);
        }
        return w;
      },
    }) as unknown as RuntimeService;
  }
}
