/**
 * A kubelet for system tests: a real API server on loopback, the kubelet
 * in-process with its real subsystems over the given runtime, temp dirs for
 * its state, and kubectl against the API server. stop() removes it all.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Pod } from "kubernetes-types/core/v1.js";
import { RestClient } from "../../src/client/rest/client.js";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { Kubelet, type KubeletOptions } from "../../src/kubelet/kubelet.js";
import { mountsUnder, unmount } from "../../src/kubelet/volumes/mounter.js";
import { standardDeps } from "../../src/kubelet/wiring.js";
import type { ImageService, RuntimeService } from "../../src/runtime/cri.js";
import { silentLogger } from "../../src/util/log.js";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { kubectl, kubectlOk } from "../support/kubectl.js";
import { tempDir } from "../support/tmp.js";

export interface KubeletHarness {
  readonly server: TestApiServer;
  readonly kubeconfig: string;
  readonly rest: RestClient;
  readonly rootDir: string;
  readonly manifests: string;
  readonly nodeName: string;
  kubelet: Kubelet;
  kubectl(args: readonly string[], input?: string): Promise<string>;
  /** kubectl that may fail: code, stdout, stderr. */
  kubectlRaw(args: readonly string[], input?: string): ReturnType<typeof kubectl>;
  getPod(name: string, namespace?: string): Promise<Pod | undefined>;
  /** A new kubelet over the same runtime and dirs (a kubelet restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startKubelet(opts: {
  runtime: RuntimeService;
  images: ImageService;
  runtimeName: string;
  nodeName?: string;
  extra?: Partial<KubeletOptions>;
  /** Options of the API server the kubelet talks to. */
  apiserver?: Parameters<typeof startTestApiServer>[0];
}): Promise<KubeletHarness> {
  const server = await startTestApiServer(opts.apiserver);
  const dir = tempDir("kubelet");
  const rootDir = join(dir.path, "root");
  const manifests = join(dir.path, "manifests");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(manifests, { recursive: true });
  const resolv = join(dir.path, "resolv.conf");
  writeFileSync(resolv, "nameserver 192.0.2.53\nsearch example.test\n");
  const kubeconfig = server.adminKubeconfig;
  const config = loadKubeconfig({ path: kubeconfig });
  const rest = new RestClient(config);
  const nodeName = opts.nodeName ?? "node-1";
  const make = () =>
    new Kubelet({
      rest,
      nodeName,
      rootDir,
      logsDir: join(dir.path, "logs"),
      podManifestPath: manifests,
      runtime: opts.runtime,
      images: opts.images,
      runtimeName: opts.runtimeName,
      runtimeVersion: `${opts.runtimeName}://test`,
      nodeIPs: ["127.0.0.1"],
      log: silentLogger,
      relistMs: 200,
      resyncMs: 1000,
      staticPollMs: 200,
      server: { port: 0, address: "127.0.0.1", clientCA: config.ca ?? "" },
      makeDeps: standardDeps({
        runtime: opts.runtime,
        clusterDNS: ["10.43.0.10"],
        clusterDomain: "cluster.local",
        hostResolvConf: "nameserver 192.0.2.53\nsearch example.test\n",
        hostEtcHosts: "127.0.0.1 localhost\n",
      }),
      ...(opts.extra ?? {}),
    });
  const h: KubeletHarness = {
    server,
    kubeconfig,
    rest,
    rootDir,
    manifests,
    nodeName,
    kubelet: make(),
    kubectl: (args, input) => kubectlOk(kubeconfig, args, input === undefined ? {} : { input }),
    kubectlRaw: (args, input) => kubectl(kubeconfig, args, input === undefined ? {} : { input }),
    async getPod(name, namespace = "default") {
      const r = await kubectl(kubeconfig, ["get", "pod", name, "-n", namespace, "-o", "json"]);
      return r.code === 0 ? (JSON.parse(r.stdout) as Pod) : undefined;
    },
    async restart() {
      await h.kubelet.stop();
      h.kubelet = make();
      await h.kubelet.start();
    },
    async stop() {
      try {
        await h.kubelet.stop();
      } finally {
        rest.close();
        await server.stop();
        // A pod the kubelet had no time to tear down keeps its tmpfs volumes: never leak them.
        for (const m of await mountsUnder(dir.path)) await unmount(m).catch(() => {});
        dir.remove();
      }
    },
  };
  try {
    await h.kubelet.start();
  } catch (err) {
    await h.stop();
    throw err;
  }
  return h;
}
