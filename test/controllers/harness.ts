// A real API server plus chosen controllers in this process, observed with
// the real kubectl. No kubelet: tests play the kubelet by writing pod
// status through the API when they need pods to run, succeed or fail.
import type { Pod } from "kubernetes-types/core/v1.js";
import { SharedInformerFactory } from "../../src/client/informer/factory.js";
import { RestClient } from "../../src/client/rest/client.js";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { ResourceClient } from "../../src/client/rest/resource.js";
import { realClock } from "../../src/client/util/clock.js";
import { PODS } from "../../src/controllers/common/resources.js";
import {
  type ControllerContext,
  newControllerContext,
  type RunnableController,
} from "../../src/controllers/manager/context.js";
import { silentLogger } from "../../src/util/log.js";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { kubectl, kubectlOk } from "../support/kubectl.js";

export { until } from "../kubelet/harness.js";

export interface ControllerHarness {
  readonly server: TestApiServer;
  readonly kubeconfig: string;
  readonly rest: RestClient;
  readonly ctx: ControllerContext;
  kubectl(args: readonly string[], input?: string): Promise<string>;
  kubectlRaw(args: readonly string[], input?: string): ReturnType<typeof kubectl>;
  /** Pods in a namespace, straight from the API. */
  pods(namespace?: string, labelSelector?: string): Promise<Pod[]>;
  /** Plays the kubelet: sets a pod's phase, Ready condition and container state. */
  setPodPhase(
    pod: Pod,
    phase: "Pending" | "Running" | "Succeeded" | "Failed",
    opts?: { ready?: boolean; exitCode?: number },
  ): Promise<void>;
  /**
   * Plays a kubelet for every pod: pods not yet running are made Running
   * and Ready after `delayMs`. Returns a function that stops it.
   */
  runPods(opts?: {
    delayMs?: number;
    namespace?: string;
    /** Pods to leave pending (they never start). */
    skip?: (pod: Pod) => boolean;
  }): () => Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts an API server and the controllers `create` builds on one shared
 * informer factory, then waits for their caches.
 */
export async function startControllers(
  create: (ctx: ControllerContext) => RunnableController[],
  opts: { workers?: number; apiserver?: Parameters<typeof startTestApiServer>[0] } = {},
): Promise<ControllerHarness> {
  const server = await startTestApiServer(opts.apiserver);
  const kubeconfig = server.adminKubeconfig;
  const rest = new RestClient({
    ...loadKubeconfig({ path: kubeconfig }),
    userAgent: "controller-test",
  });
  const informers = new SharedInformerFactory(rest);
  const ctx = newControllerContext({ rest, informers, log: silentLogger, clock: realClock });
  const controllers = create(ctx);
  informers.start();
  await Promise.all(controllers.map((c) => c.run(opts.workers ?? 2)));
  const podClient = new ResourceClient<Pod>(rest, PODS);
  const harness: ControllerHarness = {
    server,
    kubeconfig,
    rest,
    ctx,
    kubectl: (args, input) => kubectlOk(kubeconfig, args, input === undefined ? {} : { input }),
    kubectlRaw: (args, input) => kubectl(kubeconfig, args, input === undefined ? {} : { input }),
    async pods(namespace = "default", labelSelector) {
      const list = await podClient.list({ namespace, ...(labelSelector ? { labelSelector } : {}) });
      return list.items;
    },
    async setPodPhase(pod, phase, o = {}) {
      const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
      const ready = o.ready ?? phase === "Running";
      const containers = pod.spec?.containers ?? [];
      const state =
        phase === "Running"
          ? { running: { startedAt: now } }
          : phase === "Pending"
            ? { waiting: { reason: "ContainerCreating" } }
            : {
                terminated: {
                  exitCode: o.exitCode ?? (phase === "Succeeded" ? 0 : 1),
                  reason: phase === "Succeeded" ? "Completed" : "Error",
                  startedAt: now,
                  finishedAt: now,
                },
              };
      await podClient.patch(
        pod.metadata?.name ?? "",
        {
          status: {
            phase,
            conditions: [
              { type: "Ready", status: ready ? "True" : "False", lastTransitionTime: now },
              {
                type: "ContainersReady",
                status: ready ? "True" : "False",
                lastTransitionTime: now,
              },
            ],
            containerStatuses: containers.map((c) => ({
              name: c.name,
              image: c.image,
              imageID: "",
              ready,
              restartCount: 0,
              started: phase === "Running",
              state,
            })),
          },
        },
        { namespace: pod.metadata?.namespace ?? "default", subresource: "status", type: "merge" },
      );
    },
    runPods(o = {}) {
      let running = true;
      const seen = new Map<string, number>();
      const loop = (async () => {
        while (running) {
          const pods = await harness.pods(o.namespace ?? "default").catch(() => []);
          const now = Date.now();
          for (const p of pods) {
            const uid = p.metadata?.uid ?? "";
            if (p.metadata?.deletionTimestamp || p.status?.phase === "Running") continue;
            if (o.skip?.(p)) continue;
            if (!seen.has(uid)) seen.set(uid, now);
            if (now - (seen.get(uid) ?? now) < (o.delayMs ?? 200)) continue;
            await harness.setPodPhase(p, "Running").catch(() => undefined);
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      return async () => {
        running = false;
        await loop;
      };
    },
    async stop() {
      await Promise.all(controllers.map((c) => c.stop()));
      await informers.stop();
      rest.close();
      await server.stop();
    },
  };
  return harness;
}
