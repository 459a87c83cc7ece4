/**
 * A directory of records, one `<id>.json` per sandbox or container, each
 * written atomically (temp file, fsync, rename): a crash leaves the old
 * record or the new one, never half of one.
 */
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
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

export class RecordStore<T extends SandboxRecord | ContainerRecord> {
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
   * for the caller to log and clean up rather than to stop the engine.
   */
  async list(): Promise<{ records: T[]; broken: { file: string; error: string }[] }> {
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
