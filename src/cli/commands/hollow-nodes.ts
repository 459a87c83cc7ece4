import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { RestClient } from "../../client/rest/client.js";
import { loadKubeconfig } from "../../client/rest/config.js";
import { Kubelet } from "../../kubelet/kubelet.js";
import { standardDeps } from "../../kubelet/wiring.js";
import { FakeImageService, FakeRuntimeService } from "../../runtime/fake/index.js";
import { createLogger } from "../../util/log.js";
import { K8TS_VERSION } from "../../version.js";
import { terminationSignal } from "../signals.js";

interface HollowFlags {
  kubeconfig: string;
  count: string;
  namePrefix: string;
  rootDir: string;
}

/**
 * `k8ts hollow-nodes`: N kubelets over the fake runtime in one process (the
 * kubemark idea): real node registration, leases, pod workers and status
 * reporting, no containers. For scheduler and control-plane scale tests.
 */
export function registerHollowNodes(program: Command): void {
  program
    .command("hollow-nodes")
    .description("run N hollow kubelets (fake runtime) in one process, for scale tests")
    .requiredOption("--kubeconfig <file>", "kubeconfig to reach the API server")
    .option("--count <n>", "how many nodes", "10")
    .option("--name-prefix <prefix>", "node names are <prefix><index>", "hollow-node-")
    .option(
      "--root-dir <dir>",
      "state of the hollow kubelets (one sub-directory each)",
      "/var/lib/k8ts/hollow",
    )
    .action(async (flags: HollowFlags) => {
      const count = Number(flags.count);
      if (!Number.isInteger(count) || count < 1)
        throw new Error(`invalid --count ${JSON.stringify(flags.count)}`);
      const log = createLogger("hollow-nodes", { minLevel: "warn" });
      const config = loadKubeconfig({ path: flags.kubeconfig });
      const rest = new RestClient({ ...config, userAgent: "k8ts-hollow-nodes" });
      const stop = terminationSignal();
      const kubelets: Kubelet[] = [];
      for (let i = 0; i < count && !stop.received(); i++) {
        const nodeName = `${flags.namePrefix}${i}`;
        const rootDir = join(flags.rootDir, nodeName);
        mkdirSync(rootDir, { recursive: true });
        const images = new FakeImageService();
        const runtime = new FakeRuntimeService({
          images,
          podCidr: `10.${64 + Math.floor(i / 256)}.${i % 256}.0/24`,
        });
        const kubelet = new Kubelet({
          rest,
          nodeName,
          rootDir,
          runtime,
          images,
          runtimeName: "fake",
          runtimeVersion: `fake://${K8TS_VERSION}`,
          nodeLabels: { "k8ts.io/hollow": "true" },
          log,
          makeDeps: standardDeps({
            runtime,
            clusterDNS: [],
            clusterDomain: "cluster.local",
            hostResolvConf: "",
            hostEtcHosts: "",
          }),
        });
        await kubelet.start();
        kubelets.push(kubelet);
      }
      console.log(`${count} hollow nodes running (${flags.namePrefix}0..${count - 1})`);
      await stop.promise;
      await Promise.all(kubelets.map((k) => k.stop()));
      rest.close();
    });
}
