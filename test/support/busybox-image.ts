import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { type ImageStore, MediaType } from "../../src/runtime/images/index.js";

/**
 * Stores a one-layer image holding Debian's static busybox (as /bin/busybox
 * and /bin/sh) under `name`, built locally: no registry needed.
 */
export async function storeBusyboxImage(
  store: ImageStore,
  name: string,
  cmd = ["/bin/sh"],
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-busybox-layer-"));
  try {
    mkdirSync(join(dir, "bin"));
    mkdirSync(join(dir, "etc"));
    copyFileSync("/bin/busybox", join(dir, "bin", "busybox"));
    symlinkSync("busybox", join(dir, "bin", "sh"));
    const tar = spawn("tar", ["-C", dir, "--numeric-owner", "-cf", "-", "."], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const layer = await store.importLayer(tar.stdout as Readable);
    const config = await store.writeJson(MediaType.ociConfig, {
      architecture: "amd64",
      os: "linux",
      config: { Cmd: cmd, Env: ["PATH=/bin"] },
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
