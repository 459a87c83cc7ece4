/**
 * `--help` works on every subcommand, found by walking the CLI's own
 * command tree, so a new subcommand is covered without touching this test.
 * Each runs through the CLI's `main` in this process (one `k8ts` process per
 * command costs about a minute): help must print usage and exit 0 before
 * doing any work (no data dir, no root, no server needed).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Command } from "commander";
import { buildProgram, main } from "../../src/cli/main.js";

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((sub) => {
    const path = [...prefix, sub.name()];
    return [path, ...commandPaths(sub, path)];
  });
}

/** What `k8ts ARGS...` writes to stdout, and the exit code it sets. */
async function runMain(args: readonly string[]): Promise<{ exitCode: number; stdout: string }> {
  const write = process.stdout.write;
  const log = console.log;
  let stdout = "";
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  console.log = (...parts: unknown[]) => {
    stdout += `${parts.join(" ")}\n`;
  };
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await main(["node", "k8ts", ...args]);
    return { exitCode: Number(process.exitCode ?? 0), stdout };
  } finally {
    process.stdout.write = write;
    console.log = log;
    process.exitCode = before;
  }
}

describe("k8ts --help", () => {
  it("prints usage and exits 0 for the program and every subcommand", async () => {
    const paths = [[], ...commandPaths(buildProgram())];
    assert.ok(paths.length > 30, `only ${paths.length} commands found`);
    const failures: string[] = [];
    for (const path of paths) {
      const r = await runMain([...path, "--help"]);
      const usage = new RegExp(`Usage: k8ts${path.map((p) => ` ${p}`).join("")}\\b`);
      if (r.exitCode !== 0 || !usage.test(r.stdout))
        failures.push(
          `k8ts ${path.join(" ")} --help: exit ${r.exitCode}\n${r.stdout.slice(0, 200)}`,
        );
    }
    assert.deepEqual(failures, []);
  });
});
