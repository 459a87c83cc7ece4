import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent as HttpsAgent } from "node:https";
import type { Readable } from "node:stream";
import { type AuthChallenge, parseAuthChallenges, repositoryScope } from "./auth-challenge.js";
import { type Digest, isDigest } from "./digest.js";
import { DigestMismatchError, RegistryAuthError, RegistryError } from "./errors.js";
import { describeErrorBody, type HttpRequest, type HttpResponse, readBody, send } from "./http.js";
import { MANIFEST_ACCEPT } from "./media-types.js";
import type { HostAuth, HostConfig } from "./registries.js";

/** Where a client talks to: an API base URL ending in /v2 and its host settings. */
export interface ClientEndpoint {
  readonly baseUrl: string;
  readonly config?: HostConfig;
}

export interface RegistryClientOptions {
  readonly timeoutMs?: number;
}

export interface FetchedManifest {
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly digest: Digest;
}

type Action = "pull" | "push";

interface Credentials {
  readonly username: string;
  readonly password: string;
}

function credentialsOf(auth: HostAuth | undefined): Credentials | undefined {
  if (!auth) return undefined;
  if (auth.username !== undefined)
    return { username: auth.username, password: auth.password ?? "" };
  if (auth.auth) {
    const text = Buffer.from(auth.auth, "base64").toString("utf8");
    const colon = text.indexOf(":");
    if (colon > 0) return { username: text.slice(0, colon), password: text.slice(colon + 1) };
  }
  return undefined;
}

function basic(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;
}

/**
 * A client for one registry endpoint speaking the OCI distribution API:
 * manifests, blobs, uploads, and the auth handshakes registries use
 * (Bearer token service, anonymous or with Basic credentials; plain Basic).
 */
export class RegistryClient {
  readonly baseUrl: string;
  private readonly credentials: Credentials | undefined;
  private readonly identityToken: string | undefined;
  private readonly httpsAgent: HttpsAgent | undefined;
  private readonly timeoutMs: number;
  /** Authorization header per scope, learned from challenges. */
  private readonly authByScope = new Map<string, { header: string; expires: number }>();
  private useBasic = false;

  constructor(endpoint: ClientEndpoint, options: RegistryClientOptions = {}) {
    this.baseUrl = endpoint.baseUrl.replace(/\/+$/, "");
    this.credentials = credentialsOf(endpoint.config?.auth);
    this.identityToken = endpoint.config?.auth?.identitytoken;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    const tls = endpoint.config?.tls;
    if (tls && this.baseUrl.startsWith("https:")) {
      this.httpsAgent = new HttpsAgent({
        rejectUnauthorized: tls.insecure_skip_verify !== true,
        ...(tls.ca_file ? { ca: readFileSync(tls.ca_file) } : {}),
        ...(tls.cert_file ? { cert: readFileSync(tls.cert_file) } : {}),
        ...(tls.key_file ? { key: readFileSync(tls.key_file) } : {}),
      });
    }
  }

  private transport() {
    return this.httpsAgent ? { httpsAgent: this.httpsAgent } : {};
  }

  /** Sends a request, answering one auth challenge if the registry makes one. */
  private async request(req: HttpRequest, scope: string | undefined): Promise<HttpResponse> {
    const withAuth = (header: string | undefined): HttpRequest =>
      header ? { ...req, headers: { ...(req.headers ?? {}), Authorization: header } } : req;
    const cached = scope ? this.authByScope.get(scope) : undefined;
    let header = cached && cached.expires > Date.now() ? cached.header : undefined;
    if (!header && this.useBasic && this.credentials) header = basic(this.credentials);
    const res = await send({ ...withAuth(header), timeoutMs: this.timeoutMs }, this.transport());
    if (res.status !== 401) return res;
    const challengeHeader = res.headers["www-authenticate"];
    await readBody(res).catch(() => Buffer.alloc(0));
    const challenges = parseAuthChallenges(
      Array.isArray(challengeHeader) ? challengeHeader.join(", ") : (challengeHeader ?? ""),
    );
    const fresh = await this.authorize(challenges, scope);
    if (!fresh || fresh === header) {
      throw new RegistryAuthError(`${req.method} ${req.url}: unauthorized`, { status: 401 });
    }
    const retry = await send({ ...withAuth(fresh), timeoutMs: this.timeoutMs }, this.transport());
    if (retry.status === 401) {
      await readBody(retry).catch(() => Buffer.alloc(0));
      throw new RegistryAuthError(`${req.method} ${req.url}: unauthorized (credentials refused)`, {
        status: 401,
      });
    }
    return retry;
  }

  /** Turns challenges into an Authorization header, fetching a token when asked for Bearer. */
  private async authorize(
    challenges: AuthChallenge[],
    scope: string | undefined,
  ): Promise<string | undefined> {
    const bearer = challenges.find((c) => c.scheme === "bearer");
    if (bearer) {
      const header = await this.fetchToken(bearer, scope);
      if (scope) this.authByScope.set(scope, header);
      return header.header;
    }
    if (challenges.some((c) => c.scheme === "basic")) {
      if (!this.credentials) return undefined;
      this.useBasic = true;
      return basic(this.credentials);
    }
    return undefined;
  }

  private async fetchToken(
    challenge: AuthChallenge,
    scope: string | undefined,
  ): Promise<{ header: string; expires: number }> {
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryAuthError("Bearer challenge without a realm");
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
    const scopes = new Set<string>();
    if (scope) scopes.add(scope);
    if (challenge.params.scope) for (const s of challenge.params.scope.split(" ")) scopes.add(s);
    for (const s of scopes) url.searchParams.append("scope", s);
    let res: HttpResponse;
    if (this.identityToken) {
      const form = new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: this.identityToken,
        service: challenge.params.service ?? "",
        client_id: "k8ts",
        scope: [...scopes].join(" "),
      });
      res = await send(
        {
          method: "POST",
          url: `${url.origin}${url.pathname}`,
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: Buffer.from(form.toString()),
          timeoutMs: this.timeoutMs,
        },
        this.transport(),
      );
    } else {
      res = await send(
        {
          method: "GET",
          url: url.toString(),
          headers: this.credentials ? { Authorization: basic(this.credentials) } : {},
          timeoutMs: this.timeoutMs,
        },
        this.transport(),
      );
    }
    const body = await readBody(res, 1024 * 1024);
    if (res.status === 401 || res.status === 403) {
      throw new RegistryAuthError(
        `token service ${url.origin} refused: ${describeErrorBody(body)}`,
        { status: res.status },
      );
    }
    if (res.status !== 200) {
      throw new RegistryError(
        `token service ${url.origin} answered ${res.status}: ${describeErrorBody(body)}`,
        { status: res.status },
      );
    }
    let doc: { token?: string; access_token?: string; expires_in?: number };
    try {
      doc = JSON.parse(body.toString("utf8")) as typeof doc;
    } catch (err) {
      throw new RegistryAuthError(`token service ${url.origin} sent invalid JSON`, { cause: err });
    }
    const token = doc.token ?? doc.access_token;
    if (!token) throw new RegistryAuthError(`token service ${url.origin} sent no token`);
    // Default lifetime 60s (distribution's token spec); refresh a little early.
    const lifetime = Math.max(10, (doc.expires_in ?? 60) - 5) * 1000;
    return { header: `Bearer ${token}`, expires: Date.now() + lifetime };
  }

  private async fail(res: HttpResponse, what: string): Promise<never> {
    const body = res.body.readableEnded
      ? Buffer.alloc(0)
      : await readBody(res, 64 * 1024).catch(() => Buffer.alloc(0));
    const detail = describeErrorBody(body);
    throw new RegistryError(`${what}: ${res.status}${detail ? ` ${detail}` : ""}`, {
      status: res.status,
    });
  }

  /** GET /v2/: checks the endpoint speaks the API (an auth challenge counts as yes). */
  async ping(): Promise<void> {
    const res = await send(
      { method: "GET", url: `${this.baseUrl}/`, timeoutMs: this.timeoutMs },
      this.transport(),
    );
    await readBody(res).catch(() => Buffer.alloc(0));
    if (res.status !== 200 && res.status !== 401) {
      throw new RegistryError(`${this.baseUrl}/ is not a registry (status ${res.status})`, {
        status: res.status,
      });
    }
  }

  /** HEAD a manifest: its digest, media type and size, or undefined if absent. */
  async headManifest(
    repository: string,
    reference: string,
  ): Promise<{ digest: Digest; mediaType: string; size: number } | undefined> {
    const res = await this.request(
      {
        method: "HEAD",
        url: `${this.baseUrl}/${repository}/manifests/${reference}`,
        headers: { Accept: MANIFEST_ACCEPT },
      },
      repositoryScope(repository, ["pull"]),
    );
    res.body.resume();
    if (res.status === 404) return undefined;
    if (res.status !== 200) return this.fail(res, `HEAD manifest ${repository}:${reference}`);
    const digest = String(res.headers["docker-content-digest"] ?? "");
    if (!isDigest(digest)) return undefined;
    return {
      digest,
      mediaType: String(res.headers["content-type"] ?? "").split(";")[0] ?? "",
      size: Number(res.headers["content-length"] ?? 0),
    };
  }

  /** GET a manifest by tag or digest; the bytes are checked against the digest. */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const res = await this.request(
      {
        method: "GET",
        url: `${this.baseUrl}/${repository}/manifests/${reference}`,
        headers: { Accept: MANIFEST_ACCEPT },
      },
      repositoryScope(repository, ["pull"]),
    );
    if (res.status !== 200) return this.fail(res, `GET manifest ${repository}:${reference}`);
    const bytes = await readBody(res, 4 * 1024 * 1024);
    const digest: Digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    if (reference.startsWith("sha256:") && digest !== reference) {
      throw new DigestMismatchError(`manifest ${repository}@${reference} has digest ${digest}`);
    }
    const served = String(res.headers["docker-content-digest"] ?? "");
    if (isDigest(served) && served !== digest) {
      throw new DigestMismatchError(
        `registry says manifest digest is ${served}, content is ${digest}`,
      );
    }
    return {
      bytes,
      mediaType:
        String(res.headers["content-type"] ?? "")
          .split(";")[0]
          ?.trim() ?? "",
      digest,
    };
  }

  /** GET a blob; the caller verifies the digest while storing it. */
  async getBlob(repository: string, digest: Digest): Promise<HttpResponse> {
    const res = await this.request(
      { method: "GET", url: `${this.baseUrl}/${repository}/blobs/${digest}` },
      repositoryScope(repository, ["pull"]),
    );
    if (res.status !== 200) return this.fail(res, `GET blob ${repository}@${digest}`);
    return res;
  }

  /** HEAD a blob: true when the registry has it in this repository. */
  async hasBlob(
    repository: string,
    digest: Digest,
    actions: Action[] = ["pull"],
  ): Promise<boolean> {
    const res = await this.request(
      { method: "HEAD", url: `${this.baseUrl}/${repository}/blobs/${digest}` },
      repositoryScope(repository, actions),
    );
    res.body.resume();
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    return this.fail(res, `HEAD blob ${repository}@${digest}`);
  }

  /** Uploads a blob monolithically: POST to open an upload, then PUT with the digest. */
  async pushBlob(
    repository: string,
    blob: { digest: Digest; size: number; open: () => Readable },
  ): Promise<void> {
    const scope = repositoryScope(repository, ["pull", "push"]);
    const start = await this.request(
      { method: "POST", url: `${this.baseUrl}/${repository}/blobs/uploads/` },
      scope,
    );
    await readBody(start, 64 * 1024).catch(() => Buffer.alloc(0));
    if (start.status !== 202) {
      throw new RegistryError(`POST upload ${repository}: ${start.status}`, {
        status: start.status,
      });
    }
    const location = start.headers.location;
    if (!location) throw new RegistryError(`POST upload ${repository}: no Location header`);
    const url = new URL(location, `${this.baseUrl}/`);
    url.searchParams.set("digest", blob.digest);
    const put = await this.request(
      {
        method: "PUT",
        url: url.toString(),
        headers: { "Content-Type": "application/octet-stream" },
        body: blob.open,
        bodyLength: blob.size,
      },
      scope,
    );
    if (put.status !== 201) return this.fail(put, `PUT blob ${repository}@${blob.digest}`);
    put.body.resume();
  }

  /** PUT a manifest under a tag or digest; returns the digest the registry reports. */
  async putManifest(
    repository: string,
    reference: string,
    manifest: { bytes: Buffer; mediaType: string },
  ): Promise<Digest> {
    const res = await this.request(
      {
        method: "PUT",
        url: `${this.baseUrl}/${repository}/manifests/${reference}`,
        headers: { "Content-Type": manifest.mediaType },
        body: manifest.bytes,
      },
      repositoryScope(repository, ["pull", "push"]),
    );
    if (res.status !== 201 && res.status !== 200)
      return this.fail(res, `PUT manifest ${repository}:${reference}`);
    res.body.resume();
    const digest: Digest = `sha256:${createHash("sha256").update(manifest.bytes).digest("hex")}`;
    const served = String(res.headers["docker-content-digest"] ?? "");
    if (isDigest(served) && served !== digest) {
      throw new DigestMismatchError(`registry stored manifest as ${served}, we sent ${digest}`);
    }
    return digest;
  }
}
