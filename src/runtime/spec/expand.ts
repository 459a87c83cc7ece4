/**
 * Kubernetes' `$(VAR)` references in env values, command and args, with the
 * kubelet's rules (its `expansion` package):
 *
 * - `$(NAME)` becomes the value of NAME when defined, and stays `$(NAME)`
 *   verbatim when not;
 * - `$$` is an escaped `$`: `$$(NAME)` yields the literal `$(NAME)`;
 * - a `$` before anything else, an unclosed `$(`, or a final `$` stay as written.
 */

/** A lookup of variable values; `undefined` means "not defined". */
export type VarLookup = (name: string) => string | undefined;

/** Lookup through several maps, the first defining the name winning. */
export function lookupIn(...maps: readonly Readonly<Record<string, string>>[]): VarLookup {
  return (name) => {
    for (const m of maps) {
      if (Object.hasOwn(m, name)) return m[name];
    }
    return undefined;
  };
}

/** Expand every `$(VAR)` of `input` through `lookup`. */
export function expand(input: string, lookup: VarLookup): string {
  let out = "";
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c !== "$" || i + 1 >= input.length) {
      out += c;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
    } else if (next === "(") {
      const close = input.indexOf(")", i + 2);
      if (close < 0) {
        out += "$(";
        i += 2;
      } else {
        const name = input.slice(i + 2, close);
        out += lookup(name) ?? `$(${name})`;
        i = close + 1;
      }
    } else {
      out += `$${next}`;
      i += 2;
    }
  }
  return out;
}

/** One container env entry as written in the pod spec (valueFrom already resolved). */
export interface EnvVar {
  name: string;
  value: string;
}

/**
 * The container's environment as the kubelet builds it: entries in order,
 * each value expanded against the entries before it (later ones overriding
 * earlier ones of the same name), then against `services` (the
 * `<SVC>_SERVICE_HOST` style variables, which never override an entry).
 * The result keeps each name at its first position.
 */
export function expandEnv(
  env: readonly EnvVar[],
  options: {
    /** Variables defined before `env`, e.g. from envFrom. Default none. */
    base?: Readonly<Record<string, string>>;
    /** Service link variables, consulted last. Default none. */
    services?: Readonly<Record<string, string>>;
  } = {},
): Map<string, string> {
  const result = new Map<string, string>(Object.entries(options.base ?? {}));
  const services = options.services ?? {};
  const lookup: VarLookup = (name) =>
    result.has(name)
      ? result.get(name)
      : Object.hasOwn(services, name)
        ? services[name]
        : undefined;
  for (const { name, value } of env) result.set(name, expand(value, lookup));
  for (const [name, value] of Object.entries(services)) {
    if (!result.has(name)) result.set(name, value);
  }
  return result;
}
