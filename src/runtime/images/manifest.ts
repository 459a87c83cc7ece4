import { type Digest, isDigest } from "./digest.js";
import { ManifestError, PlatformNotFoundError } from "./errors.js";
import { isIndexType, isManifestType, MediaType } from "./media-types.js";
import { formatPlatform, type Platform, platformRank } from "./platform.js";

/** An OCI content descriptor. */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
  readonly urls?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
  readonly platform?: Platform & {
    readonly "os.version"?: string;
    readonly "os.features"?: readonly string[];
  };
}

/** An image manifest (Docker schema2 or OCI v1). */
export interface ImageManifest {
  readonly schemaVersion: 2;
  readonly mediaType: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A multi-platform index (Docker manifest list or OCI index). */
export interface ImageIndex {
  readonly schemaVersion: 2;
  readonly mediaType: string;
  readonly manifests: readonly Descriptor[];
  readonly annotations?: Readonly<Record<string, string>>;
}

export type ParsedManifest =
  | { readonly kind: "manifest"; readonly manifest: ImageManifest }
  | { readonly kind: "index"; readonly index: ImageIndex };

/** The container settings of an image config (`config` in the JSON). */
export interface ContainerConfig {
  readonly Entrypoint?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly Env?: readonly string[];
  readonly WorkingDir?: string;
  readonly User?: string;
  readonly ExposedPorts?: Readonly<Record<string, object>>;
  readonly Volumes?: Readonly<Record<string, object>>;
  readonly Labels?: Readonly<Record<string, string>>;
  readonly StopSignal?: string;
}

export interface HistoryEntry {
  readonly created?: string;
  readonly created_by?: string;
  readonly comment?: string;
  readonly empty_layer?: boolean;
}

/** An image config (application/vnd.oci.image.config.v1+json and Docker's). */
export interface ImageConfig {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string;
  readonly created?: string;
  readonly author?: string;
  readonly config: ContainerConfig;
  readonly rootfs: { readonly type: "layers"; readonly diff_ids: readonly Digest[] };
  readonly history?: readonly HistoryEntry[];
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseJson(bytes: Uint8Array | string, what: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("utf8"));
  } catch (err) {
    throw new ManifestError(`${what} is not valid JSON`, { cause: err });
  }
  if (!isObject(value)) throw new ManifestError(`${what} is not a JSON object`);
  return value;
}

function stringRecord(v: unknown, where: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new ManifestError(`${where} must be an object of strings`);
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== "string") throw new ManifestError(`${where}.${k} must be a string`);
  }
  return v as Record<string, string>;
}

function stringList(v: unknown, where: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
    throw new ManifestError(`${where} must be a list of strings`);
  }
  return v as string[];
}

/** Validates one descriptor object. */
export function parseDescriptor(v: unknown, where: string): Descriptor {
  if (!isObject(v)) throw new ManifestError(`${where} must be an object`);
  const { mediaType, digest, size } = v;
  if (typeof mediaType !== "string" || mediaType === "") {
    throw new ManifestError(`${where}.mediaType is required`);
  }
  if (typeof digest !== "string" || !isDigest(digest)) {
    throw new ManifestError(
      `${where}.digest must be a sha256 digest, got ${JSON.stringify(digest)}`,
    );
  }
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
    throw new ManifestError(`${where}.size must be a non-negative integer`);
  }
  const annotations = stringRecord(v.annotations, `${where}.annotations`);
  const urls = stringList(v.urls, `${where}.urls`);
  let platform: Descriptor["platform"];
  if (isObject(v.platform)) {
    const p = v.platform;
    if (typeof p.os !== "string" || typeof p.architecture !== "string") {
      throw new ManifestError(`${where}.platform needs os and architecture`);
    }
    platform = {
      os: p.os,
      architecture: p.architecture,
      ...(typeof p.variant === "string" && p.variant !== "" ? { variant: p.variant } : {}),
      ...(typeof p["os.version"] === "string" ? { "os.version": p["os.version"] } : {}),
    };
  }
  return {
    mediaType,
    digest,
    size,
    ...(urls ? { urls } : {}),
    ...(annotations ? { annotations } : {}),
    ...(platform ? { platform } : {}),
  };
}

/**
 * Parses a manifest or index. The media type comes from the document, or
 * from the Content-Type it was served with when the document has none
 * (OCI allows omitting it); an index is recognised by `manifests`.
 */
export function parseManifest(bytes: Uint8Array | string, contentType?: string): ParsedManifest {
  const doc = parseJson(bytes, "manifest");
  if (doc.schemaVersion !== 2) {
    throw new ManifestError(
      `unsupported manifest schemaVersion ${JSON.stringify(doc.schemaVersion)}`,
    );
  }
  const declared = typeof doc.mediaType === "string" ? doc.mediaType : undefined;
  const served = contentType?.split(";")[0]?.trim();
  let mediaType =
    declared ?? (served && (isIndexType(served) || isManifestType(served)) ? served : undefined);
  if (mediaType === undefined) {
    mediaType = Array.isArray(doc.manifests) ? MediaType.ociIndex : MediaType.ociManifest;
  }
  const annotations = stringRecord(doc.annotations, "annotations");
  if (isIndexType(mediaType)) {
    if (!Array.isArray(doc.manifests)) throw new ManifestError("index has no manifests list");
    const manifests = doc.manifests.map((m, i) => parseDescriptor(m, `manifests[${i}]`));
    return {
      kind: "index",
      index: { schemaVersion: 2, mediaType, manifests, ...(annotations ? { annotations } : {}) },
    };
  }
  if (!isManifestType(mediaType))
    throw new ManifestError(`unsupported manifest media type ${mediaType}`);
  if (!Array.isArray(doc.layers)) throw new ManifestError("manifest has no layers list");
  const config = parseDescriptor(doc.config, "config");
  const layers = doc.layers.map((l, i) => parseDescriptor(l, `layers[${i}]`));
  return {
    kind: "manifest",
    manifest: {
      schemaVersion: 2,
      mediaType,
      config,
      layers,
      ...(annotations ? { annotations } : {}),
    },
  };
}

/**
 * Picks the manifest for a platform from an index, as containerd does:
 * the exact variant first, then the best compatible one; on ties the
 * first listed wins. Attestation manifests (unknown/unknown) never match.
 */
export function selectPlatform(index: ImageIndex, wanted: Platform): Descriptor {
  let best: { rank: number; descriptor: Descriptor } | undefined;
  for (const d of index.manifests) {
    if (!d.platform || (!isManifestType(d.mediaType) && !isIndexType(d.mediaType))) continue;
    const rank = platformRank(wanted, d.platform);
    if (rank === undefined) continue;
    if (!best || rank < best.rank) best = { rank, descriptor: d };
  }
  if (!best) {
    const offered = index.manifests.flatMap((d) =>
      d.platform ? [formatPlatform(d.platform)] : [],
    );
    throw new PlatformNotFoundError(
      `no image for platform ${formatPlatform(wanted)} (index offers ${offered.join(", ") || "none"})`,
    );
  }
  return best.descriptor;
}

/** Parses an image config blob. */
export function parseImageConfig(bytes: Uint8Array | string): ImageConfig {
  const doc = parseJson(bytes, "image config");
  const { architecture, os } = doc;
  if (typeof architecture !== "string" || typeof os !== "string") {
    throw new ManifestError("image config needs architecture and os");
  }
  const rootfs = doc.rootfs;
  if (!isObject(rootfs) || rootfs.type !== "layers" || !Array.isArray(rootfs.diff_ids)) {
    throw new ManifestError("image config rootfs must be {type: layers, diff_ids: [...]}");
  }
  const diffIds = rootfs.diff_ids.map((d, i) => {
    if (typeof d !== "string" || !isDigest(d)) {
      throw new ManifestError(`rootfs.diff_ids[${i}] must be a sha256 digest`);
    }
    return d;
  });
  const c = isObject(doc.config) ? doc.config : {};
  const str = (v: unknown, where: string): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") throw new ManifestError(`${where} must be a string`);
    return v;
  };
  const objMap = (v: unknown, where: string): Record<string, object> | undefined => {
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) throw new ManifestError(`${where} must be an object`);
    return v as Record<string, object>;
  };
  const entries: [string, unknown][] = [
    ["Entrypoint", stringList(c.Entrypoint, "config.Entrypoint")],
    ["Cmd", stringList(c.Cmd, "config.Cmd")],
    ["Env", stringList(c.Env, "config.Env")],
    ["WorkingDir", str(c.WorkingDir, "config.WorkingDir")],
    ["User", str(c.User, "config.User")],
    ["ExposedPorts", objMap(c.ExposedPorts, "config.ExposedPorts")],
    ["Volumes", objMap(c.Volumes, "config.Volumes")],
    ["Labels", stringRecord(c.Labels, "config.Labels")],
    ["StopSignal", str(c.StopSignal, "config.StopSignal")],
  ];
  const config = Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as ContainerConfig;
  const history = Array.isArray(doc.history)
    ? doc.history.filter(isObject).map((h) => h as HistoryEntry)
    : undefined;
  const variant = str(doc.variant, "variant");
  const created = str(doc.created, "created");
  const author = str(doc.author, "author");
  return {
    architecture,
    os,
    ...(variant ? { variant } : {}),
    ...(created ? { created } : {}),
    ...(author ? { author } : {}),
    config,
    rootfs: { type: "layers", diff_ids: diffIds },
    ...(history ? { history } : {}),
  };
}

/** Environment list to a map (later entries win). */
export function envToMap(env: readonly string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of env ?? []) {
    const eq = e.indexOf("=");
    if (eq < 0) out.set(e, "");
    else out.set(e.slice(0, eq), e.slice(eq + 1));
  }
  return out;
}

/** Serialises a JSON document canonically enough to hash (2-space free, key order kept). */
export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), "utf8");
}
