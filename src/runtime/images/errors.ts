/**
 * Named errors of the image subsystem. Expected failures (bad input, a
 * registry saying no) are ImageError subclasses; broken invariants are
 * ImageInvariantError.
 */
export class ImageError extends Error {
  override name = "ImageError";
}

/** A reference string that does not follow Docker's reference grammar. */
export class InvalidReferenceError extends ImageError {
  override name = "InvalidReferenceError";
}

/** A digest string that is malformed or uses an unsupported algorithm. */
export class InvalidDigestError extends ImageError {
  override name = "InvalidDigestError";
}

/** Content whose sha256 (or size) differs from the descriptor it came with. */
export class DigestMismatchError extends ImageError {
  override name = "DigestMismatchError";
}

/** A manifest, index or config that cannot be understood. */
export class ManifestError extends ImageError {
  override name = "ManifestError";
}

/** An index has no manifest for the wanted platform. */
export class PlatformNotFoundError extends ImageError {
  override name = "PlatformNotFoundError";
}

/** An image or blob is not in the local store. */
export class ImageNotFoundError extends ImageError {
  override name = "ImageNotFoundError";
}

/** A registries.yaml document that does not have the k3s shape. */
export class RegistriesConfigError extends ImageError {
  override name = "RegistriesConfigError";
}

/** A registry answered with an error status (or could not be reached). */
export class RegistryError extends ImageError {
  override name = "RegistryError";
  readonly status: number | undefined;
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
  }
}

/** A registry refused our credentials, or demanded ones we lack. */
export class RegistryAuthError extends RegistryError {
  override name = "RegistryAuthError";
}

/** A layer entry would write outside the target directory. */
export class UnsafeLayerPathError extends ImageError {
  override name = "UnsafeLayerPathError";
}

/** A tar stream that is truncated or has a malformed header. */
export class TarFormatError extends ImageError {
  override name = "TarFormatError";
}

/** An image archive (docker save / OCI archive) that cannot be imported. */
export class ArchiveError extends ImageError {
  override name = "ArchiveError";
}

/** Something that must not happen did: a bug, not bad input. */
export class ImageInvariantError extends Error {
  override name = "ImageInvariantError";
}

/** A layer compressed with something other than gzip (zstd is not supported). */
export class UnsupportedCompressionError extends ImageError {
  override name = "UnsupportedCompressionError";
}
