import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { digestHex, sha256Digest } from "../../../src/runtime/images/digest.js";
import { DigestMismatchError, ImageNotFoundError } from "../../../src/runtime/images/errors.js";
import { MediaType } from "../../../src/runtime/images/media-types.js";
import { ImageStore } from "../../../src/runtime/images/store.js";
import { tempDir } from "../../support/tmp.js";
import { buildTar, chunks, storeTinyImage, tinyImage } from "./helpers.js";

describe("image store", () => {
  let dir: { path: string; remove: () => void };
  let store: ImageStore;
  before(async () => {
    dir = tempDir("store");
    store = await ImageStore.open(dir.path, { platform: { os: "linux", architecture: "amd64" } });
  });
  after(() => dir.remove());

  test("a new store is an OCI image layout", () => {
    assert.deepEqual(JSON.parse(readFileSync(join(dir.path, "oci-layout"), "utf8")), {
      imageLayoutVersion: "1.0.0",
    });
    assert.deepEqual(JSON.parse(readFileSync(join(dir.path, "index.json"), "utf8")).manifests, []);
  });

  test("content with the wrong digest is refused and leaves no file behind", async () => {
    await assert.rejects(
      store.writeBlob(Buffer.from("abc"), { digest: sha256Digest("xyz") }),
      DigestMismatchError,
    );
    await assert.rejects(store.writeBlob(Buffer.from("abc"), { size: 4 }), DigestMismatchError);
    assert.equal(existsSync(store.blobPath(sha256Digest("abc"))), false);
    assert.equal(existsSync(store.blobPath(sha256Digest("xyz"))), false);
    assert.deepEqual(readdirSync(join(dir.path, "ingest")), []);
  });

  test("a tagged image is listed under its full name with the OCI ref.name annotation", async () => {
    const img = await tinyImage();
    await storeTinyImage(store, "busybox", img);
    const got = await store.get("docker.io/library/busybox:latest");
    assert.equal(got?.target.digest, img.manifestDigest);
    const index = JSON.parse(readFileSync(join(dir.path, "index.json"), "utf8"));
    const entry = index.manifests.find((m: { digest: string }) => m.digest === img.manifestDigest);
    assert.equal(entry.annotations["org.opencontainers.image.ref.name"], "latest");
    assert.equal(entry.annotations["io.containerd.image.name"], "docker.io/library/busybox:latest");
  });

  test("resolve returns manifest, config and layers with diff ids, by name, digest or image ID", async () => {
    const img = await tinyImage({ extraLayer: { "etc/motd": "hi" }, cmd: ["/bin/true"] });
    await storeTinyImage(store, "example.com/app:v1", img);
    const r = await store.resolve("example.com/app:v1");
    assert.equal(r.name, "example.com/app:v1");
    assert.deepEqual(r.config.config.Cmd, ["/bin/true"]);
    assert.deepEqual(
      r.layers.map((l) => [l.digest, l.diffId]),
      img.layers.map((l) => [l.digest, l.diffId]),
    );
    assert.equal(
      (await store.resolve(`example.com/app@${img.manifestDigest}`)).manifestDigest,
      img.manifestDigest,
    );
    assert.equal(
      (await store.resolve(digestHex(r.configDigest).slice(0, 12))).configDigest,
      r.configDigest,
    );
    await assert.rejects(store.resolve("example.com/nope:v1"), ImageNotFoundError);
  });

  test("resolve picks the store's platform from a stored index", async () => {
    const img = await tinyImage({ label: "indexed" });
    await storeTinyImage(store, "indexed:tmp", img);
    const index = await store.writeJson(MediaType.ociIndex, {
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [
        {
          mediaType: MediaType.ociManifest,
          digest: sha256Digest("arm"),
          size: 1,
          platform: { os: "linux", architecture: "arm64" },
        },
        {
          mediaType: MediaType.ociManifest,
          digest: img.manifestDigest,
          size: img.manifestBytes.length,
          platform: { os: "linux", architecture: "amd64" },
        },
      ],
    });
    await store.tag("indexed:multi", index);
    const r = await store.resolve("indexed:multi");
    assert.equal(r.digest, index.digest);
    assert.equal(r.manifestDigest, img.manifestDigest);
  });

  test("ensureUnpacked unpacks a layer once and shares the directory", async () => {
    const img = await tinyImage({ files: { "srv/data.txt": "unpacked" }, label: "unpack" });
    await storeTinyImage(store, "unpack:1", img);
    const layer = img.layers[0];
    assert.ok(layer);
    const [a, b] = await Promise.all([
      store.ensureUnpacked(layer.digest, { diffId: layer.diffId }),
      store.ensureUnpacked(layer.digest, { diffId: layer.diffId }),
    ]);
    assert.equal(a, b);
    assert.equal(readFileSync(join(a, "srv/data.txt"), "utf8"), "unpacked");
    assert.deepEqual(
      readdirSync(join(dir.path, "unpacked")).filter((n) => n.startsWith(".tmp")),
      [],
    );
  });

  test("importLayer stores a gzip blob and reports the tar's diff id", async () => {
    const tar = await buildTar([{ name: "committed", type: "file", data: "from an upper dir" }]);
    const layer = await store.importLayer(chunks(tar));
    assert.equal(layer.diffId, sha256Digest(tar));
    assert.equal(layer.mediaType, MediaType.ociLayerGzip);
    const blob = await store.readBlob(layer.digest);
    assert.equal(sha256Digest(blob), layer.digest);
    assert.equal(blob[0], 0x1f);
    const again = await store.importLayer(chunks(gzipSync(tar)));
    assert.equal(again.diffId, layer.diffId);
  });

  test("gc removes what no image references but keeps leased and kept blobs", async () => {
    const img = await tinyImage({ files: { "gc.txt": "collect me" }, label: "gc" });
    await storeTinyImage(store, "gc:1", img);
    const layer = img.layers[0];
    assert.ok(layer);
    await store.ensureUnpacked(layer.digest);
    const orphan = await store.writeBlob(Buffer.from("orphan"));
    const leased = await store.writeBlob(Buffer.from("leased"));
    const kept = await store.writeBlob(Buffer.from("kept"));
    const lease = store.lease([leased.digest]);
    await store.untag("gc:1");
    const removed = await store.gc({ keep: [kept.digest] });
    assert.ok(removed.blobs.includes(orphan.digest));
    assert.ok(removed.blobs.includes(img.manifestDigest));
    assert.ok(removed.blobs.includes(layer.digest));
    assert.ok(removed.unpacked.includes(layer.digest));
    assert.equal(await store.hasBlob(leased.digest), true);
    assert.equal(await store.hasBlob(kept.digest), true);
    lease.release();
    assert.ok((await store.gc()).blobs.includes(leased.digest));
    const busybox = await store.resolve("busybox");
    assert.equal(await store.hasBlob(busybox.configDigest), true);
  });

  test("delete by image ID removes every name pointing at the image", async () => {
    const img = await tinyImage({ label: "twice" });
    await storeTinyImage(store, "twice:a", img);
    await storeTinyImage(store, "twice:b", img);
    const r = await store.resolve("twice:a");
    const removed = await store.delete(digestHex(r.configDigest));
    assert.deepEqual(removed.sort(), ["docker.io/library/twice:a", "docker.io/library/twice:b"]);
    assert.equal(await store.get("twice:a"), undefined);
    await assert.rejects(store.delete("twice:a"), ImageNotFoundError);
  });
});
