/**
 * fsGroup ownership (upstream volume.SetVolumeOwnership): every file of a
 * volume gets the pod's fsGroup as its group and group read (and write,
 * unless the volume is read-only) permission; directories also get the
 * setgid bit and group search, so new files inherit the group.
 */
import { chmod, lchown, lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

const RW_MASK = 0o660;
const RO_MASK = 0o440;
const EXEC_MASK = 0o110;
const SETGID = 0o2000;

async function applyTo(path: string, opts: { gid: number; readOnly: boolean }): Promise<void> {
  const info = await lstat(path);
  await lchown(path, -1, opts.gid);
  if (info.isSymbolicLink()) return;
  let mask = opts.readOnly ? RO_MASK : RW_MASK;
  if (info.isDirectory()) mask |= SETGID | EXEC_MASK;
  await chmod(path, (info.mode & 0o7777) | mask);
  if (!info.isDirectory()) return;
  for (const name of await readdir(path)) await applyTo(join(path, name), opts);
}

/** Gives `dir` and everything beneath it (links not followed) to group `gid`. */
export async function applyFsGroup(
  dir: string,
  opts: { gid: number; readOnly: boolean },
): Promise<void> {
  await applyTo(dir, opts);
}
