// The REST client against a real API server.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { RestClient } from "../../../src/client/rest/client.js";
import { loadKubeconfig } from "../../../src/client/rest/config.js";
import {
  AlreadyExistsError,
  ConflictError,
  GoneError,
  InvalidError,
  NotFoundError,
} from "../../../src/client/rest/errors.js";
import { type KubeObjectLike, ResourceClient } from "../../../src/client/rest/resource.js";
import { FakeClock } from "../../../src/client/util/clock.js";
import { createCA, issue } from "../../../src/pki/certs.js";
import { startTestApiServer } from "../../support/apiserver.js";
import { tempDir } from "../../support/tmp.js";

const CM = { group: "", version: "v1", resource: "configmaps", namespaced: true };

describe("REST client", () => {
  it("surfaces Status failures as typed errors", async () => {
    const server = await startTestApiServer();
    const rest = new RestClient(loadKubeconfig({ path: server.adminKubeconfig }));
    try {
      const cms = new ResourceClient<KubeObjectLike>(rest, CM);
      await assert.rejects(cms.get("missing"), NotFoundError);
      await cms.create({ metadata: { name: "once" } });
      await assert.rejects(cms.create({ metadata: { name: "once" } }), AlreadyExistsError);
      await assert.rejects(cms.create({ metadata: { name: "Not_Valid" } }), InvalidError);
    } finally {
      rest.close();
      await server.stop();
    }
  });

  it("surfaces a stale-resourceVersion update as ConflictError and a compacted watch as GoneError", async () => {
    const server = await startTestApiServer();
    const rest = new RestClient(loadKubeconfig({ path: server.adminKubeconfig }));
    try {
      const cms = new ResourceClient<KubeObjectLike & { data?: Record<string, string> }>(rest, CM);
      const created = await cms.create({ metadata: { name: "cas" }, data: { v: "0" } });
      const staleRv = created.metadata?.resourceVersion;
      assert.ok(staleRv);
      const updated = await cms.update({ ...created, data: { v: "1" } });
      assert.notEqual(updated.metadata?.resourceVersion, staleRv);
      // A writer still holding the first version loses the compare-and-swap.
      const conflict = await cms.update({ ...created, data: { v: "stale" } }).then(
        () => assert.fail("stale update succeeded"),
        (err: unknown) => err,
      );
      assert.ok(conflict instanceof ConflictError, `got ${String(conflict)}`);
      assert.equal(conflict.code, 409);
      assert.equal((await cms.get("cas")).data?.v, "1", "the stale write changed nothing");

      // Compact history past the first version: watching from it must be 410 Gone.
      await cms.update({ ...updated, data: { v: "2" } });
      await server.store.compact(await server.store.currentRevision());
      const gone = await (async () => {
        for await (const _ev of cms.watch({ namespace: "default", resourceVersion: staleRv })) {
          // Events before the error (there should be none) are not what we test.
        }
      })().then(
        () => assert.fail("watch from a compacted resourceVersion ended without an error"),
        (err: unknown) => err,
      );
      assert.ok(gone instanceof GoneError, `got ${String(gone)}`);
      assert.equal(gone.code, 410);
    } finally {
      rest.close();
      await server.stop();
    }
  });

  it("keeps to its client-side rate limit", async () => {
    const server = await startTestApiServer();
    const rest = new RestClient({
      ...loadKubeconfig({ path: server.adminKubeconfig }),
      qps: 10,
      burst: 2,
    });
    try {
      const cms = new ResourceClient<KubeObjectLike>(rest, CM);
      const start = Date.now();
      await Promise.all(Array.from({ length: 12 }, () => cms.list({ namespace: "default" })));
      // 2 at once, then 10 more at 10 per second.
      assert.ok(Date.now() - start >= 900, `12 requests took ${Date.now() - start} ms`);
    } finally {
      rest.close();
      await server.stop();
    }
  });

  it("retries a read while the API server is down and succeeds once it is back", async () => {
    const dir = tempDir("client-retry");
    const first = await startTestApiServer({ dataDir: dir.path });
    const port = first.port;
    const rest = new RestClient(loadKubeconfig({ path: first.adminKubeconfig }));
    await first.close();
    try {
      const cms = new ResourceClient<KubeObjectLike>(rest, CM);
      const pending = cms.list({ namespace: "default" });
      await new Promise((r) => setTimeout(r, 300));
      const second = await startTestApiServer({ dataDir: dir.path, securePort: port });
      try {
        const list = await pending;
        assert.ok(Array.isArray(list.items));
      } finally {
        await second.close();
      }
    } finally {
      rest.close();
      dir.remove();
    }
  });
});

/** An HTTPS stub on 127.0.0.1 that answers from a script, and a client trusting it. */
async function stubServer(
  answer: (n: number) => {
    status: number;
    headers?: Record<string, string>;
    body: unknown;
    /** Sent as is instead of the JSON of body. */
    raw?: string;
  },
): Promise<{ server: Server; requests: string[]; accepts: string[]; url: string; ca: string }> {
  const ca = await createCA({ commonName: "stub-ca" });
  const leaf = await issue(ca, { commonName: "stub", ipAddresses: ["127.0.0.1"], usage: "server" });
  const requests: string[] = [];
  const accepts: string[] = [];
  const server = createServer({ cert: leaf.cert, key: leaf.key }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    accepts.push(req.headers.accept ?? "");
    const a = answer(requests.length);
    res.writeHead(a.status, { "content-type": "application/json", ...(a.headers ?? {}) });
    res.end(a.raw ?? JSON.stringify(a.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, requests, accepts, url: `https://127.0.0.1:${port}`, ca: ca.cert };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("REST client retries", () => {
  for (const status of [429, 503]) {
    it(`waits out Retry-After on ${status} and then succeeds`, async () => {
      const stub = await stubServer((n) =>
        n === 1
          ? {
              status,
              headers: { "retry-after": "2" },
              body: { kind: "Status", code: status, reason: "TooManyRequests", message: "later" },
            }
          : { status: 200, body: { metadata: { name: "x", resourceVersion: "7" } } },
      );
      const clock = new FakeClock();
      const rest = new RestClient(
        { server: stub.url, ca: Buffer.from(stub.ca), namespace: "default" },
        { clock },
      );
      try {
        const cms = new ResourceClient<KubeObjectLike>(rest, CM);
        let settled = false;
        const pending = cms.get("x").finally(() => {
          settled = true;
        });
        // The first answer is the refusal; the client then sleeps on its clock.
        await until(() => stub.requests.length === 1 && clock.pending > 0, "the retry sleep");
        clock.step(1999);
        // Real I/O: give a premature retry the chance to reach the stub.
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(stub.requests.length, 1, "no retry before Retry-After has passed");
        assert.equal(settled, false);
        clock.step(1);
        const result = await pending;
        assert.equal(result?.metadata?.resourceVersion, "7");
        assert.deepEqual(stub.requests, [
          "GET /api/v1/namespaces/default/configmaps/x",
          "GET /api/v1/namespaces/default/configmaps/x",
        ]);
      } finally {
        rest.close();
        await new Promise((r) => stub.server.close(r));
      }
    });
  }

  it("does not retry a 429 without Retry-After", async () => {
    const stub = await stubServer(() => ({
      status: 429,
      body: { kind: "Status", code: 429, reason: "TooManyRequests", message: "no" },
    }));
    const rest = new RestClient({
      server: stub.url,
      ca: Buffer.from(stub.ca),
      namespace: "default",
    });
    try {
      const cms = new ResourceClient<KubeObjectLike>(rest, CM);
      await assert.rejects(cms.get("x"), (err: unknown) => (err as { code?: number }).code === 429);
      assert.equal(stub.requests.length, 1);
    } finally {
      rest.close();
      await new Promise((r) => stub.server.close(r));
    }
  });
});

describe("REST client media types", () => {
  it("asks for what the caller accepts (a Table) and reads text answers (logs) as text", async () => {
    const stub = await stubServer((n) =>
      n === 1
        ? { status: 200, body: { kind: "Table", rows: [] } }
        : n === 2
          ? { status: 200, body: undefined, raw: "line 1\nline 2\n" }
          : {
              status: 404,
              body: {
                kind: "Status",
                code: 404,
                reason: "NotFound",
                message: 'pods "x" not found',
              },
            },
    );
    const rest = new RestClient({
      server: stub.url,
      ca: Buffer.from(stub.ca),
      namespace: "default",
    });
    try {
      const table = await rest.request<{ kind: string }>({
        method: "GET",
        path: "/api/v1/pods",
        accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
      });
      assert.equal(table.kind, "Table");
      const log = await rest.requestText({
        method: "GET",
        path: "/api/v1/namespaces/default/pods/p/log",
      });
      assert.equal(log, "line 1\nline 2\n");
      await assert.rejects(
        rest.requestText({ method: "GET", path: "/api/v1/namespaces/default/pods/x/log" }),
        (err: unknown) => (err as { code?: number }).code === 404,
      );
      assert.deepEqual(stub.accepts, [
        "application/json;as=Table;v=v1;g=meta.k8s.io",
        "text/plain, */*",
        "text/plain, */*",
      ]);
    } finally {
      rest.close();
      await new Promise((r) => stub.server.close(r));
    }
  });
});
