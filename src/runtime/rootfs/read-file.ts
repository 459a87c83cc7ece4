/**
 * Reading a file of a container's root filesystem from the host, with the
 * image's symlinks resolved inside that root (as the container would see
 * them, like containerd's fs.RootPath): an image whose /etc/passwd links
 * to `/etc/shadow` gets its own /etc/shadow, never the host's.
 */
import { lstat, readFile, readlink } from "node:fs/promises";
import { join, posix } from "node:path";

/** Linux's own bound on symlinks followed in one lookup. */
const MAX_LINKS = 40;

/** `path` (absolute, inside the container) as a host path under `root`, symlinks scoped to `root`. */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  let pending = posix.normalize(`/${path}`).split("/").filter(Boolean);
  let resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() ?? "";
    if (part === "..") {
      resolved.pop();
      continue;
    }
    const candidate = [...resolved, part];
    const stats = await lstat(join(root, ...candidate)).catch(() => undefined);
    if (!stats?.isSymbolicLink()) {
      resolved = candidate;
      continue;
    }
    links += 1;
    if (links > MAX_LINKS) throw new Error(`too many symbolic links resolving ${path} in ${root}`);
    const target = await readlink(join(root, ...candidate));
    if (target.startsWith("/")) resolved = [];
    pending = [...target.split("/").filter((p) => p !== "" && p !== "."), ...pending];
  }
  return join(root, ...resolved);
}

/** The file's text, "" when the root has no such file. */
export async function readRootfsFile(root: string, path: string): Promise<string> {
  try {
    return await readFile(await resolveInRoot(root, path), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return "";
    throw error;
  }
}
