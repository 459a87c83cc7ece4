import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `k8ts ARGS...` from source (through tsx), as a separate process. */
export function k8ts(...args: string[]): CliResult {
  const script = `const { main } = await import(${JSON.stringify(MAIN)}); await main([process.argv[0], "k8ts", ...process.argv.slice(1)]);`;
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script, "--", ...args],
    { encoding: "utf8" },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
