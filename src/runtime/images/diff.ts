import { createReadStream } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { WHITEOUT_OPAQUE, WHITEOUT_PREFIX } from "./layer-paths.js";
import { OVERLAY_OPAQUE_XATTR } from "./layers.js";
import { getXattrsRecursive } from "./sysops.js";
import { TarWriter } from "./tar-stream.js";

/** Overlay bookkeeping xattrs that must not travel in a layer. */
function isOverlayXattr(name: string): boolean {
  return name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.");
}

function isOpaque(xattrs: Record<string, Buffer> | undefined): boolean {
  const v = xattrs?.[OVERLAY_OPAQUE_XATTR] ?? xattrs?.["user.overlay.opaque"];
  return v !== undefined && v.toString() === "y";
}

/**
 * Writes an OCI layer tar of an overlay upper directory (what `commit`
 * records): files, directories, symlinks, hardlinks, FIFOs and devices
 * as they are; a 0:0 character device (overlayfs's deletion mark) becomes
 * `.wh.<name>`; a directory marked opaque gets `.wh..wh..opq` inside it.
 * Entries are sorted so the tar is the same for the same tree. Paths in
 * `exclude` (relative, like `etc/hosts`) are left out, deletion marks too.
 */
export async function writeLayerFromUpper(
  upper: string,
  out: Writable,
  options: { exclude?: readonly string[] } = {},
): Promise<void> {
  const excluded = new Set(options.exclude ?? []);
  const xattrs = await getXattrsRecursive(upper);
  const tar = new TarWriter(out);
  const inodes = new Map<string, string>();

  const walk = async (dir: string, rel: string): Promise<void> => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const path = join(dir, name);
      const relPath = rel === "" ? name : `${rel}/${name}`;
      if (excluded.has(relPath)) continue;
      const st = await lstat(path);
      const attrs = Object.fromEntries(
        Object.entries(xattrs.get(path) ?? {}).filter(([k]) => !isOverlayXattr(k)),
      );
      const common = {
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        mtime: Math.floor(st.mtimeMs / 1000),
        xattrs: attrs,
      };
      if (st.isCharacterDevice() && st.rdev === 0) {
        const parent = rel === "" ? "" : `${rel}/`;
        await tar.add({
          name: `${parent}${WHITEOUT_PREFIX}${name}`,
          type: "file",
          mode: 0,
          mtime: 0,
        });
        continue;
      }
      if (st.isDirectory()) {
        await tar.add({ ...common, name: `${relPath}/`, type: "dir" });
        if (isOpaque(xattrs.get(path))) {
          await tar.add({ name: `${relPath}/${WHITEOUT_OPAQUE}`, type: "file", mode: 0, mtime: 0 });
        }
        await walk(path, relPath);
        continue;
      }
      if (st.nlink > 1 && !st.isDirectory()) {
        const key = `${st.dev}:${st.ino}`;
        const first = inodes.get(key);
        if (first !== undefined) {
          await tar.add({ ...common, name: relPath, type: "link", linkname: first });
          continue;
        }
        inodes.set(key, relPath);
      }
      if (st.isFile()) {
        await tar.add(
          { ...common, name: relPath, type: "file", size: st.size },
          createReadStream(path),
        );
      } else if (st.isSymbolicLink()) {
        await tar.add({
          ...common,
          name: relPath,
          type: "symlink",
          linkname: await readlink(path),
        });
      } else if (st.isFIFO()) {
        await tar.add({ ...common, name: relPath, type: "fifo" });
      } else if (st.isCharacterDevice() || st.isBlockDevice()) {
        await tar.add({
          ...common,
          name: relPath,
          type: st.isCharacterDevice() ? "char" : "block",
          devmajor: Math.floor(st.rdev / 256) & 0xfff,
          devminor: (st.rdev & 0xff) | ((Math.floor(st.rdev / 4096) & 0xfff00) >>> 0),
        });
      }
      // Sockets are not archived (as in Docker and containerd).
    }
  };
  await walk(upper, "");
  await tar.finish();
}
