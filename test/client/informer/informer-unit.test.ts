// Informer and shared-factory behaviour against a scripted list/watch source and fake time.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SharedInformerFactory } from "../../../src/client/informer/factory.js";
import { Informer, type ListerWatcher } from "../../../src/client/informer/informer.js";
import {
  type RequestOptions,
  RestClient,
  type WatchEvent,
} from "../../../src/client/rest/client.js";
import type {
  KubeObjectLike,
  ListOptions,
  ObjectList,
  WatchOptions,
} from "../../../src/client/rest/resource.js";
import { FakeClock } from "../../../src/client/util/clock.js";

const CONFIGMAPS = { group: "", version: "v1", resource: "configmaps", namespaced: true };
const SECRETS = { group: "", version: "v1", resource: "secrets", namespaced: true };

const turn = () => new Promise((r) => setImmediate(r));
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await turn();
}

function cm(name: string, rv: string): KubeObjectLike {
  return { metadata: { name, namespace: "default", resourceVersion: rv } };
}

/** A watch stream the test feeds: push events, end it, or make it fail. */
class Stream<T> {
  private readonly queue: Array<WatchEvent<T> | "end" | Error> = [];
  private wake: (() => void) | undefined;

  push(item: WatchEvent<T> | "end" | Error): void {
    this.queue.push(item);
    this.wake?.();
  }

  async *events(signal?: AbortSignal): AsyncGenerator<WatchEvent<T>> {
    const aborted = () => this.wake?.();
    signal?.addEventListener("abort", aborted);
    try {
      for (;;) {
        while (this.queue.length === 0) {
          if (signal?.aborted) return;
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
        }
        const item = this.queue.shift() as WatchEvent<T> | "end" | Error;
        if (item === "end") return;
        if (item instanceof Error) throw item;
        yield item;
      }
    } finally {
      signal?.removeEventListener("abort", aborted);
    }
  }
}

/** A list/watch source: lists answer from `lists` in turn (then the last again); each watch gets a new Stream. */
function fakeSource(
  lists: Array<ObjectList<KubeObjectLike> | Promise<ObjectList<KubeObjectLike>>>,
) {
  const listCalls: ListOptions[] = [];
  const watchCalls: WatchOptions[] = [];
  const streams: Stream<KubeObjectLike>[] = [];
  const source: ListerWatcher<KubeObjectLike> = {
    ref: CONFIGMAPS,
    list: async (opts: ListOptions = {}) => {
      listCalls.push(opts);
      const answer = lists[Math.min(listCalls.length - 1, lists.length - 1)];
      if (!answer) throw new Error("no list scripted");
      return answer;
    },
    watch: (opts: WatchOptions = {}) => {
      watchCalls.push(opts);
      const stream = new Stream<KubeObjectLike>();
      streams.push(stream);
      return stream.events(opts.signal);
    },
  };
  return { source, listCalls, watchCalls, streams };
}

describe("informer (scripted source)", () => {
  it("opens the next watch from a bookmark's resourceVersion when a watch ends", async () => {
    const { source, listCalls, watchCalls, streams } = fakeSource([
      { items: [cm("a", "5")], metadata: { resourceVersion: "10" } },
    ]);
    const informer = new Informer(source, { clock: new FakeClock(), onError: () => {} });
    try {
      informer.start();
      await informer.waitForSync();
      await settle();
      assert.equal(watchCalls.length, 1);
      assert.equal(watchCalls[0]?.resourceVersion, "10", "the first watch starts at the list");
      assert.equal(watchCalls[0]?.allowWatchBookmarks, true);
      streams[0]?.push({ type: "BOOKMARK", object: { metadata: { resourceVersion: "42" } } });
      streams[0]?.push("end");
      await settle();
      assert.equal(watchCalls.length, 2, "a new watch after the first ended");
      assert.equal(watchCalls[1]?.resourceVersion, "42", "resumed from the bookmark");
      assert.equal(listCalls.length, 1, "no relist for an ordinary watch end");
      assert.equal(informer.resourceVersion, "42");
      assert.deepEqual(informer.store.keys(), ["default/a"], "a bookmark is not an object");
    } finally {
      await informer.stop();
    }
  });

  it("redelivers every cached object as onUpdate(obj, obj) each resync period", async () => {
    const clock = new FakeClock();
    const { source } = fakeSource([
      { items: [cm("a", "1"), cm("b", "2")], metadata: { resourceVersion: "2" } },
    ]);
    const informer = new Informer(source, { clock, resyncPeriodMs: 1000, onError: () => {} });
    const updates: Array<[KubeObjectLike, KubeObjectLike]> = [];
    informer.addEventHandler({ onUpdate: (o, n) => updates.push([o, n]) });
    try {
      informer.start();
      await informer.waitForSync();
      await settle();
      clock.step(999);
      assert.equal(updates.length, 0, "no resync before the period");
      clock.step(1);
      assert.deepEqual(updates.map(([, n]) => n.metadata?.name).sort(), ["a", "b"]);
      for (const [o, n] of updates) {
        assert.equal(o, n, "a resync passes the cached object as both old and new");
        assert.equal(n, informer.store.get(`default/${n.metadata?.name}`));
      }
      clock.step(1000);
      assert.equal(updates.length, 4, "resync repeats every period");
    } finally {
      await informer.stop();
    }
    clock.step(5000);
    assert.equal(updates.length, 4, "no resync after stop");
  });

  it("reports hasSynced only once the first list has been delivered", async () => {
    let answer: (l: ObjectList<KubeObjectLike>) => void = () => {};
    const list = new Promise<ObjectList<KubeObjectLike>>((resolve) => {
      answer = resolve;
    });
    const { source, watchCalls } = fakeSource([list]);
    const informer = new Informer(source, { clock: new FakeClock(), onError: () => {} });
    const added: string[] = [];
    informer.addEventHandler({ onAdd: (o) => added.push(o.metadata?.name ?? "") });
    try {
      assert.equal(informer.hasSynced(), false);
      informer.start();
      let waited = false;
      void informer.waitForSync().then(() => {
        waited = true;
      });
      await settle();
      assert.equal(informer.hasSynced(), false, "not synced while the list is outstanding");
      assert.equal(waited, false);
      assert.equal(watchCalls.length, 0, "no watch before the list");
      answer({ items: [cm("a", "3")], metadata: { resourceVersion: "3" } });
      await settle();
      assert.equal(informer.hasSynced(), true);
      assert.equal(waited, true);
      assert.deepEqual(added, ["a"]);
    } finally {
      await informer.stop();
    }
  });

  it("keeps delivering events after a handler throws, and reports the throw", async () => {
    const { source, streams } = fakeSource([
      { items: [cm("a", "1")], metadata: { resourceVersion: "1" } },
    ]);
    const errors: Array<{ err: unknown; context: string }> = [];
    const informer = new Informer(source, {
      clock: new FakeClock(),
      onError: (err, context) => errors.push({ err, context }),
    });
    const seenByThrower: string[] = [];
    const seenByOther: string[] = [];
    informer.addEventHandler({
      onAdd: (o) => {
        seenByThrower.push(`add ${o.metadata?.name}`);
        if (o.metadata?.name === "a") throw new Error("handler broke on a");
      },
      onUpdate: (_o, n) => {
        seenByThrower.push(`update ${n.metadata?.name}`);
        throw "not even an Error";
      },
    });
    informer.addEventHandler({
      onAdd: (o) => seenByOther.push(`add ${o.metadata?.name}`),
      onUpdate: (_o, n) => seenByOther.push(`update ${n.metadata?.name}`),
      onDelete: (o) => seenByOther.push(`delete ${(o as KubeObjectLike).metadata?.name}`),
    });
    try {
      informer.start();
      await informer.waitForSync();
      await settle();
      streams[0]?.push({ type: "ADDED", object: cm("b", "2") });
      streams[0]?.push({ type: "MODIFIED", object: cm("b", "3") });
      streams[0]?.push({ type: "DELETED", object: cm("a", "4") });
      await settle();
      assert.deepEqual(seenByThrower, ["add a", "add b", "update b"]);
      assert.deepEqual(seenByOther, ["add a", "add b", "update b", "delete a"]);
      assert.deepEqual(informer.store.keys(), ["default/b"]);
      assert.equal(informer.resourceVersion, "4");
      assert.deepEqual(
        errors.map((e) => [e.context, e.err instanceof Error ? e.err.message : e.err]),
        [
          ["add handler", "handler broke on a"],
          ["update handler", "not even an Error"],
        ],
      );
    } finally {
      await informer.stop();
    }
  });
});

/** A RestClient that never touches the network: it counts lists and watches and serves empty ones. */
class CountingRest extends RestClient {
  readonly lists: string[] = [];
  readonly watches: string[] = [];

  constructor() {
    super({ server: "https://127.0.0.1:1", namespace: "default" });
  }

  override async request<T = unknown>(opts: RequestOptions): Promise<T> {
    if (opts.method !== "GET") throw new Error(`unexpected ${opts.method}`);
    this.lists.push(opts.path);
    return { items: [], metadata: { resourceVersion: "1" } } as T;
  }

  override async *watch<T>(
    opts: Omit<RequestOptions, "method" | "body">,
  ): AsyncGenerator<WatchEvent<T>> {
    this.watches.push(opts.path);
    const signal = opts.signal;
    if (!signal || signal.aborted) return;
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
  }
}

describe("shared informer factory", () => {
  it("gives every consumer of a resource the same informer, with one list and one watch", async () => {
    const rest = new CountingRest();
    const factory = new SharedInformerFactory(rest, { clock: new FakeClock() });
    try {
      const first = factory.informerFor(CONFIGMAPS);
      const second = factory.informerFor(CONFIGMAPS);
      assert.equal(first, second, "same informer for the same resource");
      const secrets = factory.informerFor(SECRETS);
      assert.notEqual(secrets, first, "another resource gets its own informer");
      factory.start();
      await factory.waitForCacheSync();
      assert.equal(factory.informerFor(CONFIGMAPS), first, "still the same after start");
      await settle();
      const cmPath = "/api/v1/configmaps";
      assert.equal(rest.lists.filter((p) => p === cmPath).length, 1, `lists: ${rest.lists}`);
      assert.equal(rest.watches.filter((p) => p === cmPath).length, 1, `watches: ${rest.watches}`);
      assert.deepEqual(rest.watches.sort(), ["/api/v1/configmaps", "/api/v1/secrets"]);
      assert.equal(first.hasSynced(), true);
    } finally {
      await factory.stop();
      rest.close();
    }
  });
});
