/**
 * An in-memory image store for hollow nodes: pulling an image records it
 * without contacting a registry or writing a layer. Image IDs are derived
 * from the normalised reference, so the same name always gets the same ID.
 */
import type { Image, ImageFsInfo, ImageService, ImageSpec, PullImageRequest } from "../cri.js";
import { sha256Digest } from "../images/digest.js";
import { formatReference, parseReference } from "../images/reference.js";

export interface FakeImageServiceOptions {
  /** Size every fake image reports, in bytes (default 1 MiB). */
  imageSize?: number;
  /** Images present from the start (the pause image of a hollow node). */
  preloaded?: string[];
  /** Images pinned against garbage collection. */
  pinned?: string[];
}

interface FakeImage {
  id: string;
  repoTags: Set<string>;
  repoDigests: Set<string>;
  size: number;
  pinned: boolean;
}

export class FakeImageService implements ImageService {
  /** Image ID → image. */
  readonly #images = new Map<string, FakeImage>();
  readonly #size: number;
  readonly #pinned: Set<string>;
  /** Every pull asked for, in order (for tests to assert on). */
  readonly pulls: string[] = [];

  constructor(options: FakeImageServiceOptions = {}) {
    this.#size = options.imageSize ?? 1024 * 1024;
    this.#pinned = new Set((options.pinned ?? []).map((name) => normalise(name)));
    for (const name of options.preloaded ?? []) this.#record(name);
  }

  async pullImage(request: PullImageRequest): Promise<string> {
    const name = normalise(request.image.image);
    this.pulls.push(name);
    return this.#record(name).id;
  }

  async listImages(filter?: { image?: ImageSpec }): Promise<Image[]> {
    const wanted = filter?.image?.image;
    if (wanted !== undefined && wanted !== "") {
      const found = this.#find(wanted);
      return found === undefined ? [] : [toImage(found)];
    }
    return [...this.#images.values()].map(toImage);
  }

  async imageStatus(image: ImageSpec): Promise<Image | undefined> {
    const found = this.#find(image.image);
    return found === undefined ? undefined : toImage(found);
  }

  async removeImage(image: ImageSpec): Promise<void> {
    const found = this.#find(image.image);
    if (found !== undefined) this.#images.delete(found.id);
  }

  async imageFsInfo(): Promise<ImageFsInfo> {
    const timestamp = BigInt(Date.now()) * 1_000_000n;
    let used = 0n;
    for (const image of this.#images.values()) used += BigInt(image.size);
    const fs = {
      timestamp,
      fsId: { mountpoint: "/fake/images" },
      usedBytes: { value: used },
      inodesUsed: { value: BigInt(this.#images.size) },
    };
    return { imageFilesystems: [fs], containerFilesystems: [] };
  }

  /** The image a container of `name` would run, or undefined when not pulled. */
  resolve(name: string): { id: string; ref: string } | undefined {
    const found = this.#find(name);
    if (found === undefined) return undefined;
    const digest = [...found.repoDigests][0];
    return { id: found.id, ref: digest ?? found.id };
  }

  #record(name: string): FakeImage {
    const existing = this.#find(name);
    if (existing !== undefined) return existing;
    const ref = parseReference(name);
    const id = sha256Digest(`fake-image:${formatReference(ref)}`);
    const manifest = ref.digest ?? sha256Digest(`fake-manifest:${id}`);
    const repository = `${ref.domain}/${ref.path}`;
    const image: FakeImage = {
      id,
      repoTags: new Set(ref.tag === undefined ? [] : [`${repository}:${ref.tag}`]),
      repoDigests: new Set([`${repository}@${manifest}`]),
      size: this.#size,
      pinned: this.#pinned.has(formatReference(ref)),
    };
    this.#images.set(id, image);
    return image;
  }

  /** Finds by ID (with or without `sha256:`), tag or digest reference. */
  #find(name: string): FakeImage | undefined {
    const byId = this.#images.get(name) ?? this.#images.get(`sha256:${name}`);
    if (byId !== undefined) return byId;
    let normalised: string;
    try {
      normalised = lookupKey(name);
    } catch {
      return undefined;
    }
    for (const image of this.#images.values()) {
      if (image.repoTags.has(normalised) || image.repoDigests.has(normalised)) return image;
    }
    return undefined;
  }
}

function normalise(name: string): string {
  return formatReference(parseReference(name));
}

/** What a name is looked up by: `repo@digest` when pinned, else `repo:tag`. */
function lookupKey(name: string): string {
  const ref = parseReference(name);
  const repository = `${ref.domain}/${ref.path}`;
  return ref.digest !== undefined ? `${repository}@${ref.digest}` : `${repository}:${ref.tag}`;
}

function toImage(image: FakeImage): Image {
  return {
    id: image.id,
    repoTags: [...image.repoTags],
    repoDigests: [...image.repoDigests],
    size: image.size,
    pinned: image.pinned,
  };
}
