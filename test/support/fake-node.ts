// A hollow node that serves its kubelet API: the real kubelet over the fake
// runtime with its HTTPS server on a free loopback port (so the API
// server's metrics scrape and pods/log reach it), and simulated resource
// usage a test sets per container.
import { join } from "node:path";
import type { RestClient } from "../../src/client/rest/client.js";
import { POD_NAME, POD_NAMESPACE } from "../../src/kubelet/cri/labels.js";
import { Kubelet } from "../../src/kubelet/kubelet.js";
import { standardDeps } from "../../src/kubelet/wiring.js";
import {
  FakeImageService,
  FakeRuntimeService,
  type FakeUsage,
} from "../../src/runtime/fake/index.js";
import { silentLogger } from "../../src/util/log.js";
import { tempDir } from "./tmp.js";

export interface FakeNode {
  readonly nodeName: string;
  readonly runtime: FakeRuntimeService;
  /** Sets what every container of pods whose name starts with `podPrefix` uses from now on. */
  setUsage(podPrefix: string, usage: FakeUsage | undefined): void;
  /** Stops the kubelet and removes its dirs. */
  remove(): Promise<void>;
}

/**
 * Starts a kubelet for `nodeName` over a fake runtime. `clientCA` is the
 * cluster CA the kubelet server trusts (the API server's kubelet client
 * certificate is signed by it).
 */
export async function startFakeNode(
  rest: RestClient,
  opts: { nodeName: string; clientCA: string | Buffer },
): Promise<FakeNode> {
  const dir = tempDir(`node-${opts.nodeName}`);
  const images = new FakeImageService();
  const runtime = new FakeRuntimeService({ images });
  const usages = new Map<string, FakeUsage>();
  runtime.usage = ({ labels }) => {
    const pod = labels[POD_NAME] ?? "";
    if (labels[POD_NAMESPACE] === undefined) return undefined;
    for (const [prefix, usage] of usages) if (pod.startsWith(prefix)) return usage;
    return undefined;
  };
  const rootDir = join(dir.path, "root");
  const kubelet = new Kubelet({
    rest,
    nodeName: opts.nodeName,
    rootDir,
    logsDir: join(dir.path, "logs"),
    runtime,
    images,
    runtimeName: "fake",
    runtimeVersion: "fake://test",
    nodeIPs: ["127.0.0.1"],
    log: silentLogger,
    relistMs: 200,
    resyncMs: 1000,
    statusUpdateMs: 500,
    leaseRenewMs: 500,
    server: { port: 0, address: "127.0.0.1", clientCA: opts.clientCA },
    makeDeps: standardDeps({
      runtime,
      clusterDNS: ["10.43.0.10"],
      clusterDomain: "cluster.local",
      hostResolvConf: "nameserver 192.0.2.53\n",
      hostEtcHosts: "127.0.0.1 localhost\n",
    }),
  });
  try {
    await kubelet.start();
  } catch (err) {
    dir.remove();
    throw err;
  }
  return {
    nodeName: opts.nodeName,
    runtime,
    setUsage(prefix, usage) {
      if (usage) usages.set(prefix, usage);
      else usages.delete(prefix);
    },
    async remove() {
      try {
        await kubelet.stop();
      } finally {
        dir.remove();
      }
    },
  };
}
