import { type OciState, type Runc, RuncError } from "../oci/index.js";

/**
 * Every container runc knows in the engine's root, by id, with one
 * `runc list`. runc fails the whole listing when a container is deleted
 * while it reads them, so a failed listing is tried again.
 */
export async function runcStates(runc: Runc, attempts = 4): Promise<Map<string, OciState>> {
  for (let i = 1; ; i++) {
    try {
      return new Map((await runc.list()).map((s) => [s.id, s]));
    } catch (err) {
      if (!(err instanceof RuncError) || i >= attempts) throw err;
    }
  }
}

/**
 * The objects a list filter keeps: records are checked on what they say
 * alone first (ids, labels), and only the survivors get their state. Most
 * states come from the monitor's files alone (exit file, conmon alive);
 * the ones that need runc share one `runc list`, run only if some do.
 */
export async function listMatching<R, T>(opts: {
  readonly records: readonly R[];
  readonly runc: Runc;
  /** The object as its record alone describes it (state not known yet). */
  readonly preview: (record: R) => T;
  readonly withState: (record: R, states: () => Promise<Map<string, OciState>>) => Promise<T>;
  readonly matches: (item: T, checkState: boolean) => boolean;
}): Promise<T[]> {
  const candidates = opts.records.filter((r) => opts.matches(opts.preview(r), false));
  if (candidates.length === 0) return [];
  let listing: Promise<Map<string, OciState>> | undefined;
  const states = () => {
    listing ??= runcStates(opts.runc);
    return listing;
  };
  const out: T[] = [];
  for (const r of candidates) {
    const item = await opts.withState(r, states);
    if (opts.matches(item, true)) out.push(item);
  }
  return out;
}
