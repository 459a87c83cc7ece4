/**
 * A directory of records, one `<id>.json` per sandbox or container, each
 * written atomically (temp file, fsync, rename): a crash leaves the old
 * record or the new one, never half of one.
 *
 * `list()` is what every relist of the kubelet asks for, so its result is
 * kept in memory and reused while the directory's mtime is unchanged: every
 * put (a rename into the directory) and delete changes it, whichever
 * process — another engine on the same state dir, `k8ts ps` — made them.
 * As git does with its index, an mtime within the last two seconds is not
 * trusted (a change in the same timestamp tick would not show).
 */
import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../images/atomic.js";
import {
  type ContainerRecord,
  decodeRecord,
  encodeRecord,
  RecordFormatError,
  type SandboxRecord,
} from "./records.js";

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** How recent a directory mtime must be for a listing of it not to be reused. */
const RACY_NS = 2_000_000_000n;

function deepFreeze<V>(value: V): V {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

interface Listing<T> {
  readonly mtimeNs: bigint;
  readonly records: readonly T[];
  readonly broken: readonly { file: string; error: string }[];
}

export class RecordStore<T extends SandboxRecord | ContainerRecord> {
  #listing: Listing<T> | undefined;

  constructor(readonly dir: string) {}

  async put(record: T): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.#path(record.id), encodeRecord(record));
  }

  /** The record, or undefined when there is none. */
  async get(id: string): Promise<T | undefined> {
    try {
      return decodeRecord<T>(await readFile(this.#path(id), "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  /**
   * Every readable record. Unreadable ones are returned apart, by file name,
   * for the caller to log and clean up rather than to stop the engine. The
   * records are shared with later calls and frozen: change a copy from
   * `get()`, then `put()` it.
   */
  async list(): Promise<{ records: readonly T[]; broken: { file: string; error: string }[] }> {
    let mtimeNs: bigint;
    try {
      mtimeNs = (await stat(this.dir, { bigint: true })).mtimeNs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { records: [], broken: [] };
      throw error;
    }
    const cached = this.#listing;
    if (cached && cached.mtimeNs === mtimeNs) {
      return { records: cached.records, broken: [...cached.broken] };
    }
    const listing = await this.#read();
    const trusted = BigInt(Date.now()) * 1_000_000n - mtimeNs > RACY_NS;
    this.#listing = trusted
      ? { mtimeNs, records: deepFreeze(listing.records), broken: listing.broken }
      : undefined;
    return listing;
  }

  async #read(): Promise<{ records: T[]; broken: { file: string; error: string }[] }> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { records: [], broken: [] };
      throw error;
    }
    const records: T[] = [];
    const broken: { file: string; error: string }[] = [];
    for (const name of names.sort()) {
      if (!name.endsWith(".json")) continue; // temp files of an interrupted write
      try {
        records.push(decodeRecord<T>(await readFile(join(this.dir, name), "utf8")));
      } catch (error) {
        // Removed since the directory was read: it is simply gone.
        if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
        if (!(error instanceof RecordFormatError)) throw error;
        broken.push({ file: name, error: error.message });
      }
    }
    return { records, broken };
  }

  /** Removes the record; idempotent. */
  async delete(id: string): Promise<void> {
    await rm(this.#path(id), { force: true });
  }

  #path(id: string): string {
    if (!ID.test(id)) throw new Error(`invalid record id ${JSON.stringify(id)}`);
    return join(this.dir, `${id}.json`);
  }
}
