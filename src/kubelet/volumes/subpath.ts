/**
 * subPath preparation (upstream subpath SafeMakeDir): creates the missing
 * directories of a subPath inside a volume, with the volume root's mode,
 * and refuses a subPath that leads out of the volume through a symlink.
 *
 * Limitation: upstream opens every component with O_NOFOLLOW and
 * bind-mounts the result so a container cannot swap a component for a
 * symlink between the check and the runtime's mount; k8ts checks the
 * resolved path and hands that to the runtime, which narrows the window
 * but does not close it.
 */
import type { Stats } from "node:fs";
import { chmod, lstat, mkdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { isWithin } from "./paths.js";

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** Makes `subPath` exist inside `volumePath` and returns its resolved host path. */
export async function prepareSubPath(volumePath: string, subPath: string): Promise<string> {
  const root = await realpath(volumePath);
  const perm = (await stat(root)).mode & 0o7777;
  let current = root;
  for (const part of subPath.split("/")) {
    if (part === "" || part === ".") continue;
    const next = join(current, part);
    const info = await lstatOrUndefined(next);
    if (info === undefined) {
      await mkdir(next, { mode: perm & 0o777 });
      await chmod(next, perm); // mkdir's mode is masked by the umask
      current = next;
      continue;
    }
    current = info.isSymbolicLink() ? await realpath(next) : next;
    if (!isWithin(root, current))
      throw new Error(`subPath ${subPath} leads outside of the volume ${volumePath}`);
  }
  return current;
}
