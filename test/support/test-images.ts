/**
 * The notes' images built locally from Debian packages, as DESIGN.md says:
 * busybox (busybox-static with every applet linked) and nginx (nginx-light's
 * binary with its libraries, serving /usr/share/nginx/html on port 80).
 * `publishTestImages` pushes them to a loopback registry as
 * library/busybox and library/nginx, so manifests that say `image: busybox`
 * or `nginx:1.7.9` run unchanged through a docker.io mirror.
 */
import { execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { ImageStore, MediaType, pushImage } from "../../src/runtime/images/index.js";
import { parseRegistriesObject } from "../../src/runtime/images/registries.js";

export const NGINX_TAGS = ["1.7.9", "1.8", "latest"];
export const BUSYBOX_TAGS = ["latest", "1.36"];

function base(dir: string): void {
  for (const d of ["bin", "etc", "tmp", "root", "var/run"])
    mkdirSync(join(dir, d), { recursive: true });
  chmodSync(join(dir, "tmp"), 0o1777);
  copyFileSync("/bin/busybox", join(dir, "bin", "busybox"));
  const applets = execFileSync("/bin/busybox", ["--list"], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean);
  for (const a of applets) if (a !== "busybox") symlinkSync("busybox", join(dir, "bin", a));
  writeFileSync(
    join(dir, "etc", "passwd"),
    "root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
  );
  writeFileSync(join(dir, "etc", "group"), "root:x:0:\nwww-data:x:33:\nnogroup:x:65534:\n");
}

function copyWithLibraries(dir: string, binary: string): void {
  const dest = join(dir, binary);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(binary, dest);
  const ldd = execFileSync("ldd", [binary], { encoding: "utf8" });
  for (const m of ldd.matchAll(/(\/\S+\.so[.\d]*)/g)) {
    const lib = m[1] as string;
    const to = join(dir, lib);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(lib, to);
  }
}

function nginx(dir: string): void {
  base(dir);
  copyWithLibraries(dir, "/usr/sbin/nginx");
  for (const d of [
    "etc/nginx",
    "usr/share/nginx/html",
    "var/log/nginx",
    "var/lib/nginx/body",
    "var/lib/nginx/proxy",
    "var/lib/nginx/fastcgi",
    "var/lib/nginx/uwsgi",
    "var/lib/nginx/scgi",
  ])
    mkdirSync(join(dir, d), { recursive: true });
  copyFileSync("/etc/nginx/mime.types", join(dir, "etc/nginx/mime.types"));
  writeFileSync(
    join(dir, "etc/nginx/nginx.conf"),
    [
      "worker_processes 1;",
      "error_log stderr;",
      "pid /var/run/nginx.pid;",
      "events { worker_connections 64; }",
      "http {",
      "  include /etc/nginx/mime.types;",
      "  access_log off;",
      "  server { listen 80; root /usr/share/nginx/html; index index.html; }",
      "}",
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "usr/share/nginx/html/index.html"), "<h1>Welcome to nginx!</h1>\n");
}

async function storeDirImage(
  store: ImageStore,
  dir: string,
  name: string,
  config: object,
): Promise<void> {
  const tar = spawn("tar", ["-C", dir, "--numeric-owner", "-cf", "-", "."], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const layer = await store.importLayer(tar.stdout as Readable);
  const cfg = await store.writeJson(MediaType.ociConfig, {
    architecture: "amd64",
    os: "linux",
    config,
    rootfs: { type: "layers", diff_ids: [layer.diffId] },
  });
  const manifest = await store.writeJson(MediaType.ociManifest, {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: cfg,
    layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
  });
  await store.tag(name, manifest);
}

/** Builds busybox and nginx and pushes them to `registry` (host:port) under every tag. */
export async function publishTestImages(registry: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "k8ts-test-images-"));
  try {
    const store = await ImageStore.open(join(work, "store"));
    const bb = join(work, "busybox");
    base(bb);
    await storeDirImage(store, bb, "k8ts.test/busybox:build", {
      Cmd: ["sh"],
      Env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
    });
    const ng = join(work, "nginx");
    nginx(ng);
    await storeDirImage(store, ng, "k8ts.test/nginx:build", {
      Cmd: ["/usr/sbin/nginx", "-g", "daemon off;"],
      Env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
      ExposedPorts: { "80/tcp": {} },
      StopSignal: "SIGQUIT",
    });
    const registries = parseRegistriesObject({});
    for (const tag of BUSYBOX_TAGS)
      await pushImage(store, "k8ts.test/busybox:build", {
        target: `${registry}/library/busybox:${tag}`,
        registries,
      });
    for (const tag of NGINX_TAGS)
      await pushImage(store, "k8ts.test/nginx:build", {
        target: `${registry}/library/nginx:${tag}`,
        registries,
      });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** registries.yaml content making `registry` the docker.io mirror. */
export const dockerHubMirror = (registry: string) =>
  parseRegistriesObject({ mirrors: { "docker.io": { endpoint: [`http://${registry}`] } } });
