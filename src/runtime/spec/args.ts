/**
 * The process argv of a container from its image and its pod spec, with
 * Kubernetes' rules (kubernetes.io "Define a Command and Arguments"):
 *
 * | command | args | runs                         |
 * |---------|------|------------------------------|
 * | —       | —    | image Entrypoint + image Cmd |
 * | set     | —    | command (image Cmd dropped)  |
 * | —       | set  | image Entrypoint + args      |
 * | set     | set  | command + args               |
 *
 * `command` and `args` get `$(VAR)` expansion against the container's
 * environment (the kubelet's ExpandContainerCommandAndArgs); the image's
 * Entrypoint and Cmd are taken as they are.
 */
import { expand, type VarLookup } from "./expand.js";

/** A container with no command at all: neither the pod spec nor the image names one. */
export class NoCommandError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface ResolveArgsOptions {
  /** The image config's Entrypoint. */
  imageEntrypoint?: readonly string[] | undefined;
  /** The image config's Cmd. */
  imageCmd?: readonly string[] | undefined;
  /** The container's `command`; an empty list counts as unset. */
  command?: readonly string[] | undefined;
  /** The container's `args`; an empty list counts as unset. */
  args?: readonly string[] | undefined;
  /** Variables for `$(VAR)` in command and args: a map or a lookup. Default: no expansion of defined names. */
  env?: Readonly<Record<string, string>> | ReadonlyMap<string, string> | VarLookup;
}

function toLookup(env: ResolveArgsOptions["env"]): VarLookup {
  if (env === undefined) return () => undefined;
  if (typeof env === "function") return env;
  if (env instanceof Map) return (name) => env.get(name);
  const record = env as Readonly<Record<string, string>>;
  return (name) => (Object.hasOwn(record, name) ? record[name] : undefined);
}

/** Expand `$(VAR)` in a container's command or args as the kubelet does before handing them to the runtime. */
export function expandCommand(words: readonly string[], env: ResolveArgsOptions["env"]): string[] {
  const lookup = toLookup(env);
  return words.map((w) => expand(w, lookup));
}

/** The argv to run; throws NoCommandError when it would be empty. */
export function resolveArgs(options: ResolveArgsOptions): string[] {
  const command = expandCommand(options.command ?? [], options.env);
  const args = expandCommand(options.args ?? [], options.env);
  let argv: string[];
  if (command.length > 0) argv = [...command, ...args];
  else {
    // An Entrypoint of [""] is Docker's way of writing "no entrypoint".
    const entry = options.imageEntrypoint ?? [];
    const entrypoint = entry.length === 1 && entry[0] === "" ? [] : [...entry];
    argv = [...entrypoint, ...(args.length > 0 ? args : (options.imageCmd ?? []))];
  }
  if (argv.length === 0) throw new NoCommandError("no command specified");
  return argv;
}
