/**
 * The test images of scripts/test-images.ts (busybox and nginx built from
 * Debian packages) published to a loopback registry, and the registries
 * config that makes that registry the docker.io mirror, so manifests that
 * say `image: busybox` or `nginx:1.7.9` run unchanged.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIntoLayout, pushFromLayout, TEST_IMAGES } from "../../scripts/test-images.js";
import { parseRegistriesObject } from "../../src/runtime/images/registries.js";

/** Builds every test image and pushes it to `registry` (host:port) as library/<name>:<tag>. */
export async function publishTestImages(registry: string): Promise<void> {
  const layout = mkdtempSync(join(tmpdir(), "k8ts-test-images-"));
  try {
    for (const image of TEST_IMAGES) {
      buildIntoLayout(image, layout);
      pushFromLayout(image, { layout, registry });
    }
  } finally {
    rmSync(layout, { recursive: true, force: true });
  }
}

/** registries.yaml content making `registry` the docker.io mirror. */
export const dockerHubMirror = (registry: string) =>
  parseRegistriesObject({ mirrors: { "docker.io": { endpoint: [`http://${registry}`] } } });
