import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// argv[1] is "k8ts": node would take a first argument `inspect` for its debugger.
const SCRIPT = `const { main } = await import(${JSON.stringify(MAIN)}); await main(process.argv);`;
/** node's arguments to run `k8ts ARGS...` from source. */
export const nodeArgs = (args: readonly string[]) => [
  "--import",
  "tsx",
  "--input-type=module",
  "-e",
  SCRIPT,
  "--",
  "k8ts",
  ...args,
];

/** Runs `k8ts ARGS...` from source (through tsx), as a separate process. */
export function k8ts(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, nodeArgs(args), { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Starts a long-running `k8ts ARGS...` (a server, a kubelet) from source;
 * `stderr()` is what it logged so far.
 */
export function spawnK8ts(
  args: readonly string[],
  opts: { nodeOptions?: readonly string[] } = {},
): { child: ChildProcess; stderr: () => string } {
  const child = spawn(process.execPath, [...(opts.nodeOptions ?? []), ...nodeArgs(args)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let text = "";
  child.stderr?.on("data", (d: Buffer) => {
    text += d.toString();
  });
  return { child, stderr: () => text };
}
