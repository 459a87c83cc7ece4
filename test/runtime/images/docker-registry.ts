import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { freePort } from "../../support/ports.js";
import { tempDir } from "../../support/tmp.js";

export const REGISTRY_BINARY = "/usr/bin/docker-registry";

export interface LoopbackRegistry {
  /** host:port on 127.0.0.1. */
  readonly host: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts Debian's docker-registry on a free loopback port with storage in a temp dir. */
export async function startDockerRegistry(): Promise<LoopbackRegistry> {
  if (!existsSync(REGISTRY_BINARY)) {
    throw new Error(`${REGISTRY_BINARY} is missing: apt-get install docker-registry`);
  }
  const dir = tempDir("registry");
  const port = await freePort();
  const config = join(dir.path, "config.yml");
  writeFileSync(
    config,
    [
      "version: 0.1",
      "log:",
      "  level: error",
      "  accesslog:",
      "    disabled: true",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${join(dir.path, "data")}`,
      "  delete:",
      "    enabled: true",
      "http:",
      `  addr: 127.0.0.1:${port}`,
      "",
    ].join("\n"),
  );
  const child = spawn(REGISTRY_BINARY, ["serve", config], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
    dir.remove();
  };
  const host = `127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
      const ok = await new Promise<boolean>((resolve) => {
        const req = request(`http://${host}/v2/`, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        });
        req.on("error", () => resolve(false));
        req.end();
      });
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`docker-registry did not become ready: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { host, process: child, stop };
}

export interface CountingProxy {
  readonly host: string;
  /** Requests forwarded, as `METHOD path`. */
  readonly requests: string[];
  stop(): Promise<void>;
}

/** A loopback HTTP proxy in front of a registry that records each request. */
export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url?.split("?")[0]}`);
    const up = request(
      `http://${upstream}${req.url}`,
      { method: req.method, headers: { ...req.headers, host: upstream } },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on("error", () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
