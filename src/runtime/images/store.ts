import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import { syncDir, writeFileAtomic } from "./atomic.js";
import { HashingTap, maybeGunzip } from "./compression.js";
import { type Digest, digestHex, isDigest, parseDigest } from "./digest.js";
import { DigestMismatchError, ImageNotFoundError, ManifestError } from "./errors.js";
import { unpackLayer } from "./layers.js";
import { KeyedMutex } from "./lock.js";
import {
  type Descriptor,
  encodeJson,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  parseImageConfig,
  parseManifest,
  selectPlatform,
} from "./manifest.js";
import { isIndexType, isManifestType, MediaType } from "./media-types.js";
import { hostPlatform, type Platform } from "./platform.js";
import {
  formatReference,
  type ImageReference,
  parseNormalized,
  parseReference,
} from "./reference.js";

/** Annotation holding the full image name (as containerd writes it). */
export const IMAGE_NAME_ANNOTATION = "io.containerd.image.name";
/** OCI annotation for the reference inside a layout (the tag). */
export const REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";

/** One image in the store: a name pointing at a top-level manifest or index. */
export interface StoredImage {
  /** Full normalised name (`docker.io/library/nginx:1.7.9`), absent for unnamed images. */
  readonly name?: string;
  readonly target: Descriptor;
}

export interface ResolvedLayer {
  /** Digest of the blob as stored (compressed or not). */
  readonly digest: Digest;
  /** Digest of the uncompressed tar (rootfs.diff_ids). */
  readonly diffId: Digest;
  readonly mediaType: string;
  readonly size: number;
}

/** An image resolved for one platform, ready to be turned into a rootfs. */
export interface ResolvedImage {
  readonly name?: string;
  /** Digest of what the name points at (index or manifest): the "repo digest". */
  readonly digest: Digest;
  readonly manifestDigest: Digest;
  readonly manifest: ImageManifest;
  /** Digest of the config: Docker's image ID. */
  readonly configDigest: Digest;
  readonly config: ImageConfig;
  readonly layers: readonly ResolvedLayer[];
}

export interface IngestExpectation {
  readonly digest?: Digest;
  readonly size?: number;
}

export interface ImageStoreOptions {
  /** Platform resolve() selects from indexes (default: this host). */
  readonly platform?: Platform;
}

interface OciIndexFile {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

/**
 * A content-addressable store in an OCI image layout:
 *   <root>/oci-layout, <root>/index.json, <root>/blobs/sha256/<hex>
 * plus <root>/ingest (partial downloads) and <root>/unpacked/sha256/<hex>
 * (layers unpacked once for overlayfs, shared by every image using them).
 *
 * Blobs are written by temp file + fsync + rename after their digest is
 * checked; an image becomes visible only when its name is written to
 * index.json, after all its blobs are in place.
 */
export class ImageStore {
  readonly root: string;
  readonly platform: Platform;
  private readonly locks = new KeyedMutex();
  private readonly leased = new Map<Digest, number>();
  private readonly activeTemps = new Set<string>();

  private constructor(root: string, options: ImageStoreOptions) {
    this.root = root;
    this.platform = options.platform ?? hostPlatform();
  }

  static async open(root: string, options: ImageStoreOptions = {}): Promise<ImageStore> {
    const store = new ImageStore(root, options);
    await mkdir(join(root, "blobs", "sha256"), { recursive: true });
    await mkdir(join(root, "ingest"), { recursive: true });
    await mkdir(join(root, "unpacked", "sha256"), { recursive: true });
    const layout = join(root, "oci-layout");
    if (!(await exists(layout))) await writeFileAtomic(layout, '{"imageLayoutVersion":"1.0.0"}');
    if (!(await exists(join(root, "index.json")))) {
      await writeFileAtomic(join(root, "index.json"), JSON.stringify(emptyIndex()));
    }
    // Partial downloads of a previous process are garbage.
    for (const name of await readdir(join(root, "ingest")))
      await rm(join(root, "ingest", name), { force: true, recursive: true });
    return store;
  }

  // ---- locking and leases -------------------------------------------------

  /** Runs fn holding the named lock (e.g. `pull:<reference>`, `blob:<digest>`). */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(key, fn);
  }

  /** Protects digests from gc() until the returned release function is called. */
  lease(digests: Iterable<Digest> = []): { add(d: Digest): void; release(): void } {
    const held: Digest[] = [];
    const add = (d: Digest) => {
      held.push(d);
      this.leased.set(d, (this.leased.get(d) ?? 0) + 1);
    };
    for (const d of digests) add(d);
    return {
      add,
      release: () => {
        for (const d of held.splice(0)) {
          const n = (this.leased.get(d) ?? 1) - 1;
          if (n <= 0) this.leased.delete(d);
          else this.leased.set(d, n);
        }
      },
    };
  }

  // ---- blobs ----------------------------------------------------------------

  blobPath(digest: Digest): string {
    return join(this.root, "blobs", "sha256", digestHex(parseDigest(digest)));
  }

  async hasBlob(digest: Digest): Promise<boolean> {
    return exists(this.blobPath(digest));
  }

  async blobSize(digest: Digest): Promise<number> {
    try {
      return (await stat(this.blobPath(digest))).size;
    } catch (err) {
      throw notFound(err, `blob ${digest}`);
    }
  }

  async readBlob(digest: Digest): Promise<Buffer> {
    try {
      return await readFile(this.blobPath(digest));
    } catch (err) {
      throw notFound(err, `blob ${digest}`);
    }
  }

  openBlob(digest: Digest): Readable {
    return createReadStream(this.blobPath(digest));
  }

  /**
   * Streams content into the store: written to ingest/, hashed, checked
   * against the expected digest and size, fsynced and renamed into blobs/.
   * Nothing appears under blobs/ unless the digest matched.
   */
  async ingest(
    input: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>,
    expected: IngestExpectation = {},
  ): Promise<{ digest: Digest; size: number }> {
    const tmp = join(this.root, "ingest", `${process.pid}-${randomBytes(8).toString("hex")}`);
    const hash = createHash("sha256");
    let size = 0;
    try {
      const fh = await open(tmp, "wx", 0o644);
      try {
        for await (const chunk of input) {
          hash.update(chunk);
          size += chunk.length;
          if (expected.size !== undefined && size > expected.size) {
            throw new DigestMismatchError(
              `content is larger than the expected ${expected.size} bytes`,
            );
          }
          await fh.write(chunk);
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      const digest: Digest = `sha256:${hash.digest("hex")}`;
      if (expected.size !== undefined && size !== expected.size) {
        throw new DigestMismatchError(`content is ${size} bytes, expected ${expected.size}`);
      }
      if (expected.digest !== undefined && digest !== expected.digest) {
        throw new DigestMismatchError(`content digest is ${digest}, expected ${expected.digest}`);
      }
      await rename(tmp, this.blobPath(digest));
      await syncDir(join(this.root, "blobs", "sha256"));
      return { digest, size };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Stores a small blob held in memory. */
  async writeBlob(
    data: Uint8Array,
    expected: IngestExpectation = {},
  ): Promise<{ digest: Digest; size: number }> {
    return this.ingest([Buffer.from(data)], expected);
  }

  /** Stores a JSON document (manifest, index, config) and returns its descriptor. */
  async writeJson(mediaType: string, value: unknown): Promise<Descriptor> {
    const { digest, size } = await this.writeBlob(encodeJson(value));
    return { mediaType, digest, size };
  }

  // ---- names ----------------------------------------------------------------

  private async readIndex(): Promise<OciIndexFile> {
    const text = await readFile(join(this.root, "index.json"), "utf8");
    const doc = JSON.parse(text) as OciIndexFile;
    if (!Array.isArray(doc.manifests))
      throw new ManifestError(`${this.root}/index.json has no manifests list`);
    return doc;
  }

  private async updateIndex(fn: (manifests: Descriptor[]) => Descriptor[]): Promise<void> {
    await this.locks.run("index.json", async () => {
      const doc = await this.readIndex();
      doc.manifests = fn(doc.manifests);
      await writeFileAtomic(join(this.root, "index.json"), JSON.stringify(doc));
    });
  }

  /** All images, named and unnamed. */
  async list(): Promise<StoredImage[]> {
    const doc = await this.readIndex();
    return doc.manifests.map((d) => {
      const name = d.annotations?.[IMAGE_NAME_ANNOTATION];
      return name === undefined ? { target: d } : { name, target: d };
    });
  }

  /** The image stored under a name (normalised, so `nginx` finds docker.io/library/nginx:latest). */
  async get(name: string): Promise<StoredImage | undefined> {
    const key = normaliseName(name);
    return (await this.list()).find((i) => i.name === key);
  }

  /**
   * Points a name at a top-level descriptor whose blobs are already stored.
   * This is the commit point of a pull or import.
   */
  async tag(name: string | ImageReference, target: Descriptor): Promise<StoredImage> {
    const ref = typeof name === "string" ? parseReference(name) : name;
    const full = formatReference(ref);
    if (!(await this.hasBlob(target.digest)))
      throw new ImageNotFoundError(`cannot tag ${full}: ${target.digest} is not stored`);
    const annotations: Record<string, string> = {
      ...(target.annotations ?? {}),
      [IMAGE_NAME_ANNOTATION]: full,
    };
    if (ref.tag !== undefined) annotations[REF_NAME_ANNOTATION] = ref.tag;
    else delete annotations[REF_NAME_ANNOTATION];
    const entry: Descriptor = {
      mediaType: target.mediaType,
      digest: target.digest,
      size: target.size,
      annotations,
      ...(target.platform ? { platform: target.platform } : {}),
    };
    await this.updateIndex((ms) => [
      ...ms.filter((m) => m.annotations?.[IMAGE_NAME_ANNOTATION] !== full),
      entry,
    ]);
    return { name: full, target: entry };
  }

  /** Records an image without a name (e.g. an unnamed image from an archive). */
  async addUnnamed(target: Descriptor): Promise<void> {
    await this.updateIndex((ms) =>
      ms.some((m) => m.digest === target.digest && !m.annotations?.[IMAGE_NAME_ANNOTATION])
        ? ms
        : [...ms, { mediaType: target.mediaType, digest: target.digest, size: target.size }],
    );
  }

  /** Removes a name; returns false if it was not there. Blobs stay until gc(). */
  async untag(name: string): Promise<boolean> {
    const key = normaliseName(name);
    let removed = false;
    await this.updateIndex((ms) =>
      ms.filter((m) => {
        const hit = m.annotations?.[IMAGE_NAME_ANNOTATION] === key;
        if (hit) removed = true;
        return !hit;
      }),
    );
    return removed;
  }

  /**
   * Deletes an image: by name (the name only) or by digest / image ID
   * (every name pointing at it). Blobs are freed by gc().
   */
  async delete(nameOrId: string): Promise<string[]> {
    const images = await this.list();
    let victims: StoredImage[];
    if (
      /^(sha256:)?[a-f0-9]{4,64}$/.test(nameOrId) &&
      !(await this.get(nameOrId).catch(() => undefined))
    ) {
      const matches = await this.matchId(nameOrId);
      victims = images.filter((i) => matches.has(i.target.digest));
    } else {
      const key = normaliseName(nameOrId);
      victims = images.filter((i) => i.name === key);
    }
    if (victims.length === 0) throw new ImageNotFoundError(`no such image: ${nameOrId}`);
    const drop = new Set(victims);
    await this.updateIndex((ms) =>
      ms.filter(
        (m) =>
          !images.some(
            (i) =>
              drop.has(i) &&
              i.target.digest === m.digest &&
              i.name === m.annotations?.[IMAGE_NAME_ANNOTATION],
          ),
      ),
    );
    return victims.map((v) => v.name ?? v.target.digest);
  }

  /** Top-level digests whose own digest or config digest (image ID) matches a (prefix of a) digest. */
  private async matchId(id: string): Promise<Set<Digest>> {
    const hex = id.startsWith("sha256:") ? id.slice(7) : id;
    const out = new Set<Digest>();
    for (const img of await this.list()) {
      if (digestHex(img.target.digest).startsWith(hex)) {
        out.add(img.target.digest);
        continue;
      }
      try {
        const r = await this.resolveDescriptor(img.target);
        if (
          digestHex(r.configDigest).startsWith(hex) ||
          digestHex(r.manifestDigest).startsWith(hex)
        ) {
          out.add(img.target.digest);
        }
      } catch {
        // images whose platform manifest is missing cannot match by ID
      }
    }
    return out;
  }

  // ---- resolution ---------------------------------------------------------

  /**
   * Resolves a name, `name@digest`, digest or image-ID prefix to the image
   * for the store's platform: manifest, config and layers with diff IDs.
   */
  async resolve(reference: string): Promise<ResolvedImage> {
    const byName = await this.get(reference).catch(() => undefined);
    if (byName)
      return {
        ...(await this.resolveDescriptor(byName.target)),
        ...(byName.name ? { name: byName.name } : {}),
      };
    let ref: ImageReference | undefined;
    try {
      ref = parseNormalized(reference);
    } catch {
      ref = undefined;
    }
    if (ref?.digest) {
      if (await this.hasBlob(ref.digest)) {
        const named = (await this.list()).find((i) => i.target.digest === ref.digest);
        const bytes = await this.readBlob(ref.digest);
        const parsed = parseManifest(bytes);
        const mediaType =
          parsed.kind === "index" ? parsed.index.mediaType : parsed.manifest.mediaType;
        const r = await this.resolveDescriptor({
          mediaType,
          digest: ref.digest,
          size: bytes.length,
        });
        return named?.name ? { ...r, name: named.name } : r;
      }
    }
    if (/^(sha256:)?[a-f0-9]{4,64}$/.test(reference)) {
      const matches = [...(await this.matchId(reference))];
      if (matches.length > 1) throw new ImageNotFoundError(`image ID ${reference} is ambiguous`);
      const hit = (await this.list()).find((i) => i.target.digest === matches[0]);
      if (hit)
        return {
          ...(await this.resolveDescriptor(hit.target)),
          ...(hit.name ? { name: hit.name } : {}),
        };
    }
    throw new ImageNotFoundError(`no such image: ${reference}`);
  }

  /** Resolves a top-level descriptor (index or manifest) for the store's platform. */
  async resolveDescriptor(target: Descriptor): Promise<ResolvedImage> {
    let manifestDesc = target;
    let parsed = parseManifest(await this.readBlob(target.digest), target.mediaType);
    for (let depth = 0; parsed.kind === "index"; depth++) {
      if (depth > 4) throw new ManifestError("indexes nested too deep");
      manifestDesc = this.pickPresent(parsed.index);
      parsed = parseManifest(await this.readBlob(manifestDesc.digest), manifestDesc.mediaType);
    }
    const manifest = parsed.manifest;
    const config = parseImageConfig(await this.readBlob(manifest.config.digest));
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== manifest.layers.length) {
      throw new ManifestError(
        `manifest has ${manifest.layers.length} layers but config has ${diffIds.length} diff_ids`,
      );
    }
    return {
      digest: target.digest,
      manifestDigest: manifestDesc.digest,
      manifest,
      configDigest: manifest.config.digest,
      config,
      layers: manifest.layers.map((l, i) => ({
        digest: l.digest,
        diffId: diffIds[i] as Digest,
        mediaType: l.mediaType,
        size: l.size,
      })),
    };
  }

  /** The platform's manifest from an index (its blob must be stored; pulls fetch only that one). */
  private pickPresent(index: ImageIndex): Descriptor {
    return selectPlatform(index, this.platform);
  }

  // ---- layers ---------------------------------------------------------------

  unpackedPath(layerDigest: Digest): string {
    return join(this.root, "unpacked", "sha256", digestHex(parseDigest(layerDigest)));
  }

  /**
   * The directory holding a layer unpacked for overlayfs (whiteouts as 0:0
   * char devices, opaque dirs as trusted.overlay.opaque=y). Unpacked once
   * into a temp dir and renamed into place, so concurrent callers share it.
   */
  async ensureUnpacked(layerDigest: Digest, options: { diffId?: Digest } = {}): Promise<string> {
    const dir = this.unpackedPath(layerDigest);
    if (await exists(dir)) return dir;
    return this.locks.run(`unpack:${layerDigest}`, async () => {
      if (await exists(dir)) return dir;
      if (!(await this.hasBlob(layerDigest)))
        throw new ImageNotFoundError(`layer ${layerDigest} is not stored`);
      const tmpName = `.tmp-${digestHex(layerDigest).slice(0, 12)}-${randomBytes(4).toString("hex")}`;
      const tmp = join(this.root, "unpacked", tmpName);
      this.activeTemps.add(tmpName);
      try {
        await unpackLayer(this.openBlob(layerDigest), tmp, {
          whiteouts: "overlay",
          ...(options.diffId ? { expectedDiffId: options.diffId } : {}),
        });
        await rename(tmp, dir);
        await syncDir(join(this.root, "unpacked", "sha256"));
      } catch (err) {
        await rm(tmp, { recursive: true, force: true });
        throw err;
      } finally {
        this.activeTemps.delete(tmpName);
      }
      return dir;
    });
  }

  /**
   * Stores a layer tar (plain or gzip) as a gzip blob, e.g. from
   * writeLayerFromUpper for commit. Returns the layer descriptor and diff ID.
   */
  async importLayer(
    tar: AsyncIterable<Buffer | Uint8Array>,
  ): Promise<Descriptor & { diffId: Digest }> {
    const tap = new HashingTap();
    const gzip = createGzip();
    const source = (async () => {
      try {
        for await (const chunk of tap.tap(maybeGunzip(tar))) {
          if (!gzip.write(chunk)) await new Promise((r) => gzip.once("drain", r));
        }
        gzip.end();
      } catch (err) {
        gzip.destroy(err as Error);
      }
    })();
    const { digest, size } = await this.ingest(gzip);
    await source;
    return { mediaType: MediaType.ociLayerGzip, digest, size, diffId: tap.digest() };
  }

  // ---- garbage collection -------------------------------------------------

  /** Every blob reachable from the named (and unnamed) images. */
  async referencedBlobs(): Promise<Set<Digest>> {
    const live = new Set<Digest>();
    const visit = async (d: Descriptor, depth: number): Promise<void> => {
      if (live.has(d.digest) || depth > 5) return;
      if (!(await this.hasBlob(d.digest))) return;
      live.add(d.digest);
      if (!isIndexType(d.mediaType) && !isManifestType(d.mediaType)) return;
      let parsed: ReturnType<typeof parseManifest>;
      try {
        parsed = parseManifest(await this.readBlob(d.digest), d.mediaType);
      } catch {
        return;
      }
      if (parsed.kind === "index") {
        for (const m of parsed.index.manifests) await visit(m, depth + 1);
      } else {
        await visit(parsed.manifest.config, depth + 1);
        for (const l of parsed.manifest.layers) await visit(l, depth + 1);
      }
    };
    for (const img of await this.list()) await visit(img.target, 0);
    return live;
  }

  /**
   * Removes blobs and unpacked layers no image references. Leased digests
   * (pulls in progress) and `keep` (layers under running containers) stay.
   */
  async gc(
    options: { keep?: Iterable<Digest> } = {},
  ): Promise<{ blobs: Digest[]; unpacked: Digest[] }> {
    return this.locks.run("gc", async () => {
      const live = await this.referencedBlobs();
      for (const d of options.keep ?? []) live.add(d);
      for (const d of this.leased.keys()) live.add(d);
      const blobs: Digest[] = [];
      const unpacked: Digest[] = [];
      for (const hex of await readdir(join(this.root, "blobs", "sha256"))) {
        const d = `sha256:${hex}`;
        if (!isDigest(d) || live.has(d) || this.leased.has(d)) continue;
        await rm(join(this.root, "blobs", "sha256", hex), { force: true });
        blobs.push(d);
      }
      for (const hex of await readdir(join(this.root, "unpacked", "sha256"))) {
        const d = `sha256:${hex}`;
        if (!isDigest(d) || live.has(d) || this.locks.isLocked(`unpack:${d}`)) continue;
        await rm(join(this.root, "unpacked", "sha256", hex), { recursive: true, force: true });
        unpacked.push(d);
      }
      for (const name of await readdir(join(this.root, "unpacked"))) {
        // temp dirs of unpacks that crashed; running ones are in activeTemps
        if (name.startsWith(".tmp-") && !this.activeTemps.has(name)) {
          await rm(join(this.root, "unpacked", name), { recursive: true, force: true });
        }
      }
      return { blobs, unpacked };
    });
  }
}

function emptyIndex(): OciIndexFile {
  return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
}

function normaliseName(name: string): string {
  return formatReference(parseReference(name));
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function notFound(err: unknown, what: string): Error {
  if ((err as NodeJS.ErrnoException).code === "ENOENT")
    return new ImageNotFoundError(`${what} is not in the store`, { cause: err });
  return err as Error;
}
