import { posix } from "node:path";
import type { Writable } from "node:stream";
import { maybeGunzip } from "./compression.js";
import { type Digest, digestHex } from "./digest.js";
import { ArchiveError } from "./errors.js";
import { entryComponents } from "./layer-paths.js";
import {
  type Descriptor,
  type ImageManifest,
  parseImageConfig,
  parseManifest,
} from "./manifest.js";
import { MediaType } from "./media-types.js";
import { familiar, formatReference, isValidTag, parseReference } from "./reference.js";
import { IMAGE_NAME_ANNOTATION, type ImageStore, REF_NAME_ANNOTATION } from "./store.js";
import { readTar, TarWriter } from "./tar-stream.js";

export interface ImportOptions {
  /**
   * Repository for images the archive names only by a bare tag (an OCI
   * ref.name like `latest`), or the full name for an unnamed single image.
   */
  readonly name?: string;
}

export interface ImportedImage {
  readonly name?: string;
  readonly digest: Digest;
}

interface DockerManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/**
 * Imports a `docker save` tarball (manifest.json + repositories) or an OCI
 * archive (oci-layout + index.json + blobs/). Every file is streamed into
 * the store once (blobs/sha256/* checked against their names); names are
 * written after all blobs of an image are in place.
 */
export async function importArchive(
  store: ImageStore,
  input: AsyncIterable<Buffer | Uint8Array>,
  options: ImportOptions = {},
): Promise<ImportedImage[]> {
  const lease = store.lease();
  try {
    const files = new Map<string, { digest: Digest; size: number }>();
    const links = new Map<string, string>();
    for await (const { header, body } of readTar(maybeGunzip(input))) {
      const path = entryComponents(header.name).join("/");
      if (header.type === "symlink") {
        links.set(path, posix.normalize(posix.join(posix.dirname(path), header.linkname)));
        continue;
      }
      if (header.type === "link") {
        links.set(path, entryComponents(header.linkname).join("/"));
        continue;
      }
      if (header.type !== "file") continue;
      const m = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(path);
      const expected = m
        ? { digest: `sha256:${m[1]}` as Digest, size: header.size }
        : { size: header.size };
      if (expected.digest) lease.add(expected.digest);
      const stored = await store.ingest(body, expected);
      lease.add(stored.digest);
      files.set(path, stored);
    }
    const lookup = (path: string): { digest: Digest; size: number } => {
      let p = entryComponents(path).join("/");
      for (let i = 0; i < 10 && !files.has(p) && links.has(p); i++) p = links.get(p) as string;
      const f = files.get(p);
      if (!f) throw new ArchiveError(`archive lacks ${path}`);
      return f;
    };
    const readJson = async (path: string): Promise<unknown> => {
      try {
        return JSON.parse((await store.readBlob(lookup(path).digest)).toString("utf8"));
      } catch (err) {
        if (err instanceof ArchiveError) throw err;
        throw new ArchiveError(`${path} in the archive is not valid JSON`, { cause: err });
      }
    };
    const dockerEntries = files.has("manifest.json")
      ? ((await readJson("manifest.json")) as DockerManifestEntry[])
      : [];
    if (!Array.isArray(dockerEntries)) throw new ArchiveError("manifest.json must be a list");
    if (files.has("index.json"))
      return await importOci(store, { readJson, lookup, dockerEntries, options });
    if (dockerEntries.length > 0)
      return await importDocker(store, { lookup, dockerEntries, options });
    throw new ArchiveError("not an image archive: no index.json or manifest.json");
  } finally {
    lease.release();
  }
}

function nameFor(ref: string | undefined, options: ImportOptions): string | undefined {
  if (ref === undefined || ref === "") return options.name;
  if (/[/:@]/.test(ref)) return formatReference(parseReference(ref));
  if (isValidTag(ref) && options.name) {
    const base = parseReference(options.name);
    return formatReference({ domain: base.domain, path: base.path, tag: ref });
  }
  return formatReference(parseReference(ref));
}

async function importOci(
  store: ImageStore,
  ctx: {
    readJson: (path: string) => Promise<unknown>;
    lookup: (path: string) => { digest: Digest; size: number };
    dockerEntries: DockerManifestEntry[];
    options: ImportOptions;
  },
): Promise<ImportedImage[]> {
  const index = parseManifest(JSON.stringify(await ctx.readJson("index.json")), MediaType.ociIndex);
  if (index.kind !== "index") throw new ArchiveError("index.json is not an image index");
  const out: ImportedImage[] = [];
  for (const d of index.index.manifests) {
    if (!(await store.hasBlob(d.digest))) throw new ArchiveError(`archive lacks blob ${d.digest}`);
    const resolved = await store.resolveDescriptor(d).catch((err: unknown) => {
      throw new ArchiveError(
        `image ${d.digest} in the archive is incomplete: ${(err as Error).message}`,
        { cause: err },
      );
    });
    for (const l of resolved.layers) {
      if (!(await store.hasBlob(l.digest)))
        throw new ArchiveError(`archive lacks layer ${l.digest}`);
    }
    const names = new Set<string>();
    const annotated =
      d.annotations?.[IMAGE_NAME_ANNOTATION] ?? d.annotations?.[REF_NAME_ANNOTATION];
    const fromAnnotation = nameFor(annotated, ctx.options);
    if (fromAnnotation) names.add(fromAnnotation);
    for (const e of ctx.dockerEntries) {
      if (ctx.lookup(e.Config).digest === resolved.configDigest) {
        for (const t of e.RepoTags ?? []) names.add(formatReference(parseReference(t)));
      }
    }
    const target: Descriptor = { mediaType: d.mediaType, digest: d.digest, size: d.size };
    if (names.size === 0) {
      await store.addUnnamed(target);
      out.push({ digest: d.digest });
    }
    for (const n of names) {
      await store.tag(n, target);
      out.push({ name: n, digest: d.digest });
    }
  }
  return out;
}

async function importDocker(
  store: ImageStore,
  ctx: {
    lookup: (path: string) => { digest: Digest; size: number };
    dockerEntries: DockerManifestEntry[];
    options: ImportOptions;
  },
): Promise<ImportedImage[]> {
  const out: ImportedImage[] = [];
  for (const e of ctx.dockerEntries) {
    if (typeof e.Config !== "string" || !Array.isArray(e.Layers)) {
      throw new ArchiveError("manifest.json entries need Config and Layers");
    }
    const configFile = ctx.lookup(e.Config);
    const config = parseImageConfig(await store.readBlob(configFile.digest));
    if (config.rootfs.diff_ids.length !== e.Layers.length) {
      throw new ArchiveError(
        `${e.Config}: ${e.Layers.length} layers but ${config.rootfs.diff_ids.length} diff_ids`,
      );
    }
    const layers: Descriptor[] = [];
    for (const [i, path] of e.Layers.entries()) {
      const f = ctx.lookup(path);
      const head = await firstBytes(store, f.digest);
      const gzip = head[0] === 0x1f && head[1] === 0x8b;
      if (!gzip && f.digest !== config.rootfs.diff_ids[i]) {
        throw new ArchiveError(
          `${path} has digest ${f.digest} but the config says ${config.rootfs.diff_ids[i]}`,
        );
      }
      layers.push({
        mediaType: gzip ? MediaType.ociLayerGzip : MediaType.ociLayer,
        digest: f.digest,
        size: f.size,
      });
    }
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: configFile.digest, size: configFile.size },
      layers,
    };
    const target = await store.writeJson(MediaType.ociManifest, manifest);
    const tags = (e.RepoTags ?? []).map((t) => formatReference(parseReference(t)));
    if (tags.length === 0 && ctx.options.name)
      tags.push(formatReference(parseReference(ctx.options.name)));
    if (tags.length === 0) {
      await store.addUnnamed(target);
      out.push({ digest: target.digest });
    }
    for (const t of tags) {
      await store.tag(t, target);
      out.push({ name: t, digest: target.digest });
    }
  }
  return out;
}

async function firstBytes(store: ImageStore, digest: Digest): Promise<Buffer> {
  for await (const chunk of store.openBlob(digest)) return (chunk as Buffer).subarray(0, 2);
  return Buffer.alloc(0);
}

export interface ExportOptions {
  /** "oci" (oci-layout + index.json + blobs) or "docker" (docker save: manifest.json + repositories). */
  readonly format: "oci" | "docker";
}

/** Writes the named images to a tar stream in the chosen archive format. */
export async function exportArchive(
  store: ImageStore,
  names: readonly string[],
  out: Writable,
  options: ExportOptions,
): Promise<void> {
  const tar = new TarWriter(out);
  const written = new Set<string>();
  const addBlob = async (path: string, digest: Digest) => {
    if (written.has(path)) return;
    written.add(path);
    await tar.add(
      { name: path, type: "file", size: await store.blobSize(digest), mode: 0o644 },
      store.openBlob(digest),
    );
  };
  const images = await Promise.all(
    names.map(async (n) => {
      const stored = await store.get(n);
      const resolved = await store.resolve(n);
      return { name: stored?.name ?? resolved.name, stored, resolved };
    }),
  );
  if (options.format === "oci") {
    await tar.add(
      { name: "oci-layout", type: "file", mode: 0o644 },
      Buffer.from('{"imageLayoutVersion":"1.0.0"}'),
    );
    const entries: Descriptor[] = [];
    for (const img of images) {
      // Export the index only when every platform it lists is here; else the stored platform's manifest.
      let top: Descriptor = {
        mediaType: img.resolved.manifest.mediaType,
        digest: img.resolved.manifestDigest,
        size: await store.blobSize(img.resolved.manifestDigest),
      };
      const t = img.stored?.target;
      if (t && t.digest !== top.digest) {
        const parsed = parseManifest(await store.readBlob(t.digest), t.mediaType);
        if (parsed.kind === "index" && (await allPresent(store, parsed.index.manifests))) {
          top = { mediaType: t.mediaType, digest: t.digest, size: t.size };
          await addBlob(`blobs/sha256/${digestHex(t.digest)}`, t.digest);
          for (const c of parsed.index.manifests) await addManifestBlobs(store, c, addBlob);
        }
      }
      await addManifestBlobs(store, top, addBlob);
      const annotations: Record<string, string> = {};
      if (img.name) {
        const ref = parseReference(img.name);
        annotations[IMAGE_NAME_ANNOTATION] = img.name;
        if (ref.tag) annotations[REF_NAME_ANNOTATION] = ref.tag;
      }
      entries.push({ ...top, ...(img.name ? { annotations } : {}) });
    }
    const index = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: entries };
    await tar.add(
      { name: "index.json", type: "file", mode: 0o644 },
      Buffer.from(JSON.stringify(index)),
    );
    await tar.finish();
    return;
  }
  const manifest: DockerManifestEntry[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  for (const img of images) {
    const r = img.resolved;
    const configPath = `${digestHex(r.configDigest)}.json`;
    await addBlob(configPath, r.configDigest);
    const layerPaths: string[] = [];
    for (const l of r.layers) {
      const path = `${digestHex(l.diffId)}/layer.tar`;
      layerPaths.push(path);
      if (written.has(path)) continue;
      written.add(path);
      await addUncompressedLayer(store, tar, { path, digest: l.digest, diffId: l.diffId });
    }
    const existing = manifest.find((m) => m.Config === configPath);
    const repoTag = img.name ? familiarTag(img.name) : undefined;
    if (existing) {
      if (repoTag) existing.RepoTags = [...(existing.RepoTags ?? []), repoTag];
    } else {
      manifest.push({
        Config: configPath,
        RepoTags: repoTag ? [repoTag] : null,
        Layers: layerPaths,
      });
    }
    if (repoTag && img.name) {
      const ref = parseReference(img.name);
      const repo = familiar({ domain: ref.domain, path: ref.path });
      const top = layerPaths[layerPaths.length - 1];
      if (ref.tag && top)
        repositories[repo] = {
          ...(repositories[repo] ?? {}),
          [ref.tag]: top.split("/")[0] as string,
        };
    }
  }
  await tar.add(
    { name: "manifest.json", type: "file", mode: 0o644 },
    Buffer.from(JSON.stringify(manifest)),
  );
  await tar.add(
    { name: "repositories", type: "file", mode: 0o644 },
    Buffer.from(JSON.stringify(repositories)),
  );
  await tar.finish();
}

function familiarTag(name: string): string | undefined {
  const ref = parseReference(name);
  if (!ref.tag) return undefined;
  return familiar({ domain: ref.domain, path: ref.path, tag: ref.tag });
}

async function allPresent(store: ImageStore, ds: readonly Descriptor[]): Promise<boolean> {
  for (const d of ds) if (!(await store.hasBlob(d.digest))) return false;
  return true;
}

async function addManifestBlobs(
  store: ImageStore,
  d: Descriptor,
  addBlob: (path: string, digest: Digest) => Promise<void>,
): Promise<void> {
  await addBlob(`blobs/sha256/${digestHex(d.digest)}`, d.digest);
  const parsed = parseManifest(await store.readBlob(d.digest), d.mediaType);
  if (parsed.kind === "index") {
    for (const c of parsed.index.manifests) await addManifestBlobs(store, c, addBlob);
    return;
  }
  await addBlob(
    `blobs/sha256/${digestHex(parsed.manifest.config.digest)}`,
    parsed.manifest.config.digest,
  );
  for (const l of parsed.manifest.layers)
    await addBlob(`blobs/sha256/${digestHex(l.digest)}`, l.digest);
}

/** Docker save layers are plain tars: decompress (one pass to size it, one to write). */
async function addUncompressedLayer(
  store: ImageStore,
  tar: TarWriter,
  layer: { path: string; digest: Digest; diffId: Digest },
): Promise<void> {
  if (layer.digest === layer.diffId) {
    await tar.add(
      { name: layer.path, type: "file", size: await store.blobSize(layer.digest), mode: 0o644 },
      store.openBlob(layer.digest),
    );
    return;
  }
  let size = 0;
  for await (const chunk of maybeGunzip(store.openBlob(layer.digest))) size += chunk.length;
  await tar.add(
    { name: layer.path, type: "file", size, mode: 0o644 },
    maybeGunzip(store.openBlob(layer.digest)),
  );
}
