/**
 * Makes a container's image present according to its imagePullPolicy
 * (upstream's imageManager): Always pulls, IfNotPresent pulls when absent,
 * Never refuses when absent. Failed pulls back off per pod and image, so
 * the status moves from ErrImagePull to ImagePullBackOff as upstream.
 */
import type { Container, Pod, Secret } from "kubernetes-types/core/v1.js";
import type { AuthConfig, ImageService } from "../../runtime/cri.js";
import { parseNormalized } from "../../runtime/images/reference.js";
import { Backoff } from "../pods/backoff.js";
import { credentialsFor } from "./pull-secrets.js";

export type ImageResult =
  | { ok: true; imageRef: string }
  | {
      ok: false;
      reason: "ErrImagePull" | "ImagePullBackOff" | "ErrImageNeverPull" | "InvalidImageName";
      message: string;
      retryMs?: number;
    };

export type EventFn = (type: "Normal" | "Warning", reason: string, message: string) => void;

/** The upstream default: Always for `:latest` or no tag (and no digest), else IfNotPresent. */
export function pullPolicy(container: Container): "Always" | "IfNotPresent" | "Never" {
  const p = container.imagePullPolicy;
  if (p === "Always" || p === "IfNotPresent" || p === "Never") return p;
  const image = container.image ?? "";
  try {
    const ref = parseNormalized(image);
    if (ref.digest) return "IfNotPresent";
    return !ref.tag || ref.tag === "latest" ? "Always" : "IfNotPresent";
  } catch {
    return "IfNotPresent";
  }
}

export class ImageManager {
  private readonly backoff = new Backoff();
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly images: ImageService,
    private readonly now: () => number = Date.now,
  ) {}

  async ensure(
    pod: Pod,
    container: Container,
    pullSecrets: readonly Secret[],
    event: EventFn,
  ): Promise<ImageResult> {
    const image = container.image ?? "";
    let host: string;
    try {
      host = parseNormalized(image).domain;
    } catch (err) {
      const message = `Failed to apply default image tag "${image}": ${(err as Error).message}`;
      event("Warning", "InspectFailed", message);
      return { ok: false, reason: "InvalidImageName", message };
    }
    const policy = pullPolicy(container);
    const present = await this.images.imageStatus({ image });
    if (present && policy !== "Always") {
      event("Normal", "Pulled", `Container image "${image}" already present on machine`);
      return { ok: true, imageRef: present.id };
    }
    if (policy === "Never") {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      event("Warning", "ErrImageNeverPull", message);
      return { ok: false, reason: "ErrImageNeverPull", message };
    }
    const key = `${pod.metadata?.uid ?? ""}/${image}`;
    const now = this.now();
    const wait = this.backoff.remaining(key, this.failedAt.get(key) ?? 0, now);
    if (wait > 0) {
      const message = `Back-off pulling image "${image}"`;
      event("Normal", "BackOff", message);
      return { ok: false, reason: "ImagePullBackOff", message, retryMs: wait };
    }
    event("Normal", "Pulling", `Pulling image "${image}"`);
    const auths: (AuthConfig | undefined)[] = [...credentialsFor(host, pullSecrets), undefined];
    let lastError: unknown;
    for (const auth of auths) {
      try {
        const imageRef = await this.images.pullImage({
          image: { image },
          ...(auth ? { auth } : {}),
        });
        const took = ((this.now() - now) / 1000).toFixed(3);
        event("Normal", "Pulled", `Successfully pulled image "${image}" in ${took}s`);
        this.failedAt.delete(key);
        return { ok: true, imageRef };
      } catch (err) {
        lastError = err;
      }
    }
    this.backoff.next(key, this.now());
    this.failedAt.set(key, this.now());
    const message = `Failed to pull image "${image}": ${(lastError as Error)?.message ?? String(lastError)}`;
    event("Warning", "Failed", message);
    event("Warning", "Failed", "Error: ErrImagePull");
    return { ok: false, reason: "ErrImagePull", message, retryMs: this.backoff.delay(key) };
  }

  forget(podUid: string): void {
    this.backoff.forget(`${podUid}/`);
    for (const k of this.failedAt.keys()) if (k.startsWith(`${podUid}/`)) this.failedAt.delete(k);
  }
}
