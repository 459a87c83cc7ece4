/**
 * tmpfs mounts of memory-backed volumes, through mount(8) and umount(8)
 * (needs CAP_SYS_ADMIN). Mount state is read from /proc/self/mountinfo, so
 * it survives a kubelet restart.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { messageOf, VolumeError } from "./errors.js";
import { type MountEntry, mountPointsUnder, parseMountInfo } from "./mount-table.js";

const run = promisify(execFile);

async function mountTable(): Promise<MountEntry[]> {
  return parseMountInfo(await readFile("/proc/self/mountinfo", "utf8"));
}

function stderrOf(err: unknown): string {
  const stderr = (err as { stderr?: unknown }).stderr;
  return typeof stderr === "string" && stderr.trim() !== "" ? stderr.trim() : messageOf(err);
}

/** Whether `dir` (a resolved path) is itself a mount point. */
export async function isMountPoint(dir: string): Promise<boolean> {
  return (await mountTable()).some((e) => e.mountPoint === dir);
}

/** Mount points at or beneath `dir` (a resolved path), deepest first. */
export async function mountsUnder(dir: string): Promise<string[]> {
  return mountPointsUnder(await mountTable(), dir);
}

/** Mounts a tmpfs at `dir`, of `sizeBytes` when given (else the kernel's default, half of RAM). */
export async function mountTmpfs(dir: string, sizeBytes: bigint | undefined): Promise<void> {
  const options = sizeBytes === undefined ? [] : ["-o", `size=${sizeBytes}`];
  try {
    await run("mount", ["-t", "tmpfs", ...options, "tmpfs", dir]);
  } catch (err) {
    throw new VolumeError(`mounting tmpfs at ${dir} failed: ${stderrOf(err)}`, { cause: err });
  }
}

/** Unmounts `dir`; a busy mount is detached lazily (`umount -l`) rather than left behind. */
export async function unmount(dir: string): Promise<void> {
  try {
    await run("umount", [dir]);
  } catch (first) {
    try {
      await run("umount", ["-l", dir]);
    } catch (err) {
      throw new VolumeError(`unmounting ${dir} failed: ${stderrOf(first)}`, { cause: err });
    }
  }
}
