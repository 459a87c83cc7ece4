// The REST client against a real API server.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RestClient } from "../../../src/client/rest/client.js";
import { loadKubeconfig } from "../../../src/client/rest/config.js";
import {
  AlreadyExistsError,
  InvalidError,
  NotFoundError,
} from "../../../src/client/rest/errors.js";
import { type KubeObjectLike, ResourceClient } from "../../../src/client/rest/resource.js";
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
