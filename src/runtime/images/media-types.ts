/** Media types of Docker schema2 and the OCI image spec. */
export const MediaType = {
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  dockerLayer: "application/vnd.docker.image.rootfs.diff.tar",
  dockerLayerGzip: "application/vnd.docker.image.rootfs.diff.tar.gzip",
  dockerForeignLayerGzip: "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  ociLayer: "application/vnd.oci.image.layer.v1.tar",
  ociLayerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  ociLayerZstd: "application/vnd.oci.image.layer.v1.tar+zstd",
  ociNondistributableLayer: "application/vnd.oci.image.layer.nondistributable.v1.tar",
  ociNondistributableLayerGzip: "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
} as const;

/** The Accept header for manifest requests: all four manifest kinds. */
export const MANIFEST_ACCEPT = [
  MediaType.ociIndex,
  MediaType.ociManifest,
  MediaType.dockerManifestList,
  MediaType.dockerManifest,
].join(", ");

export function isIndexType(mediaType: string): boolean {
  return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList;
}

export function isManifestType(mediaType: string): boolean {
  return mediaType === MediaType.ociManifest || mediaType === MediaType.dockerManifest;
}

export type LayerCompression = "none" | "gzip" | "zstd";

/** The compression a layer media type declares, or undefined if not a layer type. */
export function layerCompression(mediaType: string): LayerCompression | undefined {
  switch (mediaType) {
    case MediaType.dockerLayer:
    case MediaType.ociLayer:
    case MediaType.ociNondistributableLayer:
      return "none";
    case MediaType.dockerLayerGzip:
    case MediaType.dockerForeignLayerGzip:
    case MediaType.ociLayerGzip:
    case MediaType.ociNondistributableLayerGzip:
      return "gzip";
    case MediaType.ociLayerZstd:
      return "zstd";
    default:
      return undefined;
  }
}
