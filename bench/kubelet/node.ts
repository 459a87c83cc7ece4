/**
 * One node for the kubelet benchmark: a loopback docker-registry holding
 * the test images (the docker.io mirror), an API server in its own process,
 * the runc engine with a CNI bridge of the benchmark's own (k8tb0,
 * 10.199.0.0/16, apart from the test suites' k8tk* / 10.200+), and the
 * kubelet in this process wired as `k8ts kubelet` wires it (default relist,
 * resync and API rate limits). stop() tears everything down, whatever
 * state it is in.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Pod } from "kubernetes-types/core/v1.js";
import { RestClient } from "../../src/client/rest/client.js";
import { type ClientConfig, loadKubeconfig } from "../../src/client/rest/config.js";
import { ResourceClient } from "../../src/client/rest/resource.js";
import { Kubelet } from "../../src/kubelet/kubelet.js";
import { standardDeps } from "../../src/kubelet/wiring.js";
import type { RuntimeService } from "../../src/runtime/cri.js";
import { Engine } from "../../src/runtime/engine/engine.js";
import { StoreImageService } from "../../src/runtime/engine/image-service.js";
import { CniPodNetwork } from "../../src/runtime/engine/pod-network.js";
import { ImageStore } from "../../src/runtime/images/index.js";
import { createLogger } from "../../src/util/log.js";
import { bridgeNetwork, deleteBridge } from "../../test/support/cni.js";
import { REGISTRY_BINARY, startRegistry, type TestRegistry } from "../../test/support/registry.js";
import { dockerHubMirror, publishTestImages } from "../../test/support/test-images.js";
import { tempDir } from "../../test/support/tmp.js";
import { type BenchServer, startBenchServer } from "../support/server.js";

export const BRIDGE = "k8tb0";
export const SUBNET = "10.199.0.0/16";
export const NODE_NAME = "bench-node";
const RUNC = "/usr/sbin/runc";
const RESOLV = "nameserver 192.0.2.53\nsearch example.test\n";

export const PODS_REF = { group: "", version: "v1", resource: "pods", namespaced: true } as const;

/** Refuses to start without root or the host tools the engine needs. */
export function checkHost(): void {
  if (process.getuid?.() !== 0) {
    throw new Error(
      "bench:kubelet needs root (runc, conmon, network namespaces, a CNI bridge): run `sudo npm run bench:kubelet`",
    );
  }
  for (const path of [
    RUNC,
    "/usr/bin/conmon",
    "/usr/bin/catatonit",
    "/usr/lib/cni/bridge",
    "/usr/lib/cni/host-local",
    REGISTRY_BINARY,
    // scripts/test-images.ts builds the images from these.
    "/usr/bin/busybox",
    "/usr/sbin/nginx",
    "/usr/bin/skopeo",
  ]) {
    if (!existsSync(path))
      throw new Error(`bench:kubelet needs ${path} (see .ci/run for packages)`);
  }
}

export interface BenchNode {
  readonly dir: string;
  /** The engine's state directory (conmon command lines name it). */
  readonly stateDir: string;
  readonly engine: Engine;
  readonly images: StoreImageService;
  /** The benchmark's own client (not rate limited, apart from the kubelet's). */
  readonly rest: RestClient;
  readonly pods: ResourceClient<Pod>;
  /** Where the --trace-runc wrapper logs runc subcommands, one a line. */
  readonly runcTrace: string | undefined;
  /** Warnings and errors the kubelet logged. */
  readonly kubeletLog: string[];
  readonly kubelet: Kubelet | undefined;
  /** Starts the kubelet over `runtime` (the engine, or a wrapper of it). */
  startKubelet(runtime: RuntimeService, opts?: { qps?: number }): Promise<void>;
  stopKubelet(): Promise<void>;
  /** Removes every sandbox (and its containers) left in the engine. */
  clearEngine(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchNode(opts: { traceRunc?: boolean } = {}): Promise<BenchNode> {
  const dir = tempDir("bench-kubelet");
  const runcTrace = opts.traceRunc ? join(dir.path, "runc-trace.log") : undefined;
  const stateDir = join(dir.path, "engine");
  const ipamDir = join(dir.path, "ipam");
  const rootDir = join(dir.path, "kubelet");
  const manifests = join(dir.path, "manifests");
  let registry: TestRegistry | undefined;
  let server: BenchServer | undefined;
  let rest: RestClient | undefined;
  let kubeletRest: RestClient | undefined;
  let engine: Engine | undefined;
  let kubelet: Kubelet | undefined;
  const kubeletLog: string[] = [];
  let config: ClientConfig | undefined;

  const stopKubelet = async () => {
    const k = kubelet;
    kubelet = undefined;
    try {
      await k?.stop();
    } finally {
      kubeletRest?.close();
      kubeletRest = undefined;
    }
  };
  const clearEngine = async () => {
    for (const s of (await engine?.listPodSandbox().catch(() => [])) ?? []) {
      await engine?.stopPodSandbox(s.id).catch(() => {});
      await engine?.removePodSandbox(s.id).catch(() => {});
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const step = async (what: string, fn: () => Promise<unknown> | unknown) => {
        try {
          await fn();
        } catch (err) {
          console.error(`cleanup: ${what} failed: ${String(err)}`);
        }
      };
      await step("stop kubelet", stopKubelet);
      await step("remove sandboxes", clearEngine);
      // Anything runc still knows (a crash mid-create leaves no engine record).
      await step("runc leftovers", async () => {
        if (!engine) return;
        for (const s of await engine.runc.list().catch(() => []))
          await engine.runc.delete(s.id, { force: true }).catch(() => {});
      });
      await step("unmount rootfs", () => unmountUnder(dir.path));
      await step("delete bridge", () => deleteBridge(BRIDGE));
      await step("close client", () => rest?.close());
      await step("stop registry", () => registry?.stop());
      await step("stop API server", () => server?.stop());
      await step("remove temp dir", () => dir.remove());
    })();
    return stopping;
  };

  try {
    deleteBridge(BRIDGE);
    mkdirSync(ipamDir, { recursive: true });
    mkdirSync(manifests, { recursive: true });
    const started = await Promise.all([
      startRegistry().then(async (r) => {
        registry = r;
        await publishTestImages(r.address);
        return r;
      }),
      startBenchServer("bench-kubelet-apiserver").then((s) => {
        server = s;
        return s;
      }),
    ]);
    const reg = started[0];
    config = loadKubeconfig({ path: started[1].kubeconfig });
    rest = new RestClient({ ...config, qps: 1e6, burst: 1e6, userAgent: "bench-kubelet" });
    const store = await ImageStore.open(join(dir.path, "images"));
    const images = new StoreImageService(store, dockerHubMirror(reg.address));
    engine = new Engine({
      stateDir,
      images: store,
      nodeIp: "127.0.0.1",
      ...(runcTrace ? { runcPath: writeRuncTracer(dir.path, runcTrace) } : {}),
      network: new CniPodNetwork(
        bridgeNetwork({ name: "k8ts-bench", bridge: BRIDGE, subnet: SUBNET, ipamDir }),
      ),
    });
    const eng = engine;
    const cfg = config;
    return {
      dir: dir.path,
      stateDir,
      engine: eng,
      images,
      rest,
      pods: new ResourceClient<Pod>(rest, PODS_REF),
      kubeletLog,
      runcTrace,
      get kubelet() {
        return kubelet;
      },
      async startKubelet(runtime, o = {}) {
        if (kubelet) throw new Error("kubelet already running");
        kubeletRest = new RestClient({
          ...cfg,
          userAgent: `k8ts-kubelet/${NODE_NAME}`,
          ...(o.qps ? { qps: o.qps, burst: o.qps * 2 } : {}),
        });
        const k = new Kubelet({
          rest: kubeletRest,
          nodeName: NODE_NAME,
          rootDir,
          podManifestPath: manifests,
          runtime,
          images,
          runtimeName: "k8ts",
          runtimeVersion: "k8ts://bench",
          nodeIPs: ["127.0.0.1"],
          log: createLogger("kubelet", {
            minLevel: "warn",
            write: (line) => {
              if (kubeletLog.length < 1000) kubeletLog.push(line);
            },
          }),
          server: { port: 0, address: "127.0.0.1", clientCA: cfg.ca ?? "" },
          makeDeps: standardDeps({
            runtime,
            clusterDNS: ["10.43.0.10"],
            clusterDomain: "cluster.local",
            hostResolvConf: RESOLV,
            hostEtcHosts: "127.0.0.1 localhost\n",
          }),
        });
        kubelet = k;
        await k.start();
      },
      stopKubelet,
      clearEngine,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Unmounts whatever is still mounted below `dir` (container rootfs overlays), deepest first. */
function unmountUnder(dir: string): void {
  let mounts: string[];
  try {
    mounts = execFileSync("findmnt", ["-rn", "-o", "TARGET"], { encoding: "utf8" })
      .split("\n")
      .filter((m) => m.startsWith(`${dir}/`));
  } catch {
    return;
  }
  for (const m of mounts.sort((a, b) => b.length - a.length)) {
    try {
      execFileSync("umount", ["-l", m], { stdio: "ignore" });
    } catch {
      // already gone
    }
  }
}

/** A runc wrapper that appends each invocation's subcommand to `log` (the --trace-runc diagnostic). */
function writeRuncTracer(dir: string, log: string): string {
  const path = join(dir, "runc-trace.sh");
  writeFileSync(
    path,
    `#!/bin/sh
for a in "$@"; do
  case "$a" in
    create|start|state|list|kill|delete|exec|run|events|ps) echo "$a" >> '${log}'; break ;;
  esac
done
exec ${RUNC} "$@"
`,
    { mode: 0o755 },
  );
  return path;
}
