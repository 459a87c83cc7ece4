// Informers against a real API server (in process, embedded store).
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  type DeletedFinalStateUnknown,
  Informer,
  objectOf,
} from "../../src/client/informer/informer.js";
import { RestClient } from "../../src/client/rest/client.js";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { type KubeObjectLike, ResourceClient } from "../../src/client/rest/resource.js";
import { SqliteStore } from "../../src/storage/sqlite/store.js";
import { startTestApiServer } from "../support/apiserver.js";
import { tempDir } from "../support/tmp.js";

interface ConfigMap extends KubeObjectLike {
  data?: Record<string, string>;
}

const CONFIGMAPS = { group: "", version: "v1", resource: "configmaps", namespaced: true };

async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the cache holds, as name=value of data.v, sorted. */
function cacheState(inf: Informer<ConfigMap>): string[] {
  return inf.store
    .list()
    .filter((c) => c.metadata?.namespace === "default")
    .map((c) => `${c.metadata?.name}=${c.data?.v ?? ""}`)
    .sort();
}

async function serverState(client: ResourceClient<ConfigMap>): Promise<string[]> {
  const list = await client.list({ namespace: "default" });
  return list.items.map((c) => `${c.metadata?.name}=${c.data?.v ?? ""}`).sort();
}

describe("informer", () => {
  it("converges to the server state after the API server restarts mid-watch", async () => {
    const dir = tempDir("informer-restart");
    let server = await startTestApiServer({ dataDir: dir.path });
    const port = server.port;
    const rest = new RestClient(loadKubeconfig({ path: server.adminKubeconfig }));
    const cms = new ResourceClient<ConfigMap>(rest, CONFIGMAPS);
    const informer = new Informer<ConfigMap>(cms, { onError: () => {} });
    try {
      informer.start();
      await informer.waitForSync();
      await cms.create({ metadata: { name: "a", namespace: "default" }, data: { v: "1" } });
      await until(() => cacheState(informer).includes("a=1"), "a=1");
      await server.close();
      server = await startTestApiServer({ dataDir: dir.path, securePort: port });
      await cms.create({ metadata: { name: "b", namespace: "default" }, data: { v: "2" } });
      await cms.patch("a", { data: { v: "3" } });
      const want = await serverState(cms);
      await until(
        () => JSON.stringify(cacheState(informer)) === JSON.stringify(want),
        `cache ${want}`,
      );
    } finally {
      await informer.stop();
      rest.close();
      await server.close();
      dir.remove();
    }
  });

  it("relists after 410 Gone and reports deletions it missed as tombstones", async () => {
    const dir = tempDir("informer-gone");
    let server = await startTestApiServer({ dataDir: dir.path });
    const port = server.port;
    const rest = new RestClient(loadKubeconfig({ path: server.adminKubeconfig }));
    const cms = new ResourceClient<ConfigMap>(rest, CONFIGMAPS);
    const informer = new Informer<ConfigMap>(cms, { onError: () => {} });
    const deleted: Array<ConfigMap | DeletedFinalStateUnknown<ConfigMap>> = [];
    informer.addEventHandler({ onDelete: (obj) => deleted.push(obj) });
    try {
      for (const name of ["keep", "gone"]) {
        await cms.create({ metadata: { name, namespace: "default" }, data: { v: "0" } });
      }
      informer.start();
      await informer.waitForSync();
      await server.close();
      // While the informer is cut off: change, delete and compact the history away.
      const store = new SqliteStore({
        path: join(dir.path, "db", "state.db"),
        compactionIntervalMs: 0,
      });
      await store.delete("/registry/configmaps/default/gone");
      const keep = await store.get("/registry/configmaps/default/keep");
      const obj = JSON.parse(new TextDecoder().decode(keep?.value));
      obj.data.v = "changed";
      await store.update(
        "/registry/configmaps/default/keep",
        new TextEncoder().encode(JSON.stringify(obj)),
        keep?.modRevision ?? 0,
      );
      await store.compact(await store.currentRevision());
      await store.close();
      server = await startTestApiServer({ dataDir: dir.path, securePort: port });
      await until(
        () => JSON.stringify(cacheState(informer)) === JSON.stringify(["keep=changed"]),
        "relisted cache",
      );
      const tombstone = deleted.find((d) => objectOf(d).metadata?.name === "gone");
      assert.ok(tombstone, "the deletion was reported");
      assert.equal((tombstone as DeletedFinalStateUnknown<ConfigMap>).tombstone, true);
    } finally {
      await informer.stop();
      rest.close();
      await server.close();
      dir.remove();
    }
  });

  it("holds the final state after 10,000 quick updates to one object", async () => {
    const server = await startTestApiServer();
    const rest = new RestClient({
      ...loadKubeconfig({ path: server.adminKubeconfig }),
      qps: 100_000,
      burst: 100_000,
    });
    const cms = new ResourceClient<ConfigMap>(rest, CONFIGMAPS);
    const informer = new Informer<ConfigMap>(cms, { onError: () => {} });
    let updates = 0;
    informer.addEventHandler({ onUpdate: () => updates++ });
    try {
      await cms.create({ metadata: { name: "hot", namespace: "default" }, data: { v: "0" } });
      informer.start();
      await informer.waitForSync();
      for (let i = 1; i <= 10_000; i++) await cms.patch("hot", { data: { v: String(i) } });
      await until(() => informer.store.get("default/hot")?.data?.v === "10000", "v=10000", 30_000);
      assert.equal(informer.resourceVersion, (await cms.get("hot")).metadata?.resourceVersion);
      assert.ok(updates > 0 && updates <= 10_000);
    } finally {
      await informer.stop();
      rest.close();
      await server.stop();
    }
  });
});
