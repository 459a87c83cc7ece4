/**
 * Container start-to-exit latency: a busybox `true` run by bare `runc run`
 * (the peer) and through k8ts's path (conmon creates it, `runc start`, the
 * exit code read from conmon's exit file, `runc delete`), in one run, on the
 * same generated OCI spec. Prints median and p90 per path and their ratio.
 * Then the CRI path (cri.ts): pod sandbox creation and container
 * create + start through the Engine, and image pull throughput from a
 * loopback registry. Needs root, runc, conmon, catatonit, the CNI plugins
 * and docker-registry.
 *
 *   npm run bench:engine [-- --runs 30 --cri-runs 20 --pulls 5]
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import type { PodSandboxConfig } from "../../src/runtime/cri.js";
import { hostLimits, Runc, startMonitor, waitForExit } from "../../src/runtime/oci/index.js";
import { buildSandboxSpec } from "../../src/runtime/spec/index.js";
import { tempDir } from "../../test/support/tmp.js";
import { criBench } from "./cri.js";

const RUNC = "/usr/sbin/runc";
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "30" },
    "cri-runs": { type: "string", default: "20" },
    pulls: { type: "string", default: "5" },
  },
});
const RUNS = Number(values.runs);
const run = promisify(execFile);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const dir = tempDir("bench-engine");
  const root = join(dir.path, "state");
  const runc = new Runc({ root, binary: RUNC });
  const exitDir = join(dir.path, "exits");
  mkdirSync(exitDir);
  const bundle = join(dir.path, "bundle");
  mkdirSync(join(bundle, "rootfs", "bin"), { recursive: true });
  copyFileSync("/bin/busybox", join(bundle, "rootfs", "bin", "busybox"));
  const pod: PodSandboxConfig = { metadata: { name: "bench", uid: "u", namespace: "default" } };
  const spec = buildSandboxSpec({
    id: "bench",
    config: pod,
    args: ["/bin/busybox", "true"],
    ...hostLimits(),
  });
  writeFileSync(join(bundle, "config.json"), JSON.stringify(spec));

  const bare: number[] = [];
  const k8ts: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      // Alternate the two paths so drift on a noisy machine hits both alike.
      let t0 = performance.now();
      await run(RUNC, ["--root", root, "run", "--bundle", bundle, `bare-${i}`]);
      bare.push(performance.now() - t0);

      const id = `k8ts-${i}`;
      t0 = performance.now();
      await startMonitor({
        id,
        bundle,
        runtime: RUNC,
        runtimeRoot: root,
        logPath: join(dir.path, `${id}.log`),
        exitDir,
      });
      await runc.start(id);
      const code = await waitForExit(exitDir, id, 10_000);
      await runc.delete(id);
      k8ts.push(performance.now() - t0);
      if (code !== 0) throw new Error(`${id} exited ${code}`);
    }
  } finally {
    for (const s of await runc.list().catch(() => [])) {
      await runc.delete(s.id, { force: true }).catch(() => {});
    }
    dir.remove();
  }
  const row = (name: string, xs: number[]) =>
    `${name.padEnd(28)} median ${quantile(xs, 0.5).toFixed(1).padStart(7)} ms   p90 ${quantile(xs, 0.9).toFixed(1).padStart(7)} ms`;
  console.log(`container start-to-exit, busybox true, ${RUNS} runs each`);
  console.log(row("bare runc run", bare));
  console.log(row("k8ts (conmon + runc start)", k8ts));
  console.log(`ratio (median) ${(quantile(k8ts, 0.5) / quantile(bare, 0.5)).toFixed(2)}x`);

  const cri = await criBench(Number(values["cri-runs"]), Number(values.pulls));
  console.log(`\nthrough the CRI interface (Engine), ${cri.sandboxMs.length} pods, one at a time:`);
  console.log(row("RunPodSandbox (netns, CNI, pause)", cri.sandboxMs));
  console.log(row("CreateContainer + StartContainer", cri.containerMs));
  const mib = (b: number) => b / 2 ** 20;
  const rates = cri.pulls.map((p) => mib(p.bytes) / (p.ms / 1000));
  const size = mib(cri.pulls[0]?.bytes ?? 0);
  console.log(
    `image pull from a loopback registry, ${cri.image} (${size.toFixed(1)} MiB of blobs) into an empty store, ${cri.pulls.length} pulls: median ${quantile(
      cri.pulls.map((p) => p.ms),
      0.5,
    ).toFixed(0)} ms, ${quantile(rates, 0.5).toFixed(1)} MiB/s`,
  );
}

await main();
