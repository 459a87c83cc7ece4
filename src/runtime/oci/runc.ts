/**
 * A typed driver for the `runc` command line: the OCI runtime k8ts starts
 * containers with. One instance owns one state directory (`--root`), so
 * tests and the engine never see each other's containers. runc's own
 * messages go to a JSON log file (`--log`) rather than stderr, because a
 * created container inherits runc's stdio.
 */
import { execFile, spawn } from "node:child_process";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { LinuxResources } from "../spec/types.js";

const execFileAsync = promisify(execFile);

/** What `runc state` reports (the OCI state plus runc's extras). */
export interface OciState {
  ociVersion: string;
  id: string;
  status: "creating" | "created" | "running" | "paused" | "stopped";
  /** The container's init pid on the host; 0 once stopped. */
  pid: number;
  bundle: string;
  /** RFC 3339. */
  created?: string;
  annotations?: Record<string, string>;
}

/** A runc invocation failed; `message` carries runc's own error text. */
export class RuncError extends Error {
  constructor(
    message: string,
    readonly args: readonly string[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface RuncOptions {
  /** runc's state directory. */
  root: string;
  /** The runc binary. Default `runc` from PATH. */
  binary?: string;
  /** Use the systemd cgroup driver (`slice:prefix:name` cgroupsPath). Default false. */
  systemdCgroup?: boolean;
}

/** The container's stdio at create time: file descriptors, or "ignore" for /dev/null. */
export type Stdio = [number | "ignore", number | "ignore", number | "ignore"];

export interface CreateOptions {
  /** Where runc writes the init pid. Default `<bundle>/init.pid`. */
  pidFile?: string;
  /** Unix socket to receive the pty master over, for `terminal: true` specs. */
  consoleSocket?: string;
  stdio?: Stdio;
}

export class Runc {
  readonly root: string;
  readonly #binary: string;
  readonly #systemd: boolean;

  constructor(options: RuncOptions) {
    this.root = options.root;
    this.#binary = options.binary ?? "runc";
    this.#systemd = options.systemdCgroup ?? false;
  }

  /** Creates the container from `bundle/config.json` (namespaces set up, process not yet exec'd). Resolves to its pid. */
  async create(id: string, bundle: string, options: CreateOptions = {}): Promise<number> {
    const pidFile = options.pidFile ?? join(bundle, "init.pid");
    const args = ["create", "--bundle", bundle, "--pid-file", pidFile];
    if (options.consoleSocket !== undefined) args.push("--console-socket", options.consoleSocket);
    args.push(id);
    await this.#spawn(args, options.stdio ?? ["ignore", "ignore", "ignore"]);
    return Number((await readFile(pidFile, "utf8")).trim());
  }

  /** Runs the user process of a created container. */
  async start(id: string): Promise<void> {
    await this.#run(["start", id]);
  }

  async state(id: string): Promise<OciState> {
    const { stdout } = await this.#run(["state", id]);
    return JSON.parse(stdout) as OciState;
  }

  /** Every container in this root. */
  async list(): Promise<OciState[]> {
    const { stdout } = await this.#run(["list", "--format", "json"]);
    return (JSON.parse(stdout) as OciState[] | null) ?? [];
  }

  /**
   * Runs `cmd` in the running container and collects its output (`runc
   * exec`); a non-zero exit is a result, not an error. `timeoutMs` 0 waits forever.
   */
  async execSync(
    id: string,
    cmd: readonly string[],
    timeoutMs = 0,
  ): Promise<{ stdout: Buffer; stderr: Buffer; exitCode: number }> {
    const log = await this.#prepare();
    return new Promise((resolve, reject) => {
      const child = execFile(
        this.#binary,
        [...this.#global(log), "exec", id, ...cmd],
        { encoding: "buffer", maxBuffer: 16 * 1024 * 1024, timeout: timeoutMs },
        async (error, stdout, stderr) => {
          const code = child.exitCode;
          const runcLog = await failure(log, "", "").catch(() => "");
          await rm(log, { force: true });
          if (error && (error as { killed?: boolean }).killed) {
            reject(new RuncError(`exec in ${id} timed out after ${timeoutMs} ms`, ["exec", id]));
          } else if (code === null || (code !== 0 && /^runc: .+/.test(runcLog))) {
            reject(new RuncError(runcLog || String(error), ["exec", id]));
          } else {
            resolve({ stdout, stderr, exitCode: code });
          }
        },
      );
    });
  }

  /**
   * The command line of a foreground `runc exec` (for streaming sessions the
   * caller wires to pipes or a pty): the process runs with the container's
   * own environment, user and working directory.
   */
  execCommand(
    id: string,
    cmd: readonly string[],
    options: { tty?: boolean } = {},
  ): { file: string; args: string[] } {
    return {
      file: this.#binary,
      args: ["--root", this.root, "exec", ...(options.tty ? ["--tty"] : []), id, ...cmd],
    };
  }

  /** Sends `signal` (name like `TERM` or number) to init, or to every process with `all`. */
  async kill(id: string, signal: string | number, options: { all?: boolean } = {}): Promise<void> {
    const args = ["kill"];
    if (options.all) args.push("--all");
    await this.#run([...args, id, String(signal)]);
  }

  /**
   * Changes the cgroup limits of a created or running container (`runc
   * update -r -`, the OCI linux.resources document on stdin); fields the
   * document leaves out keep their values.
   */
  async update(id: string, resources: LinuxResources): Promise<void> {
    await this.#run(["update", "--resources", "-", id], JSON.stringify(resources));
  }

  /** Freezes every process of a running container (its cgroup's freezer). */
  async pause(id: string): Promise<void> {
    await this.#run(["pause", id]);
  }

  /** Thaws a paused container. */
  async resume(id: string): Promise<void> {
    await this.#run(["resume", id]);
  }

  /** Deletes the container and its cgroup; `force` kills it first if still running. */
  async delete(id: string, options: { force?: boolean } = {}): Promise<void> {
    await this.#run(options.force ? ["delete", "--force", id] : ["delete", id]);
  }

  async #prepare(): Promise<string> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    return logPath(this.root);
  }

  #global(logFile: string): string[] {
    const args = ["--root", this.root, "--log", logFile, "--log-format", "json"];
    if (this.#systemd) args.push("--systemd-cgroup");
    return args;
  }

  async #run(args: string[], input?: string): Promise<{ stdout: string }> {
    const log = await this.#prepare();
    try {
      const running = execFileAsync(this.#binary, [...this.#global(log), ...args], {
        maxBuffer: 16 * 1024 * 1024,
      });
      // runc may exit before it reads its input (or reads none): a closed pipe is not an error.
      running.child.stdin?.on("error", () => {});
      if (input === undefined) running.child.stdin?.end();
      else running.child.stdin?.end(input);
      const { stdout } = await running;
      return { stdout };
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr ?? "";
      throw new RuncError(await failure(log, detail, error), args);
    } finally {
      await rm(log, { force: true });
    }
  }

  /** Like #run, but with the given stdio handed to the container (create). */
  async #spawn(args: string[], stdio: Stdio): Promise<void> {
    const log = await this.#prepare();
    try {
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(this.#binary, [...this.#global(log), ...args], { stdio });
        child.once("error", reject);
        child.once("exit", (c) => resolve(c));
      });
      if (code !== 0) throw new RuncError(await failure(log, "", `exit ${code}`), args);
    } finally {
      await rm(log, { force: true });
    }
  }
}

let logSerial = 0;
function logPath(root: string): string {
  logSerial += 1;
  return join(root, `.runc-${process.pid}-${logSerial}.log`);
}

/** runc's last error-level message from its JSON log, else whatever we have. */
async function failure(log: string, stderr: string, cause: unknown): Promise<string> {
  let text = "";
  try {
    text = await readFile(log, "utf8");
  } catch {
    // runc failed before opening its log.
  }
  const messages: string[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string };
      if ((entry.level === "error" || entry.level === "fatal") && entry.msg)
        messages.push(entry.msg);
    } catch {
      messages.push(line);
    }
  }
  const last = messages.at(-1) ?? stderr.trim();
  return last !== "" ? `runc: ${last}` : `runc: ${String(cause)}`;
}
