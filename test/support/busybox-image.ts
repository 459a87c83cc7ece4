import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { type ImageStore, MediaType } from "../../src/runtime/images/index.js";

/** What a test image adds to plain busybox. */
export interface BusyboxExtras {
  /** Files to add, by path inside the image (`etc/passwd`): their text. */
  readonly files?: Readonly<Record<string, string>>;
  /** The config's User (`app`, `1000:1000`, ...). Default none (root). */
  readonly user?: string;
}

/**
 * Stores a one-layer image holding Debian's static busybox (as /bin/busybox
 * and /bin/sh) under `name`, built locally: no registry needed.
 */
export async function storeBusyboxImage(
  store: ImageStore,
  name: string,
  cmd = ["/bin/sh"],
  extras: BusyboxExtras = {},
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-busybox-layer-"));
  try {
    mkdirSync(join(dir, "bin"));
    mkdirSync(join(dir, "etc"));
    copyFileSync("/bin/busybox", join(dir, "bin", "busybox"));
    symlinkSync("busybox", join(dir, "bin", "sh"));
    for (const [path, text] of Object.entries(extras.files ?? {})) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const tar = spawn("tar", ["-C", dir, "--numeric-owner", "-cf", "-", "."], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const layer = await store.importLayer(tar.stdout as Readable);
    const config = await store.writeJson(MediaType.ociConfig, {
      architecture: "amd64",
      os: "linux",
      config: {
        Cmd: cmd,
        Env: ["PATH=/bin"],
        ...(extras.user !== undefined ? { User: extras.user } : {}),
      },
      rootfs: { type: "layers", diff_ids: [layer.diffId] },
    });
    const manifest = await store.writeJson(MediaType.ociManifest, {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config,
      layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
    });
    await store.tag(name, manifest);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
