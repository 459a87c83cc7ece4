import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { PodCgroups } from "../kubelet/cgroups/pod-cgroups.js";
import { mountsUnder, unmount } from "../kubelet/volumes/mounter.js";
import { loadDefaultNetwork } from "../network/cni/index.js";
import { cleanupPodNetwork } from "../network/routes/cleanup.js";
import { cleanupRules } from "../proxy/proxy.js";
import { Engine } from "../runtime/engine/engine.js";
import { CniPodNetwork } from "../runtime/engine/pod-network.js";
import { ImageStore } from "../runtime/images/index.js";
import { LocalRuntime } from "../runtime/local/local-runtime.js";
import type { Logger } from "../util/log.js";
import { agentPaths } from "./agent.js";

/**
 * `k8ts reset`: undoes what `k8ts server` did to this machine (kubeadm
 * reset's job). Every pod sandbox and container of the engine is stopped
 * and removed — which also runs CNI DEL, so addresses, veths and the
 * plugins' iptables rules go — then the pod cgroups, the proxy's KUBE-*
 * chains, the pod network's bridge, mounts left under the data dir, and
 * the data dir.
 */
export async function resetNode(opts: { dataDir: string; log: Logger }): Promise<void> {
  const paths = agentPaths(opts.dataDir);
  const list = existsSync(paths.cniConfDir)
    ? await loadDefaultNetwork(paths.cniConfDir)
    : undefined;
  if (existsSync(paths.engine)) {
    const engine = new Engine({
      stateDir: paths.engine,
      images: await ImageStore.open(paths.images),
      nodeIp: "127.0.0.1",
      ...(list ? { network: new CniPodNetwork(list) } : {}),
    });
    for (const sandbox of await engine.listPodSandbox()) {
      opts.log.info("removing pod sandbox", { id: sandbox.id, pod: sandbox.metadata.name });
      await engine
        .stopPodSandbox(sandbox.id)
        .catch((err: unknown) =>
          opts.log.warn("stopping sandbox", { id: sandbox.id, err: String(err) }),
        );
      await engine
        .removePodSandbox(sandbox.id)
        .catch((err: unknown) =>
          opts.log.warn("removing sandbox", { id: sandbox.id, err: String(err) }),
        );
    }
  }
  await removeLocalContainers(opts);
  if (existsSync(paths.cgroupRootFile)) {
    const root = readFileSync(paths.cgroupRootFile, "utf8").trim() || "/";
    const cgroups = new PodCgroups({ root });
    await cgroups
      .destroy()
      .then(() => opts.log.info("removed the pod cgroups", { kubepods: cgroups.kubepods }))
      .catch((err: unknown) => opts.log.warn("removing pod cgroups", { err: String(err) }));
  }
  if (await cleanupRules()) opts.log.info("removed the service proxy's iptables rules");
  if (await cleanupPodNetwork()) opts.log.info("removed the host-gw routes and pod traffic rules");
  const bridge = bridgeOf(join(paths.cniConfDir, "10-k8ts.conflist"));
  if (bridge) {
    await promisify(execFile)("ip", ["link", "delete", bridge]).catch(() => undefined);
    opts.log.info("removed the pod network bridge", { bridge });
  }
  for (const m of (await mountsUnder(opts.dataDir)).reverse()) {
    await unmount(m).catch((err: unknown) =>
      opts.log.warn("unmount", { path: m, err: String(err) }),
    );
  }
  rmSync(opts.dataDir, { recursive: true, force: true });
  opts.log.info("removed the data dir", { dataDir: opts.dataDir });
}

/**
 * The containers of `k8ts run` (`<data-dir>/containers`): each sandbox
 * removed (processes, mounts, CNI DEL), then their bridge.
 */
async function removeLocalContainers(opts: { dataDir: string; log: Logger }): Promise<void> {
  const state = join(opts.dataDir, "containers");
  if (!existsSync(state)) return;
  const local = await LocalRuntime.open({ dataDir: opts.dataDir });
  for (const sandbox of await local.engine.listPodSandbox()) {
    opts.log.info("removing k8ts run container", { sandbox: sandbox.id });
    await local.engine
      .removePodSandbox(sandbox.id)
      .catch((err: unknown) =>
        opts.log.warn("removing sandbox", { id: sandbox.id, err: String(err) }),
      );
  }
  const list = await loadDefaultNetwork(join(state, "net.d")).catch(() => undefined);
  const bridge = (list?.plugins as { type?: string; bridge?: string }[] | undefined)?.find(
    (p) => p.type === "bridge",
  )?.bridge;
  if (bridge) await promisify(execFile)("ip", ["link", "delete", bridge]).catch(() => undefined);
}

/** The bridge device named in k8ts's own conflist, if it wrote one. */
function bridgeOf(file: string): string | undefined {
  try {
    const conf = JSON.parse(readFileSync(file, "utf8")) as {
      plugins?: { type?: string; bridge?: string }[];
    };
    return conf.plugins?.find((p) => p.type === "bridge")?.bridge;
  } catch {
    return undefined;
  }
}
