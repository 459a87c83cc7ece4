import { createWriteStream } from "node:fs";
import {
  chmod,
  lchown,
  link,
  lstat,
  lutimes,
  mkdir,
  readdir,
  readlink,
  rm,
  symlink,
  utimes,
} from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { HashingTap, maybeGunzip } from "./compression.js";
import type { Digest } from "./digest.js";
import { DigestMismatchError, UnsafeLayerPathError } from "./errors.js";
import { classifyWhiteout, entryComponents, resolveInRoot } from "./layer-paths.js";
import { mknod, setXattrs } from "./sysops.js";
import type { TarEntry } from "./tar-format.js";
import { readTar } from "./tar-stream.js";

/** Opaque-directory xattr overlayfs reads (what containerd's overlay applier writes). */
export const OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";

export interface UnpackOptions {
  /**
   * How whiteouts are applied. "overlay" (default) leaves them for overlayfs
   * the way containerd's overlay applier does: `.wh.x` becomes a 0:0
   * character device `x`, `.wh..wh..opq` sets trusted.overlay.opaque=y on
   * its directory. "delete" removes the whited-out paths (flattening into
   * one directory).
   */
  readonly whiteouts?: "overlay" | "delete";
  /** Chown entries to their uid/gid (default: when running as root). */
  readonly sameOwner?: boolean;
  /** The uncompressed digest the layer must have (rootfs.diff_ids[i]). */
  readonly expectedDiffId?: Digest;
}

export interface UnpackResult {
  /** sha256 of the uncompressed tar. */
  readonly diffId: Digest;
  /** Bytes of the uncompressed tar. */
  readonly size: number;
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/**
 * Unpacks a layer (gzip or plain tar) into `target`. Entries are confined
 * to `target`: absolute names, `..` escapes, parents reached through
 * symlinks that leave the layer and hardlinks to outside targets are
 * refused with UnsafeLayerPathError before anything is written for them.
 */
export async function unpackLayer(
  input: AsyncIterable<Buffer | Uint8Array>,
  target: string,
  options: UnpackOptions = {},
): Promise<UnpackResult> {
  const whiteouts = options.whiteouts ?? "overlay";
  const sameOwner = options.sameOwner ?? process.getuid?.() === 0;
  await mkdir(target, { recursive: true });
  const tap = new HashingTap();
  const dirs: { path: string; mtime: number }[] = [];
  const xattrs: { path: string; xattrs: Record<string, Buffer> }[] = [];
  const unpacked = new Set<string>();

  // Synchronous-looking readlink for the pure resolver, backed by a cache
  // filled as we create symlinks (the only symlinks are the ones this layer made).
  const links = new Map<string, string>();
  const resolve = (parts: readonly string[]) => resolveInRoot(parts, (rel) => links.get(rel));
  const abs = (parts: readonly string[]) => join(target, ...parts);

  const ensureParents = async (parts: readonly string[]) => {
    for (let i = 1; i <= parts.length; i++) {
      const p = abs(parts.slice(0, i));
      const st = await lstatOrUndefined(p);
      if (st?.isDirectory()) continue;
      if (st) throw new UnsafeLayerPathError(`${parts.slice(0, i).join("/")} is not a directory`);
      await mkdir(p, { mode: 0o755 });
    }
  };

  for await (const { header, body } of readTar(tap.tap(maybeGunzip(input)))) {
    const parts = entryComponents(header.name);
    if (parts.length === 0) {
      // The root itself: only its metadata could apply; leave the target as created.
      continue;
    }
    const parent = resolve(parts.slice(0, -1));
    const base = parts[parts.length - 1] as string;
    await ensureParents(parent);
    const rel = [...parent, base];
    const path = abs(rel);

    const wh = classifyWhiteout(rel);
    if (wh.kind === "meta") continue;
    if (wh.kind === "opaque") {
      if (whiteouts === "overlay") {
        xattrs.push({ path: abs(parent), xattrs: { [OVERLAY_OPAQUE_XATTR]: Buffer.from("y") } });
      } else {
        await clearDirectoryExcept(abs(parent), parent, unpacked);
      }
      continue;
    }
    if (wh.kind === "whiteout") {
      const victim = abs(wh.target);
      await rm(victim, { recursive: true, force: true });
      forgetLinks(links, wh.target.join("/"));
      if (whiteouts === "overlay") {
        await mknod(victim, { type: "char", major: 0, minor: 0 });
        if (sameOwner) await lchown(victim, header.uid, header.gid);
      }
      continue;
    }

    const existing = await lstatOrUndefined(path);
    if (existing && !(existing.isDirectory() && header.type === "dir")) {
      await rm(path, { recursive: true, force: true });
      forgetLinks(links, rel.join("/"));
    }
    await createEntry(header, body, { path, root: target, resolve, abs });
    if (header.type === "symlink") links.set(rel.join("/"), header.linkname);
    // A hardlink shares its target's inode, whose owner and mode are already
    // set (a chown here would also clear the target's setuid bit).
    if (sameOwner && header.type !== "link") await lchown(path, header.uid, header.gid);
    if (header.type !== "symlink" && header.type !== "link") await chmod(path, header.mode);
    if (Object.keys(header.xattrs).length > 0 && header.type !== "link") {
      xattrs.push({ path, xattrs: { ...header.xattrs } });
    }
    if (header.type === "dir") dirs.push({ path, mtime: header.mtime });
    else if (header.type === "symlink") await lutimes(path, header.mtime, header.mtime);
    else if (header.type !== "link") await utimes(path, header.mtime, header.mtime);
    unpacked.add(rel.join("/"));
  }
  // Extended attributes after chown (chown clears security.capability).
  await setXattrs(xattrs);
  // Directory times last: creating entries inside them bumped their mtime.
  for (const d of dirs.reverse()) await utimes(d.path, d.mtime, d.mtime);

  const diffId = tap.digest();
  if (options.expectedDiffId && options.expectedDiffId !== diffId) {
    throw new DigestMismatchError(
      `layer diff id is ${diffId}, the image config says ${options.expectedDiffId}`,
    );
  }
  return { diffId, size: tap.size };
}

function forgetLinks(links: Map<string, string>, prefix: string): void {
  for (const k of links.keys()) if (k === prefix || k.startsWith(`${prefix}/`)) links.delete(k);
}

async function clearDirectoryExcept(
  dir: string,
  rel: readonly string[],
  keep: ReadonlySet<string>,
): Promise<void> {
  for (const name of await readdir(dir)) {
    const r = [...rel, name].join("/");
    if (keep.has(r)) {
      const st = await lstat(join(dir, name));
      if (st.isDirectory()) await clearDirectoryExcept(join(dir, name), [...rel, name], keep);
      continue;
    }
    await rm(join(dir, name), { recursive: true, force: true });
  }
}

async function createEntry(
  header: TarEntry,
  body: AsyncIterable<Buffer>,
  ctx: {
    path: string;
    root: string;
    resolve: (parts: readonly string[]) => string[];
    abs: (parts: readonly string[]) => string;
  },
): Promise<void> {
  switch (header.type) {
    case "dir":
      if (!(await lstatOrUndefined(ctx.path))?.isDirectory())
        await mkdir(ctx.path, { mode: 0o700 });
      return;
    case "file":
      await pipeline(body, createWriteStream(ctx.path, { mode: 0o600, flags: "wx" }));
      return;
    case "symlink":
      await symlink(header.linkname, ctx.path);
      return;
    case "link": {
      const parts = entryComponents(header.linkname);
      if (parts.length === 0)
        throw new UnsafeLayerPathError(`hardlink ${header.name} to the layer root`);
      const resolved = [...ctx.resolve(parts.slice(0, -1)), parts[parts.length - 1] as string];
      const source = ctx.abs(resolved);
      const st = await lstatOrUndefined(source);
      if (!st)
        throw new UnsafeLayerPathError(
          `hardlink ${header.name} -> ${header.linkname}: target not in layer`,
        );
      if (st.isDirectory())
        throw new UnsafeLayerPathError(`hardlink ${header.name} to a directory`);
      await link(source, ctx.path);
      return;
    }
    case "char":
    case "block":
      await mknod(ctx.path, { type: header.type, major: header.devmajor, minor: header.devminor });
      return;
    case "fifo":
      await mknod(ctx.path, { type: "fifo" });
      return;
  }
}

/** Reads a symlink if the path is one (used by tests and the rootfs builder). */
export async function readLinkIfAny(path: string): Promise<string | undefined> {
  const st = await lstatOrUndefined(path);
  return st?.isSymbolicLink() ? readlink(path) : undefined;
}
