import { type Digest, parseDigest } from "./digest.js";
import { InvalidReferenceError } from "./errors.js";

/**
 * A normalised image reference, the way Docker reads one:
 * `nginx` is docker.io/library/nginx:latest.
 */
export interface ImageReference {
  /** Registry host with optional port: `docker.io`, `localhost:5000`. */
  readonly domain: string;
  /** Repository path inside the registry: `library/nginx`. */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: Digest;
}

export const DEFAULT_DOMAIN = "docker.io";
export const DEFAULT_TAG = "latest";
const LEGACY_DEFAULT_DOMAIN = "index.docker.io";
const OFFICIAL_PREFIX = "library/";
const NAME_TOTAL_LENGTH_MAX = 255;

// The grammar of github.com/distribution/reference, written out.
const ALNUM = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_NAME = `${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*`;
const IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
const DOMAIN = `(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
const TAG_RE = new RegExp(`^${TAG}$`);
const DIGEST_RE = new RegExp(`^${DIGEST}$`);
const HEX64_RE = /^[a-f0-9]{64}$/;

/** True when the string is a valid tag (`1.7.9`, `latest`). */
export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

/**
 * Parses and normalises a reference: adds docker.io and library/ where
 * Docker does; a reference with neither tag nor digest gets `latest`.
 */
export function parseReference(input: string): ImageReference {
  const ref = parseNormalized(input);
  if (ref.tag === undefined && ref.digest === undefined) return { ...ref, tag: DEFAULT_TAG };
  return ref;
}

/** Like parseReference but does not add the default tag. */
export function parseNormalized(input: string): ImageReference {
  if (input.length === 0) throw new InvalidReferenceError("invalid reference format: empty");
  if (HEX64_RE.test(input)) {
    throw new InvalidReferenceError(
      `invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`,
    );
  }
  let rest = input;
  let digest: Digest | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    const d = rest.slice(at + 1);
    if (!DIGEST_RE.test(d)) throw new InvalidReferenceError(`invalid digest in reference ${input}`);
    try {
      digest = parseDigest(d);
    } catch (err) {
      throw new InvalidReferenceError(`invalid digest in reference ${input}`, { cause: err });
    }
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    if (!TAG_RE.test(tag)) throw new InvalidReferenceError(`invalid tag in reference ${input}`);
    rest = rest.slice(0, colon);
  }
  const { domain, path } = splitDomain(rest, input);
  if (path !== path.toLowerCase()) {
    throw new InvalidReferenceError(
      `invalid reference format: repository name (${path}) must be lowercase`,
    );
  }
  if (!PATH_RE.test(path)) throw new InvalidReferenceError(`invalid reference format: ${input}`);
  if (!DOMAIN_RE.test(domain)) throw new InvalidReferenceError(`invalid registry host in ${input}`);
  if (domain.length + 1 + path.length > NAME_TOTAL_LENGTH_MAX) {
    throw new InvalidReferenceError(
      `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
    );
  }
  return {
    domain,
    path,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

function splitDomain(name: string, input: string): { domain: string; path: string } {
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  const looksLikeHost =
    slash >= 0 && (/[.:]/.test(first) || first === "localhost" || first.toLowerCase() !== first);
  if (!looksLikeHost) {
    if (name.length === 0) throw new InvalidReferenceError(`invalid reference format: ${input}`);
    return { domain: DEFAULT_DOMAIN, path: slash < 0 ? OFFICIAL_PREFIX + name : name };
  }
  let domain = first;
  let path = name.slice(slash + 1);
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes("/")) path = OFFICIAL_PREFIX + path;
  return { domain, path };
}

/** The repository name without tag or digest: `docker.io/library/nginx`. */
export function repositoryName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The full normalised string: `docker.io/library/nginx:1.7.9[@sha256:...]`. */
export function formatReference(ref: ImageReference): string {
  let out = repositoryName(ref);
  if (ref.tag !== undefined) out += `:${ref.tag}`;
  if (ref.digest !== undefined) out += `@${ref.digest}`;
  return out;
}

/** The short form Docker prints: `nginx:1.7.9`, `localhost:5000/x/y:tag`. */
export function familiar(ref: ImageReference): string {
  let name = repositoryName(ref);
  if (ref.domain === DEFAULT_DOMAIN) {
    name = ref.path.startsWith(OFFICIAL_PREFIX) ? ref.path.slice(OFFICIAL_PREFIX.length) : ref.path;
  }
  if (ref.tag !== undefined) name += `:${ref.tag}`;
  if (ref.digest !== undefined) name += `@${ref.digest}`;
  return name;
}

/** The same repository pinned to a digest (the tag dropped). */
export function withDigest(ref: ImageReference, digest: Digest): ImageReference {
  return { domain: ref.domain, path: ref.path, digest };
}

/** The same repository with a tag (any digest dropped). */
export function withTag(ref: ImageReference, tag: string): ImageReference {
  if (!TAG_RE.test(tag)) throw new InvalidReferenceError(`invalid tag ${JSON.stringify(tag)}`);
  return { domain: ref.domain, path: ref.path, tag };
}

/** What to ask a registry for: the digest if pinned, else the tag. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? DEFAULT_TAG;
}
