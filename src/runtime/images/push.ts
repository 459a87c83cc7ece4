import type { Digest } from "./digest.js";
import { ImageNotFoundError } from "./errors.js";
import { type Descriptor, parseManifest } from "./manifest.js";
import { formatReference, manifestReference, parseReference } from "./reference.js";
import { EMPTY_REGISTRIES, endpointsFor, type RegistriesConfig } from "./registries.js";
import { RegistryClient, type RegistryClientOptions } from "./registry-client.js";
import type { ImageStore } from "./store.js";

export interface PushOptions {
  /** Remote reference to push to (default: the local name). */
  readonly target?: string;
  /** Auth and TLS per host (mirrors are not used for pushes). */
  readonly registries?: RegistriesConfig;
  readonly client?: RegistryClientOptions;
  readonly onProgress?: (event: { digest: Digest; status: "exists" | "pushed" }) => void;
}

export interface PushResult {
  readonly reference: string;
  /** Digest of the top-level manifest or index pushed. */
  readonly digest: Digest;
}

/**
 * Pushes a stored image: blobs the registry lacks (HEAD first), then the
 * manifest(s) with their stored bytes so digests are kept. An index whose
 * platform manifests are not all stored is pushed as the stored platform's
 * manifest alone.
 */
export async function pushImage(
  store: ImageStore,
  source: string,
  options: PushOptions = {},
): Promise<PushResult> {
  const image = await store.get(source);
  const top: Descriptor = image?.target ?? (await topFromResolve(store, source));
  const ref = parseReference(options.target ?? image?.name ?? source);
  const endpoint = endpointsFor(ref, options.registries ?? EMPTY_REGISTRIES).find(
    (e) => e.isDefault,
  );
  if (!endpoint) throw new ImageNotFoundError(`no endpoint for ${formatReference(ref)}`);
  const client = new RegistryClient(endpoint, options.client ?? {});
  const repo = endpoint.repository;
  const tagOrDigest = ref.tag ?? manifestReference(ref);

  const pushBlob = async (d: Descriptor) => {
    if (await client.hasBlob(repo, d.digest, ["pull", "push"])) {
      options.onProgress?.({ digest: d.digest, status: "exists" });
      return;
    }
    await client.pushBlob(repo, {
      digest: d.digest,
      size: await store.blobSize(d.digest),
      open: () => store.openBlob(d.digest),
    });
    options.onProgress?.({ digest: d.digest, status: "pushed" });
  };
  const pushManifest = async (d: Descriptor, as: string): Promise<Digest> => {
    const bytes = await store.readBlob(d.digest);
    const parsed = parseManifest(bytes, d.mediaType);
    if (parsed.kind === "manifest") {
      await pushBlob(parsed.manifest.config);
      for (const l of parsed.manifest.layers) await pushBlob(l);
      return client.putManifest(repo, as, { bytes, mediaType: parsed.manifest.mediaType });
    }
    const children = parsed.index.manifests;
    const present = await Promise.all(children.map((c) => store.hasBlob(c.digest)));
    if (present.every(Boolean)) {
      for (const c of children) await pushManifest(c, c.digest);
      return client.putManifest(repo, as, { bytes, mediaType: parsed.index.mediaType });
    }
    const resolved = await store.resolveDescriptor(d);
    const manifestDesc: Descriptor = {
      mediaType: resolved.manifest.mediaType,
      digest: resolved.manifestDigest,
      size: await store.blobSize(resolved.manifestDigest),
    };
    return pushManifest(manifestDesc, as);
  };
  const digest = await pushManifest(top, tagOrDigest);
  return { reference: formatReference(ref), digest };
}

async function topFromResolve(store: ImageStore, source: string): Promise<Descriptor> {
  const r = await store.resolve(source);
  return {
    mediaType: r.manifest.mediaType,
    digest: r.manifestDigest,
    size: await store.blobSize(r.manifestDigest),
  };
}
