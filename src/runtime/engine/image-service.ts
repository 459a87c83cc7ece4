/** The CRI ImageService over the on-disk image store and registry pulls. */
import type { Image, ImageFsInfo, ImageService, ImageSpec, PullImageRequest } from "../cri.js";
import {
  ImageNotFoundError,
  type ImageStore,
  pullImage,
  type ResolvedImage,
  type StoredImage,
} from "../images/index.js";
import { parseNormalized } from "../images/reference.js";
import { EMPTY_REGISTRIES, type HostAuth, type RegistriesConfig } from "../images/registries.js";

/**
 * Credentials that come with a pull (the kubelet's imagePullSecrets) apply
 * to the image's registry for this pull only, over any configured ones.
 */
function withRequestAuth(config: RegistriesConfig, request: PullImageRequest): RegistriesConfig {
  const auth = request.auth;
  if (!auth || !(auth.username || auth.auth || auth.identityToken)) return config;
  const host = auth.serverAddress || parseNormalized(request.image.image).domain;
  const hostAuth: HostAuth = {
    ...(auth.username ? { username: auth.username } : {}),
    ...(auth.password ? { password: auth.password } : {}),
    ...(auth.auth ? { auth: auth.auth } : {}),
    ...(auth.identityToken ? { identitytoken: auth.identityToken } : {}),
  };
  return {
    mirrors: config.mirrors,
    configs: { ...config.configs, [host]: { ...(config.configs[host] ?? {}), auth: hostAuth } },
  };
}

export class StoreImageService implements ImageService {
  constructor(
    readonly store: ImageStore,
    readonly registries?: RegistriesConfig,
  ) {}

  async pullImage(request: PullImageRequest): Promise<string> {
    const registries = withRequestAuth(this.registries ?? EMPTY_REGISTRIES, request);
    const image = await pullImage(this.store, request.image.image, { registries });
    return image.configDigest;
  }

  async listImages(filter?: { image?: ImageSpec }): Promise<Image[]> {
    if (filter?.image?.image) {
      const one = await this.imageStatus(filter.image);
      return one ? [one] : [];
    }
    // One entry per image ID, carrying every name that points at it.
    const byId = new Map<string, Image>();
    for (const stored of await this.store.list()) {
      const resolved = await this.store.resolveDescriptor(stored.target).catch(() => undefined);
      if (resolved === undefined) continue;
      const image = byId.get(resolved.configDigest) ?? toImage(resolved, []);
      addNames(image, stored, resolved);
      byId.set(resolved.configDigest, image);
    }
    return [...byId.values()];
  }

  async imageStatus(spec: ImageSpec): Promise<Image | undefined> {
    let resolved: ResolvedImage;
    try {
      resolved = await this.store.resolve(spec.image);
    } catch (error) {
      if (error instanceof ImageNotFoundError) return undefined;
      throw error;
    }
    const image = toImage(resolved, []);
    for (const stored of await this.store.list()) {
      if (stored.target.digest === resolved.digest) addNames(image, stored, resolved);
    }
    return image;
  }

  async removeImage(spec: ImageSpec): Promise<void> {
    try {
      await this.store.delete(spec.image);
    } catch (error) {
      if (!(error instanceof ImageNotFoundError)) throw error;
    }
  }

  async imageFsInfo(): Promise<ImageFsInfo> {
    let used = 0n;
    let count = 0n;
    for (const image of await this.listImages()) {
      used += BigInt(image.size);
      count += 1n;
    }
    const timestamp = BigInt(Date.now()) * 1_000_000n;
    return {
      imageFilesystems: [
        {
          timestamp,
          fsId: { mountpoint: this.store.root },
          usedBytes: { value: used },
          inodesUsed: { value: count },
        },
      ],
      containerFilesystems: [],
    };
  }
}

function toImage(resolved: ResolvedImage, repoTags: string[]): Image {
  const image: Image = {
    id: resolved.configDigest,
    repoTags,
    repoDigests: [],
    size: resolved.layers.reduce((sum, l) => sum + l.size, 0),
  };
  const user = resolved.config.config.User ?? "";
  const uid = user.split(":")[0] ?? "";
  if (/^[0-9]+$/.test(uid)) image.uid = { value: Number(uid) };
  else if (uid !== "") image.username = uid;
  return image;
}

function addNames(image: Image, stored: StoredImage, resolved: ResolvedImage): void {
  if (stored.name === undefined) return;
  if (!image.repoTags.includes(stored.name)) image.repoTags.push(stored.name);
  const repository = stored.name.replace(/[:@][^/]*$/, "");
  const digestRef = `${repository}@${resolved.digest}`;
  if (!image.repoDigests.includes(digestRef)) image.repoDigests.push(digestRef);
}
