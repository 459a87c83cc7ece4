/**
 * `$(VAR)` expansion as upstream's third_party/forked/golang/expansion:
 * `$$` is an escaped `$`, a reference to an unknown variable stays as
 * written, an unterminated `$(` and any other `$x` pass through unchanged.
 */
import type { KeyValue } from "../../runtime/cri.js";
import { EnvError } from "./errors.js";

/** Resolves a variable name to its value. */
export type Mapping = (name: string) => string;

/** Looks a name up in each context in turn; unknown names come back as `$(name)`. */
export function mappingFor(...contexts: ReadonlyArray<ReadonlyMap<string, string>>): Mapping {
  return (name) => {
    for (const vars of contexts) {
      const value = vars.get(name);
      if (value !== undefined) return value;
    }
    return `$(${name})`;
  };
}

interface Read {
  /** The variable name, or the text to copy. */
  read: string;
  isVar: boolean;
  /** Code units consumed after the `$`. */
  advance: number;
}

/** What follows the `$` at `input[at - 1]`; `at` is within the input. */
function readVariable(input: string, at: number): Read {
  const c = input[at];
  if (c === "$") return { read: "$", isVar: false, advance: 1 };
  if (c === "(") {
    const close = input.indexOf(")", at + 1);
    if (close !== -1)
      return { read: input.slice(at + 1, close), isVar: true, advance: close - at + 1 };
    return { read: "$(", isVar: false, advance: 1 };
  }
  const cp = input.codePointAt(at) as number;
  const ch = String.fromCodePoint(cp);
  return { read: `$${ch}`, isVar: false, advance: ch.length };
}

/** Replace `$(VAR)` references in `input` through `mapping`. */
export function expand(input: string, mapping: Mapping): string {
  let out = "";
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== "$" || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const { read, isVar, advance } = readVariable(input, cursor + 1);
    out += isVar ? mapping(read) : read;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** The environment as a lookup table; a later entry wins over an earlier one. */
export function envMap(env: readonly KeyValue[]): Map<string, string> {
  return new Map(env.map((kv) => [kv.key, kv.value]));
}

/** A container's command or args with `$(VAR)` expanded against its final environment. */
export function expandCommand(
  args: readonly string[] | undefined,
  env: readonly KeyValue[],
): string[] {
  if (args === undefined || args.length === 0) return [];
  const mapping = mappingFor(envMap(env));
  return args.map((arg) => expand(arg, mapping));
}

/**
 * A volume mount's subPathExpr expanded against the container environment
 * (upstream's ExpandContainerVolumeMounts): references to unset or empty
 * variables are an error naming them, sorted.
 */
export function expandSubPathExpr(expr: string, env: readonly KeyValue[]): string {
  const vars = envMap(env);
  const missing = new Set<string>();
  const expanded = expand(expr, (name) => {
    const value = vars.get(name);
    if (value === undefined || value === "") missing.add(name);
    return value ?? "";
  });
  if (missing.size > 0) throw new EnvError(`missing value for ${[...missing].sort().join(", ")}`);
  return expanded;
}
