import { execFile } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { promisify } from "node:util";
import { type OverlayLayout, overlayOptions, RootfsError } from "./overlay.js";

const run = promisify(execFile);

/** Mounts an overlay of `layout` at `target` (needs root). */
export async function mountOverlay(layout: OverlayLayout, target: string): Promise<void> {
  const options = overlayOptions(layout);
  for (const dir of [layout.upper, layout.work, target])
    if (dir) mkdirSync(dir, { recursive: true });
  try {
    await run("mount", ["-t", "overlay", "overlay", "-o", options, target]);
  } catch (err) {
    throw new RootfsError(
      `mounting the overlay at ${target} failed: ${(err as { stderr?: string }).stderr ?? String(err)}`,
      {
        cause: err,
      },
    );
  }
}

/** Whether something is mounted at `target` (from /proc/self/mountinfo). */
export function isMounted(target: string): boolean {
  const info = readFileSync("/proc/self/mountinfo", "utf8");
  return info.split("\n").some((line) => line.split(" ")[4] === target);
}

/** Unmounts `target` if mounted; a busy mount is detached lazily rather than left behind. */
export async function unmount(target: string): Promise<void> {
  if (!isMounted(target)) return;
  try {
    await run("umount", [target]);
  } catch {
    await run("umount", ["-l", target]);
  }
}
