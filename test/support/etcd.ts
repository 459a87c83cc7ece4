import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { freePort } from "./ports.js";
import { tempDir } from "./tmp.js";

export const ETCD_BINARY = "/usr/bin/etcd";

export interface EtcdServer {
  /** The client URL, e.g. http://127.0.0.1:23791. */
  readonly endpoint: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts Debian's etcd-server as a single member on loopback with a
 * temporary data dir; stop() kills it and removes the dir.
 */
export async function startEtcd(): Promise<EtcdServer> {
  if (!existsSync(ETCD_BINARY)) {
    throw new Error(
      `${ETCD_BINARY} is missing: apt-get install etcd-server (the .ci/run script does)`,
    );
  }
  const dir = tempDir("etcd");
  const clientPort = await freePort();
  const peerPort = await freePort();
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child = spawn(
    ETCD_BINARY,
    [
      "--name=test",
      `--data-dir=${dir.path}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=test=${peer}`,
      "--log-level=error",
      "--logger=zap",
    ],
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ETCD_UNSUPPORTED_ARCH: "" } },
  );
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
    dir.remove();
  };
  try {
    await waitHealthy(client, child, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint: client, process: child, stop };
}

async function waitHealthy(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`etcd exited: ${stderr()}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`etcd did not become healthy: ${stderr()}`);
}
