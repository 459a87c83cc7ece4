/**
 * Names of the containers `k8ts run` starts (pure): how they are marked
 * among the engine's containers, how a user's reference (a name, a full ID
 * or a unique ID prefix, as docker accepts) finds one, and the names given
 * to containers started without `--name`.
 */

/** Label on the sandbox and container of every `k8ts run` container. */
export const LOCAL_LABEL = "io.k8ts.run";
/** Label holding the container's name. */
export const NAME_LABEL = "io.k8ts.run.name";
/** Annotations keeping what `ps` and `inspect` show as the user gave it. */
export const IMAGE_ANNOTATION = "io.k8ts.run.image";
export const COMMAND_ANNOTATION = "io.k8ts.run.command";
export const PORTS_ANNOTATION = "io.k8ts.run.ports";
export const OPTIONS_ANNOTATION = "io.k8ts.run.options";

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export class ContainerNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Throws unless `name` is a valid container name (docker's rule: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`). */
export function validateName(name: string): string {
  if (!NAME.test(name))
    throw new ContainerNameError(
      `invalid container name ${JSON.stringify(name)}: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
    );
  return name;
}

export class NoSuchContainerError extends Error {
  constructor(ref: string, detail = "") {
    super(`no such container: ${ref}${detail}`);
    this.name = new.target.name;
  }
}

export interface NamedContainer {
  readonly id: string;
  readonly name: string;
}

/**
 * The container `ref` names: an exact name, then an exact ID, then the
 * one ID starting with `ref`. A prefix two containers share is refused.
 */
export function resolveContainer<T extends NamedContainer>(
  ref: string,
  containers: readonly T[],
): T {
  if (ref === "") throw new NoSuchContainerError('""');
  const byName = containers.find((c) => c.name === ref);
  if (byName) return byName;
  const byId = containers.find((c) => c.id === ref);
  if (byId) return byId;
  const prefixed = containers.filter((c) => c.id.startsWith(ref));
  if (prefixed.length > 1)
    throw new NoSuchContainerError(ref, ` (the prefix matches ${prefixed.length} containers)`);
  const [only] = prefixed;
  if (!only) throw new NoSuchContainerError(ref);
  return only;
}

const ADJECTIVES = [
  "brave",
  "calm",
  "eager",
  "fond",
  "gentle",
  "happy",
  "keen",
  "lucid",
  "merry",
  "nimble",
  "proud",
  "quiet",
  "sharp",
  "tender",
  "vivid",
  "wise",
  "zen",
  "bold",
  "clever",
  "jolly",
];
const NOUNS = [
  "babbage",
  "curie",
  "dijkstra",
  "euler",
  "fermi",
  "gauss",
  "hopper",
  "hypatia",
  "knuth",
  "lamport",
  "liskov",
  "lovelace",
  "noether",
  "pascal",
  "ritchie",
  "shannon",
  "thompson",
  "turing",
  "wozniak",
  "yalow",
];

/** A name like docker's `keen_lovelace`, not one of `taken` (a numeric suffix if it must). */
export function generateName(taken: ReadonlySet<string>, random: () => number): string {
  const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)] ?? list[0];
  for (let attempt = 0; ; attempt++) {
    const base = `${pick(ADJECTIVES)}_${pick(NOUNS)}`;
    const name = attempt < 10 ? base : `${base}${attempt}`;
    if (!taken.has(name)) return name;
  }
}
