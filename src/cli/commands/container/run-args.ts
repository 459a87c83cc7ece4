/**
 * `k8ts run`'s command line as what to run (pure). Flags as docker spells
 * them; everything after the image is the command.
 */

import type { LocalRunSpec } from "../../../runtime/local/configs.js";
import { generateName, validateName } from "../../../runtime/local/names.js";
import { FlagError, lastValue, parseFlags } from "./flags.js";
import {
  parseCpus,
  parseEnv,
  parseMemory,
  parsePidsLimit,
  parsePublish,
  parseVolume,
} from "./values.js";

export const RUN_USAGE = `Usage: k8ts run [OPTIONS] IMAGE [COMMAND] [ARG...]

Create and start a container: one pod sandbox and one container on runc.

Options:
  -d, --detach             run in the background and print the container ID
      --rm                 remove the container when it exits
      --name string        container name (default: a generated one)
  -e, --env K=V            set an environment variable (repeatable)
  -v, --volume H:C[:ro]    bind mount a host directory (repeatable)
  -m, --memory bytes       memory limit (e.g. 64m)
      --cpus number        CPU quota in CPUs (e.g. 0.5)
      --pids-limit n       process limit (-1 for none)
  -p, --publish H:C        publish a container port on the host (repeatable)
  -i, --interactive        keep stdin open
  -t, --tty                allocate a terminal
      --privileged         every capability and device (e.g. to mount inside)
      --data-dir dir       k8ts data directory (default /var/lib/k8ts)
      --registries file    registries.yaml for pulls (k3s format)
  -h, --help               show this help`;

const SPECS = [
  { long: "detach", short: "d" },
  { long: "rm" },
  { long: "name", value: true },
  { long: "env", short: "e", value: true },
  { long: "volume", short: "v", value: true },
  { long: "memory", short: "m", value: true },
  { long: "cpus", value: true },
  { long: "pids-limit", value: true },
  { long: "publish", short: "p", value: true },
  { long: "interactive", short: "i" },
  { long: "tty", short: "t" },
  { long: "privileged" },
  { long: "data-dir", value: true },
  { long: "registries", value: true },
  { long: "help", short: "h" },
] as const;

export interface RunArgs {
  readonly help: boolean;
  readonly detach: boolean;
  readonly dataDir: string;
  readonly registries?: string | undefined;
  readonly spec: LocalRunSpec;
}

export function parseRunArgs(
  argv: readonly string[],
  context: {
    readonly environment: Readonly<Record<string, string | undefined>>;
    /** Names already taken, for a generated name. */
    readonly takenNames?: ReadonlySet<string>;
    readonly random?: () => number;
  },
): RunArgs {
  const parsed = parseFlags(argv, SPECS);
  const all = (long: string) => parsed.values.get(long) ?? [];
  const help = parsed.set.has("help");
  const [image, ...command] = parsed.rest;
  if (!image && !help)
    throw new FlagError(`"k8ts run" requires at least 1 argument (IMAGE)\n\n${RUN_USAGE}`);
  const detach = parsed.set.has("detach");
  const autoRemove = parsed.set.has("rm");
  const nameFlag = lastValue(parsed, "name");
  const memory = lastValue(parsed, "memory");
  const cpus = lastValue(parsed, "cpus");
  const pids = lastValue(parsed, "pids-limit");
  const spec: LocalRunSpec = {
    name:
      nameFlag !== undefined
        ? validateName(nameFlag)
        : generateName(context.takenNames ?? new Set(), context.random ?? Math.random),
    image: image ?? "",
    command,
    env: all("env").flatMap((e) => parseEnv(e, context.environment) ?? []),
    mounts: all("volume").map(parseVolume),
    ports: all("publish").map(parsePublish),
    memoryBytes: memory !== undefined ? parseMemory(memory) : undefined,
    cpu: cpus !== undefined ? parseCpus(cpus) : undefined,
    pidsLimit: pids !== undefined ? parsePidsLimit(pids) : undefined,
    tty: parsed.set.has("tty"),
    stdin: parsed.set.has("interactive"),
    autoRemove,
    privileged: parsed.set.has("privileged"),
  };
  return {
    help,
    detach,
    dataDir: lastValue(parsed, "data-dir") ?? "/var/lib/k8ts",
    registries: lastValue(parsed, "registries"),
    spec,
  };
}
