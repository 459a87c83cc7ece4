import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { sha256Digest } from "../../../src/runtime/images/digest.js";
import { RegistryAuthError } from "../../../src/runtime/images/errors.js";
import { MediaType } from "../../../src/runtime/images/media-types.js";
import { PullError, pullImage } from "../../../src/runtime/images/pull.js";
import { parseRegistriesObject } from "../../../src/runtime/images/registries.js";
import { ImageStore } from "../../../src/runtime/images/store.js";
import { freePort } from "../../support/ports.js";
import { tempDir } from "../../support/tmp.js";
import { type FakeRegistry, type FakeRegistryOptions, startFakeRegistry } from "./fake-registry.js";
import { type TinyImage, tinyImage } from "./helpers.js";

const AMD64 = { os: "linux", architecture: "amd64" };

function serve(reg: FakeRegistry, repo: string, tag: string, img: TinyImage): void {
  for (const [d, b] of img.blobs) reg.blobs.set(d, b);
  const refs = reg.manifests.get(repo) ?? new Map();
  const entry = { bytes: img.manifestBytes, mediaType: MediaType.ociManifest };
  refs.set(tag, entry);
  refs.set(img.manifestDigest, entry);
  reg.manifests.set(repo, refs);
}

describe("pulling from a registry", () => {
  let dir: { path: string; remove: () => void };
  let store: ImageStore;
  const registries: FakeRegistry[] = [];
  const start = async (o: FakeRegistryOptions = {}) => {
    const r = await startFakeRegistry(o);
    registries.push(r);
    return r;
  };
  beforeEach(async () => {
    dir = tempDir("pull");
    store = await ImageStore.open(dir.path, { platform: AMD64 });
  });
  afterEach(async () => {
    for (const r of registries.splice(0)) await r.stop();
    dir.remove();
  });

  test("an anonymous bearer token is fetched for the repository scope and reused", async () => {
    const reg = await start({ auth: "bearer" });
    const img = await tinyImage();
    serve(reg, "x/y", "v1", img);
    const r = await pullImage(store, `${reg.host}/x/y:v1`);
    assert.equal(r.manifestDigest, img.manifestDigest);
    assert.equal(reg.tokenRequests.length, 1);
    assert.deepEqual(reg.tokenRequests[0]?.scope.sort(), [
      "repository:x/y:pull",
      "repository:x:pull",
    ]);
    assert.equal(reg.tokenRequests[0]?.authorization, undefined);
  });

  test("credentials from registries.yaml go to the token service as Basic auth", async () => {
    const credentials = { username: "alice", password: "pw" };
    const reg = await start({ auth: "bearer", credentials });
    serve(reg, "x/y", "v1", await tinyImage());
    const config = parseRegistriesObject({ configs: { [reg.host]: { auth: credentials } } });
    await pullImage(store, `${reg.host}/x/y:v1`, { registries: config });
    assert.equal(
      reg.tokenRequests[0]?.authorization,
      `Basic ${Buffer.from("alice:pw").toString("base64")}`,
    );
    await assert.rejects(
      pullImage(store, `${reg.host}/x/y:v1`, {
        registries: parseRegistriesObject({
          configs: { [reg.host]: { auth: { username: "alice", password: "no" } } },
        }),
      }),
      RegistryAuthError,
    );
  });

  test("a Basic-auth registry gets the configured credentials and refuses anonymous pulls", async () => {
    const credentials = { username: "bob", password: "pw" };
    const reg = await start({ auth: "basic", credentials });
    serve(reg, "x/y", "v1", await tinyImage());
    await assert.rejects(pullImage(store, `${reg.host}/x/y:v1`), RegistryAuthError);
    const config = parseRegistriesObject({
      configs: { [reg.host]: { auth: { auth: Buffer.from("bob:pw").toString("base64") } } },
    });
    const r = await pullImage(store, `${reg.host}/x/y:v1`, { registries: config });
    assert.equal(r.name, `${reg.host}/x/y:v1`);
  });

  test("a pull that fails on a layer leaves no visible image", async () => {
    const img = await tinyImage({ extraLayer: { "b.txt": "b" } });
    const reg = await start({ failBlobs: new Set([img.layers[1]?.digest ?? ""]) });
    serve(reg, "x/y", "v1", img);
    await assert.rejects(pullImage(store, `${reg.host}/x/y:v1`));
    assert.deepEqual(await store.list(), []);
    assert.equal(await store.hasBlob(img.layers[1]?.digest ?? sha256Digest("")), false);
    await store.gc();
    assert.equal(await store.hasBlob(img.layers[0]?.digest ?? sha256Digest("")), false);
  });

  test("mirrors are tried in order and the registry itself last", async () => {
    const empty = await start();
    const mirror = await start();
    const img = await tinyImage({ label: "mirrored" });
    serve(mirror, "library/busybox", "latest", img);
    const deadPort = await freePort();
    const config = parseRegistriesObject({
      mirrors: {
        "docker.io": {
          endpoint: [
            `http://127.0.0.1:${deadPort}`,
            `http://${empty.host}`,
            `http://${mirror.host}`,
          ],
        },
      },
    });
    const r = await pullImage(store, "busybox", { registries: config });
    assert.equal(r.manifestDigest, img.manifestDigest);
    assert.equal(r.name, "docker.io/library/busybox:latest");
    assert.ok(empty.requests.includes("GET /v2/library/busybox/manifests/latest"));
    assert.ok(mirror.requests.some((q) => q.startsWith("GET /v2/library/busybox/blobs/")));
  });

  test("mirror rewrites change the repository asked for", async () => {
    const mirror = await start();
    serve(mirror, "cache/busybox", "1.36", await tinyImage());
    const config = parseRegistriesObject({
      mirrors: {
        "docker.io": {
          endpoint: [`http://${mirror.host}`],
          rewrite: { "^library/(.*)": "cache/$1" },
        },
      },
    });
    const r = await pullImage(store, "busybox:1.36", { registries: config });
    assert.equal(r.name, "docker.io/library/busybox:1.36");
  });

  test("the platform's manifest is pulled from an index, and only that one", async () => {
    const reg = await start();
    const amd = await tinyImage({ label: "amd64" });
    const arm = await tinyImage({ label: "arm64" });
    serve(reg, "multi", "tmp-amd", amd);
    serve(reg, "multi", "tmp-arm", arm);
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.dockerManifestList,
        manifests: [
          {
            mediaType: MediaType.ociManifest,
            digest: arm.manifestDigest,
            size: arm.manifestBytes.length,
            platform: { os: "linux", architecture: "arm64" },
          },
          {
            mediaType: MediaType.ociManifest,
            digest: amd.manifestDigest,
            size: amd.manifestBytes.length,
            platform: { os: "linux", architecture: "amd64" },
          },
        ],
      }),
    );
    reg.manifests
      .get("multi")
      ?.set("v1", { bytes: index, mediaType: MediaType.dockerManifestList });
    const r = await pullImage(store, `${reg.host}/multi:v1`);
    assert.equal(r.digest, sha256Digest(index));
    assert.equal(r.config.config.Labels?.test, "amd64");
    assert.equal(await store.hasBlob(arm.manifestDigest), false);
  });

  test("two pulls of one image at once download each blob once", async () => {
    const reg = await start();
    const img = await tinyImage({ extraLayer: { "c.txt": "c" } });
    serve(reg, "x/y", "v1", img);
    const [a, b] = await Promise.all([
      pullImage(store, `${reg.host}/x/y:v1`),
      pullImage(store, `${reg.host}/x/y:v1`),
    ]);
    assert.equal(a.manifestDigest, b.manifestDigest);
    const blobGets = reg.requests.filter((q) => q.startsWith("GET /v2/x/y/blobs/"));
    assert.equal(blobGets.length, 3);
  });

  test("a missing image is a clear error naming every endpoint tried", async () => {
    const reg = await start();
    await assert.rejects(pullImage(store, `${reg.host}/nope:v1`), (err: unknown) => {
      assert.ok(err instanceof PullError);
      assert.match(err.message, /MANIFEST_UNKNOWN/);
      return true;
    });
  });
});
