import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createReadStream, createWriteStream } from "node:fs";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { exportArchive, importArchive } from "../../../src/runtime/images/archive.js";
import { pullImage } from "../../../src/runtime/images/pull.js";
import { pushImage } from "../../../src/runtime/images/push.js";
import { parseRegistriesYaml } from "../../../src/runtime/images/registries.js";
import { ImageStore } from "../../../src/runtime/images/store.js";
import { tempDir } from "../../support/tmp.js";
import {
  type CountingProxy,
  type LoopbackRegistry,
  startCountingProxy,
  startDockerRegistry,
} from "./docker-registry.js";
import { storeTinyImage, type TinyImage, tinyImage } from "./helpers.js";

// Needs Debian's docker-registry and skopeo.
const run = promisify(execFile);
const AMD64 = { os: "linux", architecture: "amd64" };

async function skopeo(...args: string[]): Promise<string> {
  const { stdout } = await run("skopeo", args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

describe("against Debian's docker-registry and skopeo", () => {
  let registry: LoopbackRegistry;
  let proxy: CountingProxy;
  let dir: { path: string; remove: () => void };
  let store: ImageStore;
  let image: TinyImage;
  let n = 0;
  const freshStore = () => ImageStore.open(join(dir.path, `store${n++}`), { platform: AMD64 });

  before(async () => {
    dir = tempDir("registry-it");
    registry = await startDockerRegistry();
    proxy = await startCountingProxy(registry.host);
    store = await ImageStore.open(join(dir.path, "main"), { platform: AMD64 });
    image = await tinyImage({ extraLayer: { "etc/motd": "second layer\n" }, label: "system" });
    await storeTinyImage(store, "k8ts.test/x/y:tag", image);
  });
  after(async () => {
    await proxy?.stop();
    await registry?.stop();
    dir?.remove();
  });

  test("an image pushed with our client is inspected by skopeo with our digest", async () => {
    const pushed = await pushImage(store, "k8ts.test/x/y:tag", {
      target: `${registry.host}/x/y:tag`,
    });
    assert.equal(pushed.digest, image.manifestDigest);
    const info = JSON.parse(
      await skopeo("inspect", "--tls-verify=false", `docker://${registry.host}/x/y:tag`),
    );
    assert.equal(info.Digest, image.manifestDigest);
    assert.deepEqual(
      info.Layers,
      image.layers.map((l) => l.digest),
    );
    assert.equal(info.Labels.test, "system");
  });

  test("pushing again skips blobs the registry already has", async () => {
    const events: string[] = [];
    await pushImage(store, "k8ts.test/x/y:tag", {
      target: `${registry.host}/x/y:again`,
      onProgress: (e) => events.push(e.status),
    });
    assert.deepEqual(events, ["exists", "exists", "exists"]);
  });

  test("an image pulled back by digest is the one pushed", async () => {
    const s = await freshStore();
    const r = await pullImage(s, `${registry.host}/x/y@${image.manifestDigest}`);
    assert.equal(r.manifestDigest, image.manifestDigest);
    assert.deepEqual(
      r.layers.map((l) => l.diffId),
      image.layers.map((l) => l.diffId),
    );
    assert.deepEqual(await s.readBlob(r.configDigest), image.config);
    assert.equal(r.name, `${registry.host}/x/y@${image.manifestDigest}`);
  });

  test("docker.io/library/busybox resolves through the mirror from registries.yaml", async () => {
    await pushImage(store, "k8ts.test/x/y:tag", {
      target: `${registry.host}/library/busybox:latest`,
    });
    const registries = parseRegistriesYaml(
      `mirrors:\n  docker.io:\n    endpoint:\n      - "http://${proxy.host}"\n`,
    );
    const s = await freshStore();
    const r = await pullImage(s, "docker.io/library/busybox", { registries });
    assert.equal(r.name, "docker.io/library/busybox:latest");
    assert.equal(r.manifestDigest, image.manifestDigest);
    assert.ok(proxy.requests.includes("GET /v2/library/busybox/manifests/latest"));
    assert.equal((await s.resolve("busybox")).manifestDigest, image.manifestDigest);
  });

  test("two concurrent pulls through the mirror download each blob once", async () => {
    const registries = parseRegistriesYaml(
      `mirrors: {docker.io: {endpoint: ["http://${proxy.host}"]}}`,
    );
    const s = await freshStore();
    proxy.requests.length = 0;
    await Promise.all([
      pullImage(s, "busybox", { registries }),
      pullImage(s, "busybox:latest", { registries }),
    ]);
    const blobGets = proxy.requests.filter((q) => q.startsWith("GET /v2/library/busybox/blobs/"));
    assert.equal(blobGets.length, 3, blobGets.join("\n"));
  });

  for (const transport of ["oci-archive", "docker-archive"] as const) {
    test(`an image skopeo copied into a ${transport} is imported`, async () => {
      const file = join(dir.path, `skopeo-${transport}.tar`);
      await skopeo(
        "copy",
        "--insecure-policy",
        "--src-tls-verify=false",
        `docker://${registry.host}/x/y:tag`,
        `${transport}:${file}:${transport === "oci-archive" ? "tag" : "skopeo.test/x/y:tag"}`,
      );
      const s = await freshStore();
      const imported = await importArchive(s, createReadStream(file), {
        name: "imported.test/x/y",
      });
      assert.equal(imported.length, 1);
      const name = transport === "oci-archive" ? "imported.test/x/y:tag" : "skopeo.test/x/y:tag";
      assert.equal(imported[0]?.name, name);
      const r = await s.resolve(name);
      assert.deepEqual(
        r.layers.map((l) => l.diffId),
        image.layers.map((l) => l.diffId),
      );
      assert.equal(r.config.config.Labels?.test, "system");
      for (const l of r.layers) await s.ensureUnpacked(l.digest, { diffId: l.diffId });
    });
  }

  for (const format of ["oci", "docker"] as const) {
    test(`a ${format === "oci" ? "OCI" : "docker save"} archive we export is read by skopeo`, async () => {
      const file = join(dir.path, `ours-${format}.tar`);
      const out = createWriteStream(file);
      await exportArchive(store, ["k8ts.test/x/y:tag"], out, { format });
      await finished(out);
      const transport = format === "oci" ? "oci-archive" : "docker-archive";
      const info = JSON.parse(await skopeo("inspect", `${transport}:${file}`));
      assert.equal(info.Labels.test, "system");
      assert.equal(info.Layers.length, 2);
      if (format === "oci") assert.equal(info.Digest, image.manifestDigest);
      const s = await freshStore();
      const back = await importArchive(s, createReadStream(file));
      assert.equal(back[0]?.name, "k8ts.test/x/y:tag");
      assert.deepEqual(
        (await s.resolve("k8ts.test/x/y:tag")).layers.map((l) => l.diffId),
        image.layers.map((l) => l.diffId),
      );
    });
  }

  test("a Docker schema2 image written by skopeo is pulled", async () => {
    const file = join(dir.path, "ours-oci-for-v2s2.tar");
    const out = createWriteStream(file);
    await exportArchive(store, ["k8ts.test/x/y:tag"], out, { format: "oci" });
    await finished(out);
    await skopeo(
      "copy",
      "--insecure-policy",
      "--dest-tls-verify=false",
      "--format",
      "v2s2",
      `oci-archive:${file}`,
      `docker://${registry.host}/x/docker2:v1`,
    );
    const s = await freshStore();
    const r = await pullImage(s, `${registry.host}/x/docker2:v1`);
    assert.equal(r.manifest.mediaType, "application/vnd.docker.distribution.manifest.v2+json");
    assert.deepEqual(
      r.layers.map((l) => l.diffId),
      image.layers.map((l) => l.diffId),
    );
  });
});
