/**
 * The atomic writer (upstream pkg/volume/util/atomic_writer.go): publishes
 * a payload so that a reader never sees a mix of old and new files.
 *
 *   <dir>/..2024_05_01_12_00_00.abc123/   the files, in a timestamped directory
 *   <dir>/..data -> ..2024_05_01_12_00_00.abc123
 *   <dir>/config.yaml -> ..data/config.yaml   one link per top-level name
 *
 * A new version is written to a fresh timestamped directory, then the
 * `..data` link is replaced by rename(2), which is atomic; the old
 * directory is removed afterwards. Nothing changes when the payload equals
 * what is published.
 */
import type { Dirent } from "node:fs";
import {
  chmod,
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  symlink,
  unlink,
  writeFile,
} from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { cleanPayload, type Payload, topLevelNames, withParents } from "./payload.js";

export const DATA_DIR_NAME = "..data";
const NEW_DATA_DIR_NAME = "..data_tmp";
const TIMESTAMP_DIR = /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\./;

export interface AtomicWriteOptions {
  /**
   * Called with the new timestamped directory's name once its files are
   * written and before they are published (to apply fsGroup ownership).
   */
  setPerms?: (tsDirName: string) => Promise<void>;
  /** The clock that names timestamped directories. Default: the current time. */
  now?: () => Date;
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === "ENOENT";
}

async function readlinkOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readlink(path);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Every path beneath `dir`, relative to it, without following links. */
async function walk(dir: string, prefix = ""): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(join(dir, prefix), { withFileTypes: true });
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
  const out: string[] = [];
  for (const entry of entries) {
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    out.push(rel);
    if (entry.isDirectory()) out.push(...(await walk(dir, rel)));
  }
  return out;
}

/** Paths of the published version the new payload no longer has (its files and their directories). */
async function pathsToRemove(payload: Payload, oldTsPath: string): Promise<Set<string>> {
  const keep = new Set([...payload.keys()].flatMap(withParents));
  return new Set((await walk(oldTsPath)).filter((p) => !keep.has(p)));
}

/** Whether any file of the payload differs from (or is missing in) the published version. */
async function payloadDiffers(payload: Payload, oldTsPath: string): Promise<boolean> {
  for (const [path, file] of payload) {
    let current: Buffer;
    try {
      current = await readFile(join(oldTsPath, path));
    } catch (err) {
      if (isNotFound(err)) return true;
      throw err;
    }
    if (!current.equals(file.data)) return true;
  }
  return false;
}

/** `..2006_01_02_15_04_05.` in UTC, the prefix of a timestamped directory. */
export function timestampPrefix(date: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return (
    `..${date.getUTCFullYear()}_${p(date.getUTCMonth() + 1)}_${p(date.getUTCDate())}_` +
    `${p(date.getUTCHours())}_${p(date.getUTCMinutes())}_${p(date.getUTCSeconds())}.`
  );
}

async function newTimestampDir(targetDir: string, now: Date): Promise<string> {
  const tsDir = await mkdtemp(join(targetDir, timestampPrefix(now)));
  // 0755 so group and other can reach the files whatever the umask.
  await chmod(tsDir, 0o755);
  return tsDir;
}

async function writePayloadToDir(payload: Payload, dir: string): Promise<void> {
  for (const [path, file] of payload) {
    const full = join(dir, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, file.data, { mode: file.mode });
    // The mode given to open(2) is masked by the umask; chmod sets it exactly.
    await chmod(full, file.mode);
    if (file.fsUser !== undefined) await chown(full, file.fsUser, -1);
  }
}

/** Links `<dir>/<name> -> ..data/<name>` for each top-level name that has none yet. */
async function createUserVisibleFiles(targetDir: string, payload: Payload): Promise<void> {
  for (const name of topLevelNames(payload)) {
    const visible = join(targetDir, name);
    try {
      await lstat(visible);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await symlink(join(DATA_DIR_NAME, name), visible);
    }
  }
}

/** Removes the top-level links of names the payload dropped. */
async function removeUserVisiblePaths(targetDir: string, paths: Set<string>): Promise<void> {
  for (const path of paths) {
    if (path.includes("/")) continue;
    try {
      await unlink(join(targetDir, path));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** Removes timestamped directories other than the published one (leftovers of interrupted writes). */
async function removeStaleTimestampDirs(targetDir: string): Promise<void> {
  const current = await readlinkOrUndefined(join(targetDir, DATA_DIR_NAME));
  for (const entry of await readdir(targetDir, { withFileTypes: true })) {
    if (entry.isDirectory() && TIMESTAMP_DIR.test(entry.name) && entry.name !== current)
      await rm(join(targetDir, entry.name), { recursive: true, force: true });
  }
}

/**
 * Publishes `payload` in `targetDir` (which must exist). Returns whether a
 * new version was written. Throws on an invalid payload path before
 * touching the disk; a failed write removes what it had written and leaves
 * the published version as it was.
 */
export async function writeAtomically(
  targetDir: string,
  payload: Payload,
  opts: AtomicWriteOptions = {},
): Promise<boolean> {
  const clean = cleanPayload(payload);
  const dataDirPath = join(targetDir, DATA_DIR_NAME);
  let oldTsDir = await readlinkOrUndefined(dataDirPath);
  let toRemove = new Set<string>();
  let write = true;
  if (oldTsDir !== undefined) {
    const oldTsPath = join(targetDir, oldTsDir);
    toRemove = await pathsToRemove(clean, oldTsPath);
    if (toRemove.size === 0 && !(await payloadDiffers(clean, oldTsPath))) {
      write = false;
      oldTsDir = undefined; // the published version stays
    }
  }

  if (write) {
    const tsDir = await newTimestampDir(targetDir, (opts.now ?? (() => new Date()))());
    const newDataDirPath = join(targetDir, NEW_DATA_DIR_NAME);
    try {
      await writePayloadToDir(clean, tsDir);
      await opts.setPerms?.(basename(tsDir));
      await rm(newDataDirPath, { force: true }); // left by an interrupted write
      await symlink(basename(tsDir), newDataDirPath);
      await rename(newDataDirPath, dataDirPath);
    } catch (err) {
      await rm(newDataDirPath, { force: true });
      await rm(tsDir, { recursive: true, force: true });
      throw err;
    }
  }

  await createUserVisibleFiles(targetDir, clean);
  await removeUserVisiblePaths(targetDir, toRemove);
  if (oldTsDir !== undefined) await rm(join(targetDir, oldTsDir), { recursive: true, force: true });
  await removeStaleTimestampDirs(targetDir);
  return write;
}
