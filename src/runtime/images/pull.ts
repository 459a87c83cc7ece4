import type { Digest } from "./digest.js";
import { ImageError, ManifestError, RegistryAuthError, RegistryError } from "./errors.js";
import { type Descriptor, parseImageConfig, parseManifest, selectPlatform } from "./manifest.js";
import type { Platform } from "./platform.js";
import {
  formatReference,
  type ImageReference,
  manifestReference,
  parseReference,
} from "./reference.js";
import {
  EMPTY_REGISTRIES,
  endpointsFor,
  type RegistriesConfig,
  type RegistryEndpoint,
} from "./registries.js";
import {
  type FetchedManifest,
  RegistryClient,
  type RegistryClientOptions,
} from "./registry-client.js";
import type { ImageStore, ResolvedImage } from "./store.js";

export interface PullOptions {
  /** Mirrors, auth and TLS per registry (k3s registries.yaml). */
  readonly registries?: RegistriesConfig;
  /** Platform to pull from an index (default: the store's platform). */
  readonly platform?: Platform;
  /** Layers downloaded at once (default 3). */
  readonly concurrency?: number;
  readonly client?: RegistryClientOptions;
  /** Progress: called as each blob is found, fetched or skipped. */
  readonly onProgress?: (event: PullProgress) => void;
}

export interface PullProgress {
  readonly digest: Digest;
  readonly kind: "manifest" | "config" | "layer";
  readonly status: "exists" | "downloaded";
  readonly endpoint: string;
}

export class PullError extends ImageError {
  override name = "PullError";
}

interface Source {
  readonly endpoint: RegistryEndpoint;
  readonly client: RegistryClient;
}

/**
 * Pulls an image into the store: the index (if any), the manifest for the
 * platform, the config and the layers, each verified against its digest.
 * Endpoints are tried in order (mirrors, then the registry itself); the
 * name is written last, so an interrupted pull leaves no visible image.
 * Pulls of one reference run one at a time and blobs already stored are
 * not fetched again, so two pulls at once download each blob once.
 */
export async function pullImage(
  store: ImageStore,
  reference: string,
  options: PullOptions = {},
): Promise<ResolvedImage> {
  const ref = parseReference(reference);
  const name = formatReference(ref);
  return store.withLock(`pull:${name}`, async () => {
    const lease = store.lease();
    try {
      const endpoints = endpointsFor(ref, options.registries ?? EMPTY_REGISTRIES);
      const { source, top } = await resolveTop(ref, endpoints, options);
      lease.add(top.digest);
      await store.writeBlob(top.bytes, { digest: top.digest });
      options.onProgress?.({
        digest: top.digest,
        kind: "manifest",
        status: "downloaded",
        endpoint: source.endpoint.baseUrl,
      });
      const parsedTop = parseManifest(top.bytes, top.mediaType);
      const topMediaType =
        parsedTop.kind === "index" ? parsedTop.index.mediaType : parsedTop.manifest.mediaType;
      const topDesc: Descriptor = {
        mediaType: topMediaType,
        digest: top.digest,
        size: top.bytes.length,
      };

      let manifest = parsedTop;
      for (let depth = 0; manifest.kind === "index"; depth++) {
        if (depth > 4) throw new ManifestError("indexes nested too deep");
        const child = selectPlatform(manifest.index, options.platform ?? store.platform);
        lease.add(child.digest);
        let bytes: Buffer;
        if (await store.hasBlob(child.digest)) bytes = await store.readBlob(child.digest);
        else {
          const fetched = await withFallback(source, endpoints, options, (s) =>
            s.client.getManifest(s.endpoint.repository, child.digest),
          );
          bytes = fetched.bytes;
          await store.writeBlob(bytes, { digest: child.digest });
        }
        manifest = parseManifest(bytes, child.mediaType);
      }
      const m = manifest.manifest;
      const fetchBlob = async (d: Descriptor, kind: "config" | "layer") => {
        lease.add(d.digest);
        await store.withLock(`blob:${d.digest}`, async () => {
          if (await store.hasBlob(d.digest)) {
            options.onProgress?.({
              digest: d.digest,
              kind,
              status: "exists",
              endpoint: source.endpoint.baseUrl,
            });
            return;
          }
          const used = await withFallback(source, endpoints, options, async (s) => {
            const res = await s.client.getBlob(s.endpoint.repository, d.digest);
            await store.ingest(res.body, { digest: d.digest, size: d.size });
            return s;
          });
          options.onProgress?.({
            digest: d.digest,
            kind,
            status: "downloaded",
            endpoint: used.endpoint.baseUrl,
          });
        });
      };
      await fetchBlob(m.config, "config");
      const config = parseImageConfig(await store.readBlob(m.config.digest));
      if (config.rootfs.diff_ids.length !== m.layers.length) {
        throw new ManifestError(
          `manifest has ${m.layers.length} layers but config has ${config.rootfs.diff_ids.length} diff_ids`,
        );
      }
      await mapLimit(m.layers, options.concurrency ?? 3, (l) => fetchBlob(l, "layer"));
      await store.tag(ref, topDesc);
      return { ...(await store.resolveDescriptor(topDesc)), name };
    } finally {
      lease.release();
    }
  });
}

/** Finds the first endpoint that serves the manifest. */
async function resolveTop(
  ref: ImageReference,
  endpoints: readonly RegistryEndpoint[],
  options: PullOptions,
): Promise<{ source: Source; top: FetchedManifest }> {
  const errors: string[] = [];
  let authError: RegistryAuthError | undefined;
  for (const endpoint of endpoints) {
    const client = new RegistryClient(endpoint, options.client ?? {});
    try {
      const top = await client.getManifest(endpoint.repository, manifestReference(ref));
      return { source: { endpoint, client }, top };
    } catch (err) {
      if (err instanceof RegistryAuthError) authError ??= err;
      if (!(err instanceof RegistryError)) throw err;
      errors.push(`${endpoint.baseUrl}: ${err.message}`);
    }
  }
  const message = `pull ${formatReference(ref)}: no endpoint served the manifest (${errors.join("; ")})`;
  throw authError ? new RegistryAuthError(message, { cause: authError }) : new PullError(message);
}

/** Runs fn against the endpoint that served the manifest, then the others in order. */
async function withFallback<T>(
  first: Source,
  endpoints: readonly RegistryEndpoint[],
  options: PullOptions,
  fn: (s: Source) => Promise<T>,
): Promise<T> {
  const sources: Source[] = [first];
  for (const e of endpoints) {
    if (e !== first.endpoint)
      sources.push({ endpoint: e, client: new RegistryClient(e, options.client ?? {}) });
  }
  let last: unknown;
  for (const s of sources) {
    try {
      return await fn(s);
    } catch (err) {
      if (!(err instanceof RegistryError)) throw err;
      last = err;
    }
  }
  throw last;
}

/**
 * Runs fn over items with at most `limit` at once. After the first failure no
 * new item starts, and the call settles only when every started item has, so
 * a failed pull never leaves a download writing behind the caller's back.
 */
async function mapLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  });
  const results = await Promise.allSettled(workers);
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (rejected) throw rejected.reason;
}
