import { existsSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { StoreUnavailableError } from "../errors.js";

/** Marks a database file as k8ts's ("k8ts" in ASCII) so a foreign file is never taken over. */
export const APPLICATION_ID = 0x6b387473;
export const SCHEMA_VERSION = 1;

/**
 * One append-only log table, as kine has it: the row id is the revision.
 * A row is a create, an update, or a delete tombstone of `name`;
 * prev_revision links it to the key's previous row, so a key's history is a
 * chain and the unique (name, prev_revision) index makes two writers that
 * raced on the same previous revision impossible.
 */
const DDL = `
CREATE TABLE kine (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  version INTEGER NOT NULL,
  value BLOB NOT NULL
);
CREATE UNIQUE INDEX kine_name_prev_revision ON kine (name, prev_revision);
CREATE INDEX kine_name_id ON kine (name, id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('compact_revision', 0);
`;

export interface OpenOptions {
  readonly path: string;
  /** fsync the log on every commit (synchronous=FULL). Default true. */
  readonly durable: boolean;
}

/**
 * Opens (or creates) the database file and checks it is k8ts's and sound.
 * A file that is not SQLite, belongs to something else, was written by a
 * newer schema, or fails SQLite's integrity check is refused with an error
 * that says so: the store never silently resets a file.
 */
export function openDatabase(opts: OpenOptions): Database.Database {
  const existed = existsSync(opts.path) && statSync(opts.path).size > 0;
  let db: Database.Database;
  try {
    db = new Database(opts.path);
  } catch (err) {
    throw new StoreUnavailableError(`cannot open datastore ${opts.path}: ${errorText(err)}`, {
      cause: err,
    });
  }
  try {
    // Exclusive locking: one k8ts process owns the file; a second one gets a
    // clear error instead of writing behind the first one's watchers.
    db.pragma("locking_mode = EXCLUSIVE");
    const appId = readPragma(db, opts.path, "application_id");
    if (existed && appId !== APPLICATION_ID) {
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number };
      if (tables.n > 0) {
        throw new StoreUnavailableError(
          `${opts.path} is a SQLite database that k8ts did not create (application_id ${appId}); refusing to use it`,
        );
      }
    }
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${opts.durable ? "FULL" : "NORMAL"}`);
    const userVersion = readPragma(db, opts.path, "user_version");
    if (appId === APPLICATION_ID) {
      if (userVersion > SCHEMA_VERSION) {
        throw new StoreUnavailableError(
          `${opts.path} has schema version ${userVersion}, newer than this k8ts understands (${SCHEMA_VERSION})`,
        );
      }
      const check = db.pragma("quick_check", { simple: true });
      if (check !== "ok") {
        throw new StoreUnavailableError(
          `${opts.path} failed SQLite's integrity check (${String(check)}); restore a backup or move the file aside`,
        );
      }
    } else {
      db.transaction(() => {
        db.exec(DDL);
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }).immediate();
    }
    return db;
  } catch (err) {
    db.close();
    if (err instanceof StoreUnavailableError) throw err;
    throw new StoreUnavailableError(
      `cannot use datastore ${opts.path}: ${describeSqliteError(err)}`,
      {
        cause: err,
      },
    );
  }
}

function readPragma(db: Database.Database, path: string, name: string): number {
  const value = db.pragma(name, { simple: true });
  if (typeof value !== "number") {
    throw new StoreUnavailableError(`${path}: unexpected PRAGMA ${name} result ${String(value)}`);
  }
  return value;
}

function describeSqliteError(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === "SQLITE_NOTADB") return "the file is not a SQLite database (corrupt or foreign)";
  if (code === "SQLITE_CORRUPT") return "the database file is corrupt";
  if (code === "SQLITE_BUSY")
    return "the database is locked by another process (is k8ts already running?)";
  return errorText(err);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
