import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ManifestError, PlatformNotFoundError } from "../../../src/runtime/images/errors.js";
import {
  envToMap,
  type ImageIndex,
  parseImageConfig,
  parseManifest,
  selectPlatform,
} from "../../../src/runtime/images/manifest.js";
import { MediaType } from "../../../src/runtime/images/media-types.js";
import { hostPlatform, normalizePlatform } from "../../../src/runtime/images/platform.js";

const d = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;

function indexOf(platforms: { os: string; architecture: string; variant?: string }[]): ImageIndex {
  return {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: platforms.map((platform, i) => ({
      mediaType: MediaType.ociManifest,
      digest: d(i + 1) as `sha256:${string}`,
      size: 100,
      platform,
    })),
  };
}

describe("manifests", () => {
  test("a Docker schema2 manifest parses with its config and layers", () => {
    const parsed = parseManifest(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.dockerManifest,
        config: { mediaType: MediaType.dockerConfig, digest: d(1), size: 10 },
        layers: [{ mediaType: MediaType.dockerLayerGzip, digest: d(2), size: 20 }],
      }),
    );
    assert.equal(parsed.kind, "manifest");
    if (parsed.kind === "manifest") {
      assert.equal(parsed.manifest.config.digest, d(1));
      assert.equal(parsed.manifest.layers[0]?.size, 20);
    }
  });

  test("an OCI index without mediaType is recognised by its manifests list", () => {
    const parsed = parseManifest(JSON.stringify({ schemaVersion: 2, manifests: [] }));
    assert.equal(parsed.kind, "index");
  });

  test("the served Content-Type decides when the document has no mediaType", () => {
    const parsed = parseManifest(
      JSON.stringify({ schemaVersion: 2, manifests: [] }),
      `${MediaType.dockerManifestList}; charset=utf-8`,
    );
    assert.equal(parsed.kind === "index" && parsed.index.mediaType, MediaType.dockerManifestList);
  });

  test("schema1 manifests and bad digests are refused", () => {
    assert.throws(() => parseManifest('{"schemaVersion":1}'), ManifestError);
    assert.throws(
      () =>
        parseManifest(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: MediaType.ociManifest,
            config: { mediaType: MediaType.ociConfig, digest: "sha256:xyz", size: 1 },
            layers: [],
          }),
        ),
      ManifestError,
    );
  });

  test("linux/amd64 is picked from a multi-platform list", () => {
    const idx = indexOf([
      { os: "linux", architecture: "arm64", variant: "v8" },
      { os: "linux", architecture: "amd64" },
      { os: "windows", architecture: "amd64" },
    ]);
    assert.equal(selectPlatform(idx, { os: "linux", architecture: "amd64" }).digest, d(2));
  });

  test("attestation manifests (unknown/unknown) are never picked", () => {
    const idx = indexOf([
      { os: "unknown", architecture: "unknown" },
      { os: "linux", architecture: "amd64" },
    ]);
    assert.equal(selectPlatform(idx, { os: "linux", architecture: "amd64" }).digest, d(2));
  });

  test("an arm v7 host takes an exact v7 image over v6, and v6 when no v7 exists", () => {
    const host = { os: "linux", architecture: "arm", variant: "v7" };
    const both = indexOf([
      { os: "linux", architecture: "arm", variant: "v6" },
      { os: "linux", architecture: "arm", variant: "v7" },
    ]);
    assert.equal(selectPlatform(both, host).digest, d(2));
    const v6 = indexOf([{ os: "linux", architecture: "arm", variant: "v6" }]);
    assert.equal(selectPlatform(v6, host).digest, d(1));
  });

  test("an amd64 v1 host does not take a v3-only image", () => {
    const idx = indexOf([{ os: "linux", architecture: "amd64", variant: "v3" }]);
    assert.throws(
      () => selectPlatform(idx, { os: "linux", architecture: "amd64" }),
      PlatformNotFoundError,
    );
  });

  test("arm64 without a variant matches an arm64/v8 host", () => {
    const idx = indexOf([{ os: "linux", architecture: "arm64" }]);
    assert.equal(
      selectPlatform(idx, { os: "linux", architecture: "arm64", variant: "v8" }).digest,
      d(1),
    );
  });

  test("architecture aliases normalise as containerd does", () => {
    assert.deepEqual(normalizePlatform({ os: "Linux", architecture: "x86_64" }), {
      os: "linux",
      architecture: "amd64",
      variant: "v1",
    });
    assert.equal(normalizePlatform({ os: "linux", architecture: "aarch64" }).architecture, "arm64");
    assert.equal(hostPlatform({ platform: "linux", arch: "x64" }).architecture, "amd64");
  });

  test("an image config yields the container settings and diff ids", () => {
    const config = parseImageConfig(
      JSON.stringify({
        architecture: "amd64",
        os: "linux",
        config: {
          Entrypoint: ["/docker-entrypoint.sh"],
          Cmd: ["nginx", "-g", "daemon off;"],
          Env: ["PATH=/usr/sbin:/usr/bin", "NGINX_VERSION=1.7.9"],
          WorkingDir: "/srv",
          User: "101:101",
          ExposedPorts: { "80/tcp": {} },
          Volumes: { "/var/cache/nginx": {} },
          Labels: { maintainer: "someone" },
          StopSignal: "SIGQUIT",
        },
        rootfs: { type: "layers", diff_ids: [d(7)] },
        history: [{ created_by: "ADD file" }],
      }),
    );
    assert.deepEqual(config.config.Cmd, ["nginx", "-g", "daemon off;"]);
    assert.equal(config.config.User, "101:101");
    assert.deepEqual(Object.keys(config.config.ExposedPorts ?? {}), ["80/tcp"]);
    assert.deepEqual(config.rootfs.diff_ids, [d(7)]);
    assert.equal(envToMap(config.config.Env).get("NGINX_VERSION"), "1.7.9");
  });

  test("a config with a null Cmd and missing config section is still valid", () => {
    const config = parseImageConfig(
      JSON.stringify({
        architecture: "amd64",
        os: "linux",
        rootfs: { type: "layers", diff_ids: [] },
      }),
    );
    assert.deepEqual(config.config, {});
  });

  test("a config without rootfs is refused", () => {
    assert.throws(() => parseImageConfig('{"architecture":"amd64","os":"linux"}'), ManifestError);
  });
});
