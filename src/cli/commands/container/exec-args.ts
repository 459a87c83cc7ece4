/** `k8ts exec`'s command line (pure): `[-i] [-t] CONTAINER COMMAND [ARG...]`. */
import { FlagError, lastValue, parseFlags } from "./flags.js";

export const EXEC_USAGE = `Usage: k8ts exec [OPTIONS] CONTAINER COMMAND [ARG...]

Run a command in a running container.

Options:
  -i, --interactive        pass stdin to the command
  -t, --tty                allocate a terminal
      --data-dir dir       k8ts data directory (default /var/lib/k8ts)
  -h, --help               show this help`;

const SPECS = [
  { long: "interactive", short: "i" },
  { long: "tty", short: "t" },
  { long: "data-dir", value: true },
  { long: "help", short: "h" },
] as const;

export interface ExecArgs {
  readonly help: boolean;
  readonly container: string;
  readonly command: readonly string[];
  readonly stdin: boolean;
  readonly tty: boolean;
  readonly dataDir: string;
}

export function parseExecArgs(argv: readonly string[]): ExecArgs {
  const parsed = parseFlags(argv, SPECS);
  const help = parsed.set.has("help");
  const [container = "", ...command] = parsed.rest;
  if (!help && command.length === 0)
    throw new FlagError(`"k8ts exec" requires at least 2 arguments\n\n${EXEC_USAGE}`);
  return {
    help,
    container,
    command,
    stdin: parsed.set.has("interactive"),
    tty: parsed.set.has("tty"),
    dataDir: lastValue(parsed, "data-dir") ?? "/var/lib/k8ts",
  };
}
