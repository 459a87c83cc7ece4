import { spawn } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { createInterface } from "node:readline";
import { tempDir } from "../../test/support/tmp.js";

/** The machine line every benchmark prints first. */
export function machineLine(extra = ""): string {
  return `machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${new Date().toISOString()}${extra}`;
}

export interface BenchServer {
  readonly kubeconfig: string;
  stop(): Promise<void>;
}

/**
 * An API server in its own process (bench/apiserver/server.ts) on the
 * embedded store in a temporary data dir, so the benchmark's client load
 * does not share its event loop.
 */
export async function startBenchServer(label: string): Promise<BenchServer> {
  const dir = tempDir(label);
  const server = spawn(
    process.execPath,
    ["--import", "tsx", new URL("../apiserver/server.ts", import.meta.url).pathname, dir.path],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    }
    dir.remove();
  };
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: server.stdout }).once("line", resolve);
      server.once("exit", (code) => reject(new Error(`server exited ${code}`)));
    });
    const { kubeconfig } = JSON.parse(line) as { kubeconfig: string };
    return { kubeconfig, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
