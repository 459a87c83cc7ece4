/**
 * hostPath type checks (upstream pkg/volume/hostpath checkType): what must
 * already be at the path, or what to create there. Creating never makes
 * parents of a file (FileOrCreate needs its directory to exist).
 */
import type { Stats } from "node:fs";
import { mkdir, open, stat } from "node:fs/promises";
import { hostPathError } from "./paths.js";

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

function failed(path: string, what: string): Error {
  return new Error(`hostPath type check failed: ${path} is not ${what}`);
}

/** Checks `path` against hostPath `type` ("" checks nothing), creating it for the *OrCreate types. */
export async function checkHostPath(path: string, type: string): Promise<void> {
  const invalid = hostPathError(path);
  if (invalid !== undefined) throw new Error(invalid);
  if (type === "") return;
  const info = await statOrUndefined(path);
  switch (type) {
    case "DirectoryOrCreate":
      if (info === undefined) {
        await mkdir(path, { recursive: true, mode: 0o755 });
        return;
      }
      if (!info.isDirectory()) throw failed(path, "a directory");
      return;
    case "Directory":
      if (!info?.isDirectory()) throw failed(path, "a directory");
      return;
    case "FileOrCreate":
      if (info === undefined) {
        await (await open(path, "a", 0o644)).close();
        return;
      }
      if (!info.isFile()) throw failed(path, "a file");
      return;
    case "File":
      if (!info?.isFile()) throw failed(path, "a file");
      return;
    case "Socket":
      if (!info?.isSocket()) throw failed(path, "a socket file");
      return;
    case "CharDevice":
      if (!info?.isCharacterDevice()) throw failed(path, "a character device");
      return;
    case "BlockDevice":
      if (!info?.isBlockDevice()) throw failed(path, "a block device");
      return;
    default:
      throw new Error(`${type} is an invalid volume type`);
  }
}

/** A local persistent volume's path must exist. */
export async function checkLocalPath(path: string): Promise<void> {
  const invalid = hostPathError(path);
  if (invalid !== undefined) throw new Error(invalid);
  if ((await statOrUndefined(path)) === undefined) throw new Error(`path "${path}" does not exist`);
}
