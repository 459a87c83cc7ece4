/**
 * The config and manifest of a committed image (pure): the base image's
 * config with one more diff ID and history entry, the base manifest with
 * one more layer, in the base's own format (Docker schema2 or OCI) so a
 * registry sees a consistent manifest.
 */
import type { Descriptor, Digest, ImageManifest } from "../images/index.js";
import { MediaType } from "../images/index.js";

export interface CommittedLayer {
  readonly digest: Digest;
  readonly size: number;
  readonly diffId: Digest;
}

/** The base config (as raw JSON, so fields k8ts does not model survive) with the layer added. */
export function committedConfig(
  base: Record<string, unknown>,
  layer: CommittedLayer,
  meta: { readonly created: Date; readonly comment?: string; readonly createdBy?: string },
): Record<string, unknown> {
  const rootfs = (base.rootfs ?? {}) as { diff_ids?: unknown };
  const diffIds = Array.isArray(rootfs.diff_ids) ? rootfs.diff_ids : [];
  const history = Array.isArray(base.history) ? base.history : [];
  const created = meta.created.toISOString();
  return {
    ...base,
    created,
    rootfs: { type: "layers", diff_ids: [...diffIds, layer.diffId] },
    history: [
      ...history,
      {
        created,
        ...(meta.createdBy ? { created_by: meta.createdBy } : {}),
        ...(meta.comment ? { comment: meta.comment } : {}),
      },
    ],
  };
}

const isDockerManifest = (m: ImageManifest) => m.mediaType === MediaType.dockerManifest;

/** The media types the committed blobs get, following the base manifest's format. */
export function committedMediaTypes(base: ImageManifest): { config: string; layer: string } {
  return isDockerManifest(base)
    ? { config: MediaType.dockerConfig, layer: MediaType.dockerLayerGzip }
    : { config: MediaType.ociConfig, layer: MediaType.ociLayerGzip };
}

/** The base manifest with the new config and the layer appended. */
export function committedManifest(
  base: ImageManifest,
  config: Descriptor,
  layer: CommittedLayer,
): ImageManifest {
  const { layer: layerType } = committedMediaTypes(base);
  return {
    schemaVersion: 2,
    mediaType: base.mediaType,
    config,
    layers: [
      ...base.layers.map((l) => ({ ...l })),
      { mediaType: layerType, digest: layer.digest, size: layer.size },
    ],
  };
}
