// A hollow node for the controllers' API server: the real kubelet over the
// fake runtime, heartbeating fast, that a test can stop (the node goes
// silent, its pods stay in the API) and start again over the same dirs.
import { join } from "node:path";
import type { RestClient } from "../../../src/client/rest/client.js";
import { Kubelet } from "../../../src/kubelet/kubelet.js";
import { standardDeps } from "../../../src/kubelet/wiring.js";
import { FakeImageService, FakeRuntimeService } from "../../../src/runtime/fake/index.js";
import { silentLogger } from "../../../src/util/log.js";
import { tempDir } from "../../support/tmp.js";

export interface FakeKubelet {
  readonly nodeName: string;
  /** Stops the kubelet: no more status posts or lease renewals. */
  stop(): Promise<void>;
  /** A new kubelet for the same node (a restart after an outage). */
  start(): Promise<void>;
  /** Stops it if running and removes its dirs. */
  remove(): Promise<void>;
}

export async function startFakeKubelet(
  rest: RestClient,
  opts: { nodeName: string; heartbeatMs?: number },
): Promise<FakeKubelet> {
  const dir = tempDir(`kubelet-${opts.nodeName}`);
  const images = new FakeImageService();
  const runtime = new FakeRuntimeService({ images });
  const rootDir = join(dir.path, "root");
  const make = () =>
    new Kubelet({
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
      statusUpdateMs: opts.heartbeatMs ?? 500,
      leaseRenewMs: opts.heartbeatMs ?? 500,
      makeDeps: standardDeps({
        runtime,
        clusterDNS: ["10.43.0.10"],
        clusterDomain: "cluster.local",
        hostResolvConf: "nameserver 192.0.2.53\n",
        hostEtcHosts: "127.0.0.1 localhost\n",
      }),
    });
  let kubelet: Kubelet | undefined = make();
  await kubelet.start();
  return {
    nodeName: opts.nodeName,
    async stop() {
      await kubelet?.stop();
      kubelet = undefined;
    },
    async start() {
      if (kubelet) return;
      kubelet = make();
      await kubelet.start();
    },
    async remove() {
      await kubelet?.stop();
      kubelet = undefined;
      dir.remove();
    },
  };
}
