import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Digest } from "../../../src/runtime/images/digest.js";

export interface FakeRegistryOptions {
  /** Demand a token from /token (optionally with Basic credentials) or plain Basic auth. */
  readonly auth?: "bearer" | "basic";
  readonly credentials?: { username: string; password: string };
  /** Blob digests answered with 500. */
  readonly failBlobs?: Set<string>;
}

export interface FakeRegistry {
  readonly host: string;
  /** repository → reference (tag or digest) → manifest. */
  readonly manifests: Map<string, Map<string, { bytes: Buffer; mediaType: string }>>;
  readonly blobs: Map<Digest, Buffer>;
  /** Requests seen, as `METHOD path`. */
  readonly requests: string[];
  readonly tokenRequests: { authorization?: string; scope: string[] }[];
  stop(): Promise<void>;
}

/** A read-only registry in process, for auth and failure paths the real one cannot easily show. */
export async function startFakeRegistry(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
  const manifests = new Map<string, Map<string, { bytes: Buffer; mediaType: string }>>();
  const blobs = new Map<Digest, Buffer>();
  const requests: string[] = [];
  const tokenRequests: { authorization?: string; scope: string[] }[] = [];
  const basicOk = (h: string | undefined) =>
    !!options.credentials &&
    h ===
      `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString("base64")}`;
  let host = "";
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push(`${req.method} ${url.pathname}`);
    if (url.pathname === "/token") {
      const authorization = req.headers.authorization;
      tokenRequests.push({
        ...(authorization ? { authorization } : {}),
        scope: url.searchParams.getAll("scope"),
      });
      if (options.credentials && !basicOk(authorization)) {
        res.writeHead(401).end();
        return;
      }
      res
        .writeHead(200, { "Content-Type": "application/json" })
        .end(JSON.stringify({ token: "tok-123", expires_in: 300 }));
      return;
    }
    if (options.auth === "bearer" && req.headers.authorization !== "Bearer tok-123") {
      res
        .writeHead(401, {
          "WWW-Authenticate": `Bearer realm="http://${host}/token",service="fake",scope="repository:x:pull"`,
          "Content-Type": "application/json",
        })
        .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    if (options.auth === "basic" && !basicOk(req.headers.authorization)) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="fake"' }).end();
      return;
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(url.pathname === "/v2/" ? 200 : 404).end("{}");
      return;
    }
    const [, repo = "", kind, ref = ""] = m;
    if (kind === "manifests") {
      const hit = manifests.get(repo)?.get(ref);
      if (!hit) {
        res
          .writeHead(404)
          .end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
        return;
      }
      res.writeHead(200, { "Content-Type": hit.mediaType, "Content-Length": hit.bytes.length });
      res.end(req.method === "HEAD" ? undefined : hit.bytes);
      return;
    }
    if (options.failBlobs?.has(ref)) {
      res.writeHead(500).end('{"errors":[{"code":"UNKNOWN","message":"boom"}]}');
      return;
    }
    const blob = blobs.get(ref as Digest);
    if (!blob) {
      res.writeHead(404).end('{"errors":[{"code":"BLOB_UNKNOWN"}]}');
      return;
    }
    res
      .writeHead(200, { "Content-Length": blob.length })
      .end(req.method === "HEAD" ? undefined : blob);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    manifests,
    blobs,
    requests,
    tokenRequests,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
