import { PassThrough } from "node:stream";
import { gzipSync } from "node:zlib";
import { type Digest, sha256Digest } from "../../../src/runtime/images/digest.js";
import type { Descriptor, ImageManifest } from "../../../src/runtime/images/manifest.js";
import { MediaType } from "../../../src/runtime/images/media-types.js";
import type { ImageStore } from "../../../src/runtime/images/store.js";
import {
  END_OF_ARCHIVE,
  type EntryInput,
  encodeHeader,
  padding,
} from "../../../src/runtime/images/tar-format.js";
import { TarWriter } from "../../../src/runtime/images/tar-stream.js";

export interface TestEntry extends EntryInput {
  readonly data?: string | Buffer;
}

/** A tar built with our writer. */
export async function buildTar(entries: readonly TestEntry[]): Promise<Buffer> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on("data", (c: Buffer) => parts.push(c));
  const done = new Promise((r) => out.on("end", r));
  const tar = new TarWriter(out);
  for (const e of entries) {
    const data = e.data === undefined ? undefined : Buffer.from(e.data);
    await tar.add({ mtime: 1_700_000_000, ...e }, data);
  }
  await tar.finish();
  await done;
  return Buffer.concat(parts);
}

/** A tar assembled from raw headers, for malicious names our writer would not produce. */
export function rawTar(entries: readonly TestEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
    parts.push(encodeHeader({ ...e, size: data.length }), data, Buffer.alloc(padding(data.length)));
  }
  parts.push(END_OF_ARCHIVE);
  return Buffer.concat(parts);
}

export interface TinyImage {
  readonly manifest: ImageManifest;
  readonly manifestBytes: Buffer;
  readonly manifestDigest: Digest;
  readonly config: Buffer;
  readonly layers: { bytes: Buffer; digest: Digest; diffId: Digest }[];
  readonly blobs: Map<Digest, Buffer>;
}

/** A one- or two-layer OCI image built in memory. */
export async function tinyImage(
  options: {
    files?: Record<string, string>;
    extraLayer?: Record<string, string>;
    cmd?: string[];
    label?: string;
  } = {},
): Promise<TinyImage> {
  const layerSpecs = [options.files ?? { "hello.txt": "hello from k8ts\n" }];
  if (options.extraLayer) layerSpecs.push(options.extraLayer);
  const layers: { bytes: Buffer; digest: Digest; diffId: Digest }[] = [];
  for (const spec of layerSpecs) {
    const entries: TestEntry[] = [];
    for (const [path, data] of Object.entries(spec)) {
      const dir = path.split("/").slice(0, -1);
      for (let i = 1; i <= dir.length; i++) {
        const name = `${dir.slice(0, i).join("/")}/`;
        if (!entries.some((e) => e.name === name)) entries.push({ name, type: "dir", mode: 0o755 });
      }
      entries.push({ name: path, type: "file", mode: 0o644, data });
    }
    const tar = await buildTar(entries);
    const bytes = gzipSync(tar);
    layers.push({ bytes, digest: sha256Digest(bytes), diffId: sha256Digest(tar) });
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      created: "2024-01-01T00:00:00Z",
      config: {
        Cmd: options.cmd ?? ["/bin/sh"],
        Env: ["PATH=/usr/bin:/bin"],
        Labels: { test: options.label ?? "k8ts" },
      },
      rootfs: { type: "layers", diff_ids: layers.map((l) => l.diffId) },
    }),
  );
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: sha256Digest(config), size: config.length },
    layers: layers.map((l) => ({
      mediaType: MediaType.ociLayerGzip,
      digest: l.digest,
      size: l.bytes.length,
    })),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const blobs = new Map<Digest, Buffer>([[sha256Digest(config), config]]);
  for (const l of layers) blobs.set(l.digest, l.bytes);
  blobs.set(sha256Digest(manifestBytes), manifestBytes);
  return {
    manifest,
    manifestBytes,
    manifestDigest: sha256Digest(manifestBytes),
    config,
    layers,
    blobs,
  };
}

/** Writes a tiny image into a store and names it. */
export async function storeTinyImage(
  store: ImageStore,
  name: string,
  image: TinyImage,
): Promise<Descriptor> {
  for (const [digest, bytes] of image.blobs) await store.writeBlob(bytes, { digest });
  const target: Descriptor = {
    mediaType: MediaType.ociManifest,
    digest: image.manifestDigest,
    size: image.manifestBytes.length,
  };
  await store.tag(name, target);
  return target;
}

/** Async iterable over a buffer in small chunks (to exercise chunk boundaries). */
export async function* chunks(data: Buffer, size = 700): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}
