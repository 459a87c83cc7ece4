/**
 * How the proxy runs its tools (iptables-save/-restore, iptables,
 * conntrack, sysctl). Injectable so tests point every command into a
 * network namespace of their own and never touch the host's rules.
 */
import { spawn } from "node:child_process";

export interface CommandResult {
  /** Exit code; -1 when the program could not be started (not installed). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandRunner {
  /** Runs `argv` (program first); `input` goes to its stdin. */
  run(argv: readonly string[], opts?: { input?: string }): Promise<CommandResult>;
}

/** Runs commands on this host, in this process's network namespace. */
export const hostRunner: CommandRunner = {
  run(argv, opts = {}) {
    return new Promise((resolve) => {
      const [command = "", ...args] = argv;
      const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      child.on("error", (err) => resolve({ code: -1, stdout, stderr: stderr + err.message }));
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
      // A child that exits before reading its input must not crash us with EPIPE.
      child.stdin.on("error", () => {});
      child.stdin.end(opts.input ?? "");
    });
  },
};

/** Runs every command inside the named network namespace (`ip netns exec NAME ...`). */
export function netnsRunner(name: string, base: CommandRunner = hostRunner): CommandRunner {
  return {
    run: (argv, opts) => base.run(["ip", "netns", "exec", name, ...argv], opts),
  };
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly result: CommandResult,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Runs a command that must succeed; its output, or a CommandError naming what failed. */
export async function runOk(
  runner: CommandRunner,
  command: { argv: readonly string[]; input?: string },
): Promise<string> {
  const r = await runner.run(
    command.argv,
    command.input !== undefined ? { input: command.input } : {},
  );
  if (r.code !== 0) {
    const why = r.stderr.trim() || `exit code ${r.code}`;
    throw new CommandError(`${command.argv.join(" ")}: ${why}`, r);
  }
  return r.stdout;
}
