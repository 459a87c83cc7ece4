/**
 * Starting a container under conmon, the per-container monitor CRI-O and
 * Podman use. conmon runs `runc create`, then daemonizes: it outlives the
 * engine, holds the container's stdio, writes its output to the log in the
 * CRI format (`k8s-file`), serves attach on a socket in the bundle, and
 * writes the exit code to `<exitDir>/<id>` when the container ends.
 *
 * The engine learns the container's pid (or conmon's failure) on the sync
 * pipe: conmon reads its fd number from `_OCI_SYNCPIPE` and writes one JSON
 * line, `{"data": <pid>}` or `{"data": -1, "message": "..."}`.
 */
import { spawn } from "node:child_process";
import { type FSWatcher, watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";

export interface MonitorOptions {
  /** The container ID (runc's too). */
  id: string;
  /** The OCI bundle holding config.json. */
  bundle: string;
  /** Absolute path of the runc binary. */
  runtime: string;
  /** runc's state directory (`runc --root`). */
  runtimeRoot: string;
  /** The container's CRI log file. */
  logPath: string;
  /** Where conmon writes `<id>` holding the exit code. */
  exitDir: string;
  /** Where runc writes the container's pid. Default `<bundle>/pid`. */
  pidFile?: string;
  /** Where conmon writes its own pid. Default `<bundle>/conmon.pid`. */
  conmonPidFile?: string;
  /** Allocate a pseudo-terminal for the container. Default false. */
  terminal?: boolean;
  /** Keep a stdin pipe open for attach. Default false. */
  stdin?: boolean;
  /**
   * Close the container's stdin when the first attach client closes its
   * end (CRI stdinOnce); otherwise it stays open for the next. Default false.
   */
  stdinOnce?: boolean;
  /** Largest the log may grow before conmon truncates it, bytes. Default unlimited. */
  logSizeMax?: number;
  /** Use the systemd cgroup driver. Default false. */
  systemdCgroup?: boolean;
  /**
   * A command conmon runs once the container ended and its exit file is
   * written (`--exit-command`): the program's absolute path, then its
   * arguments. How `k8ts run -d --rm` removes a container nobody waits for.
   */
  exitCommand?: readonly string[];
  /** The conmon binary. Default `conmon` from PATH. */
  binary?: string;
}

export interface Monitored {
  /** The container's init pid on the host. */
  pid: number;
  /** The daemonized conmon's pid. */
  conmonPid: number;
}

export class MonitorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** conmon's command line for the options (pure; exported for tests). */
export function conmonArgs(options: MonitorOptions): string[] {
  const args = [
    "--api-version",
    "1",
    "--cid",
    options.id,
    "--cuuid",
    options.id,
    "--name",
    options.id,
    "--runtime",
    options.runtime,
    "--runtime-arg",
    `--root=${options.runtimeRoot}`,
    "--bundle",
    options.bundle,
    "--container-pidfile",
    options.pidFile ?? join(options.bundle, "pid"),
    "--conmon-pidfile",
    options.conmonPidFile ?? join(options.bundle, "conmon.pid"),
    "--exit-dir",
    options.exitDir,
    "--log-path",
    `k8s-file:${options.logPath}`,
    // The attach socket goes at <bundle>/attach whatever the path length.
    "--full-attach",
    "--socket-dir-path",
    options.bundle,
  ];
  if (options.terminal) args.push("--terminal");
  if (options.stdin) {
    args.push("--stdin");
    if (!options.stdinOnce) args.push("--leave-stdin-open");
  }
  if (options.logSizeMax !== undefined) args.push("--log-size-max", String(options.logSizeMax));
  if (options.systemdCgroup) args.push("--systemd-cgroup");
  const [program, ...programArgs] = options.exitCommand ?? [];
  if (program !== undefined) {
    args.push("--exit-command", program);
    for (const arg of programArgs) args.push("--exit-command-arg", arg);
  }
  return args;
}

/**
 * Starts conmon, which creates the container (not yet started: `runc start`
 * runs its process). Resolves once runc created it.
 */
export async function startMonitor(options: MonitorOptions): Promise<Monitored> {
  const child = spawn(options.binary ?? "conmon", conmonArgs(options), {
    // conmon writes files such as `oom` to its working directory: the bundle (as CRI-O runs it).
    cwd: options.bundle,
    stdio: ["ignore", "ignore", "pipe", "pipe"],
    env: { ...process.env, _OCI_SYNCPIPE: "3" },
    detached: true,
  });
  const stderr: Buffer[] = [];
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
  const spawned = new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("spawn", resolve);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  await spawned;
  const sync = child.stdio[3] as Readable;
  const reply = await readSyncReply(sync);
  // The first conmon exits once it forked its daemon; reap it.
  await exited;
  // The daemon inherited stderr: stop listening so it does not hold the engine's event loop.
  child.stderr?.destroy();
  child.unref();
  if (reply === undefined) {
    throw new MonitorError(
      `conmon ended without creating ${options.id}: ${Buffer.concat(stderr).toString().trim() || "no message"}`,
    );
  }
  if (reply.data < 0) {
    throw new MonitorError(`creating ${options.id} failed: ${reply.message ?? "unknown error"}`);
  }
  const conmonPid = Number(
    (await readFile(options.conmonPidFile ?? join(options.bundle, "conmon.pid"), "utf8")).trim(),
  );
  return { pid: reply.data, conmonPid };
}

interface SyncReply {
  data: number;
  message?: string;
}

/** The first JSON line on the sync pipe, or undefined when it closes without one. */
async function readSyncReply(pipe: Readable): Promise<SyncReply | undefined> {
  let text = "";
  for await (const chunk of pipe) {
    text += String(chunk);
    const newline = text.indexOf("\n");
    if (newline >= 0) {
      pipe.destroy();
      return JSON.parse(text.slice(0, newline)) as SyncReply;
    }
  }
  return text.trim() === "" ? undefined : (JSON.parse(text) as SyncReply);
}

/** The exit code conmon recorded for `id`, or undefined while it still runs. */
export async function readExitCode(exitDir: string, id: string): Promise<number | undefined> {
  try {
    const text = (await readFile(join(exitDir, id), "utf8")).trim();
    return text === "" ? undefined : Number(text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Waits until conmon recorded the exit of `id`; undefined after `timeoutMs`.
 * Woken by inotify on the exit directory (conmon renames the finished file
 * into place), so an exit is seen at once rather than at the next poll; a
 * slow poll stays as a safety net should an event be missed.
 */
export async function waitForExit(
  exitDir: string,
  id: string,
  timeoutMs: number,
): Promise<number | undefined> {
  const first = await readExitCode(exitDir, id);
  if (first !== undefined || timeoutMs <= 0) return first;
  const deadline = Date.now() + timeoutMs;
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(exitDir, { persistent: false }, (_event, name) => {
      if (name === null || name === id) wake?.();
    });
    watcher.on("error", () => wake?.());
  } catch {
    // No inotify (or the directory went away): polling alone.
  }
  try {
    for (;;) {
      const code = await readExitCode(exitDir, id);
      const left = deadline - Date.now();
      if (code !== undefined || left <= 0) return code;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, watcher ? 100 : 10));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    watcher?.close();
  }
}
