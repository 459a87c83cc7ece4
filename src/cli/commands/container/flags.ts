/**
 * Docker-style flags for `k8ts run` and `k8ts exec` (pure): flags come
 * before the first operand (the image or container), everything after it
 * belongs to the command run inside, untouched — `k8ts run busybox sh -c
 * "ls -l"` hands `-c` to sh. Short boolean flags combine (`-it`), values
 * follow a space or `=` (`--name web`, `--name=web`, `-e K=V`, `-m64m`).
 */

export interface FlagSpec {
  /** The long name without dashes: `name` for `--name`. */
  readonly long: string;
  /** The one-letter short name, if any: `e` for `-e`. */
  readonly short?: string;
  /** Takes a value (default: a boolean flag). */
  readonly value?: boolean;
}

export interface ParsedFlags {
  /** Values of the flags that take one, in order, by long name. */
  readonly values: ReadonlyMap<string, readonly string[]>;
  /** Boolean flags given, by long name. */
  readonly set: ReadonlySet<string>;
  /** The first operand and everything after it. */
  readonly rest: readonly string[];
}

export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const byLong = new Map(specs.map((s) => [s.long, s]));
  const byShort = new Map(specs.flatMap((s) => (s.short ? [[s.short, s] as const] : [])));
  const values = new Map<string, string[]>();
  const set = new Set<string>();
  const add = (spec: FlagSpec, value: string) => {
    values.set(spec.long, [...(values.get(spec.long) ?? []), value]);
  };
  let i = 0;
  const next = (flag: string): string => {
    const value = argv[++i];
    if (value === undefined) throw new FlagError(`flag needs an argument: ${flag}`);
    return value;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const spec = byLong.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (spec.value) add(spec, eq < 0 ? next(arg) : arg.slice(eq + 1));
      else if (eq < 0) set.add(spec.long);
      else throw new FlagError(`flag --${name} takes no value`);
      continue;
    }
    // A cluster of short flags: booleans, the last one may take a value.
    for (let c = 1; c < arg.length; c++) {
      const letter = arg[c] ?? "";
      const spec = byShort.get(letter);
      if (!spec) throw new FlagError(`unknown shorthand flag: '${letter}' in ${arg}`);
      if (!spec.value) {
        set.add(spec.long);
        continue;
      }
      const inline = arg.slice(c + 1).replace(/^=/, "");
      add(spec, inline !== "" ? inline : next(`-${letter}`));
      break;
    }
  }
  return { values, set, rest: argv.slice(i) };
}

/** The last value given for a flag (later flags win, as in docker). */
export function lastValue(parsed: ParsedFlags, long: string): string | undefined {
  return parsed.values.get(long)?.at(-1);
}
