/**
 * Builds the test images every end-to-end test uses, from Debian packages
 * only, and pushes them to a registry:
 *
 *   busybox  busybox-static with every applet linked     library/busybox:latest, :1.36
 *   nginx    Debian's nginx binary and its libraries,    library/nginx:latest, :1.7.9, :1.8, :1.9.1
 *            serving /usr/share/nginx/html on port 80 in the foreground
 *
 *   node --import tsx scripts/test-images.ts --registry 127.0.0.1:5000 [--out DIR]
 *
 * Needs: busybox-static, nginx-light, skopeo (apt). The images are written
 * as an OCI image layout first (`--out`, default a temp dir) and copied to
 * the registry with skopeo.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

export interface TestImage {
  readonly name: string;
  readonly tags: readonly string[];
  /** Fills a root filesystem directory. */
  readonly build: (rootfs: string) => void;
  readonly config: Record<string, unknown>;
}

const PASSWD =
  "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\nnginx:x:101:101:nginx:/nonexistent:/bin/false\n";
const GROUP = "root:x:0:\nnogroup:x:65534:\nnginx:x:101:\n";

function base(rootfs: string): void {
  for (const d of ["bin", "etc", "tmp", "root", "proc", "sys", "dev", "var/run", "usr/bin"]) {
    mkdirSync(join(rootfs, d), { recursive: true });
  }
  chmodSync(join(rootfs, "tmp"), 0o1777);
  writeFileSync(join(rootfs, "etc/passwd"), PASSWD);
  writeFileSync(join(rootfs, "etc/group"), GROUP);
}

/** Copies a file, creating its directory. */
function put(rootfs: string, from: string, to = from): void {
  const dest = join(rootfs, to);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(from, dest);
  chmodSync(dest, 0o755);
}

const BUSYBOX = "/usr/bin/busybox";

export const busybox: TestImage = {
  name: "busybox",
  tags: ["latest", "1.36"],
  build(rootfs) {
    base(rootfs);
    put(rootfs, BUSYBOX, "bin/busybox");
    const applets = execFileSync(BUSYBOX, ["--list"], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    for (const applet of applets) {
      const link = join(rootfs, "bin", applet);
      if (!existsSync(link)) symlinkSync("busybox", link);
    }
  },
  config: {
    Cmd: ["sh"],
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
  },
};

// Foreground comes from the command line (`-g "daemon off;"`), as in the official image.
const NGINX_CONF = `user nginx;
worker_processes 1;
error_log /dev/stderr notice;
pid /var/run/nginx.pid;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log /dev/stdout;
  sendfile on;
  keepalive_timeout 65;
  server {
    listen 80;
    server_name localhost;
    root /usr/share/nginx/html;
    index index.html;
  }
}
`;

const INDEX_HTML = `<!DOCTYPE html>
<html>
<head><title>Welcome to nginx!</title></head>
<body>
<h1>Welcome to nginx!</h1>
<p>This nginx was built by k8ts from Debian's package for its tests.</p>
</body>
</html>
`;

/** The shared libraries a binary loads, from ldd. */
function libraries(binary: string): string[] {
  const out = execFileSync("ldd", [binary], { encoding: "utf8" });
  const libs: string[] = [];
  for (const line of out.split("\n")) {
    const m = /=>\s+(\S+)\s+\(/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.push(m[1]);
  }
  return libs;
}

export const nginx: TestImage = {
  name: "nginx",
  tags: ["latest", "1.7.9", "1.8", "1.9.1"],
  build(rootfs) {
    busybox.build(rootfs);
    put(rootfs, "/usr/sbin/nginx", "usr/sbin/nginx");
    for (const lib of libraries("/usr/sbin/nginx")) put(rootfs, lib, lib.slice(1));
    // glibc's name service modules, so `user nginx;` resolves through /etc/passwd.
    for (const lib of ["/lib/x86_64-linux-gnu/libnss_files.so.2"])
      if (existsSync(lib)) put(rootfs, lib, lib.slice(1));
    writeFileSync(
      join(rootfs, "etc/nsswitch.conf"),
      "passwd: files\ngroup: files\nhosts: files dns\n",
    );
    mkdirSync(join(rootfs, "etc/nginx"), { recursive: true });
    writeFileSync(join(rootfs, "etc/nginx/nginx.conf"), NGINX_CONF);
    copyFileSync("/etc/nginx/mime.types", join(rootfs, "etc/nginx/mime.types"));
    mkdirSync(join(rootfs, "usr/share/nginx/html"), { recursive: true });
    writeFileSync(join(rootfs, "usr/share/nginx/html/index.html"), INDEX_HTML);
    for (const d of [
      "var/log/nginx",
      "var/lib/nginx/body",
      "var/lib/nginx/proxy",
      "var/lib/nginx/fastcgi",
      "var/lib/nginx/uwsgi",
      "var/lib/nginx/scgi",
    ]) {
      mkdirSync(join(rootfs, d), { recursive: true });
    }
  },
  config: {
    Cmd: ["nginx", "-g", "daemon off;"],
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    ExposedPorts: { "80/tcp": {} },
    StopSignal: "SIGQUIT",
  },
};

/**
 * curl on busybox: an in-cluster API client for the tests (the notes'
 * InClusterConfig: the mounted token and CA, the `kubernetes` Service).
 */
export const curl: TestImage = {
  name: "curl",
  tags: ["latest"],
  build(rootfs) {
    busybox.build(rootfs);
    put(rootfs, "/usr/bin/curl", "usr/bin/curl");
    for (const lib of libraries("/usr/bin/curl")) put(rootfs, lib, lib.slice(1));
    writeFileSync(
      join(rootfs, "etc/nsswitch.conf"),
      "passwd: files\ngroup: files\nhosts: files dns\n",
    );
  },
  config: {
    Cmd: ["curl", "--help"],
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
  },
};

export const TEST_IMAGES: readonly TestImage[] = [busybox, nginx, curl];

const sha256 = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

function writeBlob(layout: string, data: Buffer): string {
  const digest = sha256(data);
  const dir = join(layout, "blobs", "sha256");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, digest.slice("sha256:".length)), data);
  return digest;
}

/**
 * Writes `image` into an OCI image layout: one gzip layer made
 * deterministically (sorted, epoch mtimes, root-owned), a config and a
 * manifest, tagged with every tag in index.json.
 */
export function buildIntoLayout(
  image: TestImage,
  layout: string,
): { digest: string; size: number } {
  const work = mkdtempSync(join(tmpdir(), `k8ts-img-${image.name}-`));
  try {
    const rootfs = join(work, "rootfs");
    mkdirSync(rootfs);
    image.build(rootfs);
    const tar = execFileSync(
      "tar",
      [
        "--sort=name",
        "--mtime=@0",
        "--owner=0",
        "--group=0",
        "--numeric-owner",
        "--format=posix",
        "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime",
        "-C",
        rootfs,
        "-cf",
        "-",
        ".",
      ],
      { maxBuffer: 512 * 1024 * 1024 },
    );
    const gz = gzipSync(tar, { level: 6 });
    const layer = writeBlob(layout, gz);
    const config = Buffer.from(
      JSON.stringify({
        architecture: "amd64",
        os: "linux",
        created: "1970-01-01T00:00:00Z",
        config: image.config,
        rootfs: { type: "layers", diff_ids: [sha256(tar)] },
        history: [
          {
            created: "1970-01-01T00:00:00Z",
            created_by: `k8ts scripts/test-images.ts (${image.name})`,
          },
        ],
      }),
    );
    const configDigest = writeBlob(layout, config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config: {
          mediaType: "application/vnd.oci.image.config.v1+json",
          digest: configDigest,
          size: config.length,
        },
        layers: [
          {
            mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
            digest: layer,
            size: gz.length,
          },
        ],
      }),
    );
    const digest = writeBlob(layout, manifest);
    writeFileSync(join(layout, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    const indexPath = join(layout, "index.json");
    const index = existsSync(indexPath)
      ? (JSON.parse(readFileSync(indexPath, "utf8")) as {
          manifests: Array<{ annotations?: Record<string, string> }>;
        })
      : { schemaVersion: 2, manifests: [] };
    for (const tag of image.tags) {
      const ref = `${image.name}:${tag}`;
      index.manifests = index.manifests.filter(
        (m) => m.annotations?.["org.opencontainers.image.ref.name"] !== ref,
      );
      index.manifests.push({
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        digest,
        size: manifest.length,
        annotations: { "org.opencontainers.image.ref.name": ref },
      } as never);
    }
    writeFileSync(indexPath, JSON.stringify(index));
    return { digest, size: manifest.length };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Copies every tag of `image` from the layout to `registry` as library/<name>:<tag>. */
export function pushFromLayout(image: TestImage, opts: { layout: string; registry: string }): void {
  for (const tag of image.tags) {
    execFileSync(
      "skopeo",
      [
        "copy",
        "--quiet",
        "--dest-tls-verify=false",
        `oci:${opts.layout}:${image.name}:${tag}`,
        `docker://${opts.registry}/library/${image.name}:${tag}`,
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { registry: { type: "string" }, out: { type: "string" } },
  });
  const layout = values.out ?? mkdtempSync(join(tmpdir(), "k8ts-test-images-"));
  for (const image of TEST_IMAGES) {
    const { digest } = buildIntoLayout(image, layout);
    console.log(`built ${image.name} ${digest} (${image.tags.join(", ")})`);
    if (values.registry) {
      pushFromLayout(image, { layout, registry: values.registry });
      console.log(`pushed ${values.registry}/library/${image.name}:{${image.tags.join(",")}}`);
    }
  }
  if (!values.out) rmSync(layout, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
