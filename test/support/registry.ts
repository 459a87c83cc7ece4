import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./ports.js";
import { tempDir } from "./tmp.js";

export const REGISTRY_BINARY = "/usr/bin/docker-registry";

export interface TestRegistry {
  /** host:port, e.g. 127.0.0.1:41234 (plain HTTP on loopback). */
  readonly address: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts Debian's docker-registry on a free loopback port with temporary storage. */
export async function startRegistry(): Promise<TestRegistry> {
  if (!existsSync(REGISTRY_BINARY)) {
    throw new Error(
      `${REGISTRY_BINARY} is missing: apt-get install docker-registry (the .ci/run script does)`,
    );
  }
  const dir = tempDir("registry");
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const config = join(dir.path, "config.yml");
  writeFileSync(
    config,
    `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${join(dir.path, "data")}
  delete:
    enabled: true
http:
  addr: ${address}
`,
  );
  const child = spawn(REGISTRY_BINARY, ["serve", config], { stdio: ["ignore", "ignore", "pipe"] });
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
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`docker-registry exited: ${stderr}`);
    }
    try {
      const res = await fetch(`http://${address}/v2/`);
      if (res.status === 200) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { address, process: child, stop };
}
