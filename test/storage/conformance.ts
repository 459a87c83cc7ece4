/**
 * The store contract, as one suite every backend must pass unchanged.
 * Each test works under its own key prefix so they share one store; the
 * compaction tests come last because they discard history for everyone.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CompactedError,
  ConflictError,
  KeyExistsError,
  KeyNotFoundError,
  ValueTooLargeError,
} from "../../src/storage/errors.js";
import type { KeyValue, Store, Watch, WatchEvent } from "../../src/storage/types.js";

export interface StoreUnderTest {
  readonly store: Store;
  /** Stops the store and everything it needed (servers, files). */
  readonly dispose: () => Promise<void>;
}

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** The next `count` events of a watch, failing after `timeoutMs`. */
async function take(watch: Watch, count: number, timeoutMs = 5000): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  if (count === 0) return out;
  const it = watch[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${out.length} of ${count} events`)),
      timeoutMs,
    );
  });
  try {
    while (out.length < count) {
      const next = await Promise.race([it.next(), timeout]);
      if (next.done) throw new Error(`watch ended after ${out.length} of ${count} events`);
      out.push(next.value);
    }
    return out;
  } finally {
    clearTimeout(timer);
  }
}

function summary(ev: WatchEvent): string {
  return ev.type === "put"
    ? `put ${ev.kv.key}=${dec(ev.kv.value)}@${ev.revision} prev=${ev.prevKv ? dec(ev.prevKv.value) : "-"}`
    : `delete ${ev.key}@${ev.revision} prev=${dec(ev.prevKv.value)}`;
}

export function storeConformance(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`${name} store conformance`, () => {
    let sut: StoreUnderTest;
    let store: Store;
    before(async () => {
      sut = await open();
      store = sut.store;
    });
    after(async () => {
      await sut?.dispose();
    });

    it("create assigns a new revision and version 1", async () => {
      const before = await store.currentRevision();
      const kv = await store.create("/basic/a", enc("one"));
      assert.ok(kv.modRevision > before);
      assert.equal(kv.createRevision, kv.modRevision);
      assert.equal(kv.version, 1);
      assert.equal(await store.currentRevision(), kv.modRevision);
      const got = await store.get("/basic/a");
      assert.deepEqual(got && { ...got, value: dec(got.value) }, { ...kv, value: "one" });
    });

    it("create of an existing key fails with KeyExistsError and writes nothing", async () => {
      await store.create("/exists/a", enc("first"));
      const rev = await store.currentRevision();
      await assert.rejects(store.create("/exists/a", enc("second")), KeyExistsError);
      assert.equal(await store.currentRevision(), rev);
      assert.equal(dec((await store.get("/exists/a"))?.value ?? enc("")), "first");
    });

    it("update is a compare-and-swap on modRevision", async () => {
      const created = await store.create("/cas/a", enc("v1"));
      const updated = await store.update("/cas/a", enc("v2"), created.modRevision);
      assert.ok(updated.modRevision > created.modRevision);
      assert.equal(updated.createRevision, created.createRevision);
      assert.equal(updated.version, 2);
      const rev = await store.currentRevision();
      const stale = await store.update("/cas/a", enc("v3"), created.modRevision).catch((e) => e);
      assert.ok(stale instanceof ConflictError);
      assert.equal(stale.actualModRevision, updated.modRevision);
      assert.equal(await store.currentRevision(), rev);
      assert.equal(dec((await store.get("/cas/a"))?.value ?? enc("")), "v2");
    });

    it("update of a missing key fails with KeyNotFoundError", async () => {
      await assert.rejects(store.update("/cas/missing", enc("x"), 1), KeyNotFoundError);
    });

    it("delete returns the deleted value and honours its precondition", async () => {
      const kv = await store.create("/del/a", enc("gone"));
      await assert.rejects(
        store.delete("/del/a", { expectedModRevision: kv.modRevision + 1000 }),
        ConflictError,
      );
      const deleted = await store.delete("/del/a", { expectedModRevision: kv.modRevision });
      assert.equal(dec(deleted.value), "gone");
      assert.equal(deleted.modRevision, kv.modRevision);
      assert.equal(await store.get("/del/a"), undefined);
      await assert.rejects(store.delete("/del/a"), KeyNotFoundError);
    });

    it("a key created again after delete starts over at version 1", async () => {
      const first = await store.create("/recreate/a", enc("1"));
      await store.update("/recreate/a", enc("2"), first.modRevision);
      await store.delete("/recreate/a");
      const again = await store.create("/recreate/a", enc("3"));
      assert.equal(again.version, 1);
      assert.equal(again.createRevision, again.modRevision);
      assert.ok(again.createRevision > first.createRevision);
    });

    it("get at a revision reads the value as it was then", async () => {
      const v1 = await store.create("/history/a", enc("old"));
      const v2 = await store.update("/history/a", enc("new"), v1.modRevision);
      await store.delete("/history/a");
      assert.equal(
        dec((await store.get("/history/a", { atRevision: v1.modRevision }))?.value ?? enc("")),
        "old",
      );
      assert.equal(
        dec((await store.get("/history/a", { atRevision: v2.modRevision }))?.value ?? enc("")),
        "new",
      );
      assert.equal(await store.get("/history/a"), undefined);
    });

    it("values over the size limit are refused and nothing is written", async () => {
      const rev = await store.currentRevision();
      await assert.rejects(
        store.create("/big/a", new Uint8Array(2 * 1024 * 1024)),
        ValueTooLargeError,
      );
      assert.equal(await store.get("/big/a"), undefined);
      assert.equal(await store.currentRevision(), rev);
      const ok = await store.create("/big/b", new Uint8Array(1024 * 1024));
      assert.equal((await store.get("/big/b"))?.value.byteLength, 1024 * 1024);
      assert.equal(ok.version, 1);
    });

    it("of concurrent creates of one key exactly one wins", async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 25 }, (_, i) => store.create("/race/create", enc(`writer-${i}`))),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      assert.equal(won.length, 1);
      for (const r of lost) assert.ok(r.reason instanceof KeyExistsError);
      const winner = (won[0] as PromiseFulfilledResult<KeyValue>).value;
      assert.equal(dec((await store.get("/race/create"))?.value ?? enc("")), dec(winner.value));
    });

    it("of concurrent updates from the same revision exactly one wins", async () => {
      const kv = await store.create("/race/update", enc("0"));
      const results = await Promise.allSettled(
        Array.from({ length: 25 }, (_, i) =>
          store.update("/race/update", enc(`u${i}`), kv.modRevision),
        ),
      );
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      for (const r of results) {
        if (r.status === "rejected") assert.ok(r.reason instanceof ConflictError);
      }
      assert.equal((await store.get("/race/update"))?.version, 2);
    });

    it("list returns only keys under the prefix, in key order", async () => {
      for (const k of ["/list/b", "/list/a", "/list/c", "/listx", "/lis", "/list0"]) {
        await store.create(k, enc(k));
      }
      const res = await store.list("/list/");
      assert.deepEqual(
        res.items.map((i) => i.key),
        ["/list/a", "/list/b", "/list/c"],
      );
      assert.equal(res.continueFrom, undefined);
      assert.equal(res.revision, await store.currentRevision());
    });

    it("pages of a list read one snapshot while writers go on", async () => {
      const keys = Array.from({ length: 10 }, (_, i) => `/page/k${String(i).padStart(2, "0")}`);
      for (const k of keys) await store.create(k, enc("x"));
      const first = await store.list("/page/", { limit: 4 });
      assert.deepEqual(
        first.items.map((i) => i.key),
        keys.slice(0, 4),
      );
      assert.ok(first.continueFrom !== undefined);
      // Writers change the range between pages.
      await store.delete("/page/k05");
      await store.create("/page/k055", enc("new"));
      const kv9 = await store.get("/page/k09");
      await store.update("/page/k09", enc("changed"), kv9?.modRevision ?? 0);
      const seen = [...first.items];
      let cont: string | undefined = first.continueFrom;
      while (cont !== undefined) {
        const page = await store.list("/page/", {
          limit: 4,
          continueFrom: cont,
          atRevision: first.revision,
        });
        assert.equal(page.revision, first.revision);
        seen.push(...page.items);
        cont = page.continueFrom;
      }
      assert.deepEqual(
        seen.map((i) => i.key),
        keys,
      );
      assert.equal(dec(seen[9]?.value ?? enc("")), "x");
      const now = await store.list("/page/");
      assert.deepEqual(
        now.items.map((i) => i.key),
        [...keys.slice(0, 5), "/page/k055", ...keys.slice(6)],
      );
    });

    it("a list at an older revision shows the keys as they were", async () => {
      await store.create("/snap/a", enc("a"));
      const rev = await store.currentRevision();
      await store.create("/snap/b", enc("b"));
      await store.delete("/snap/a");
      const old = await store.list("/snap/", { atRevision: rev });
      assert.deepEqual(
        old.items.map((i) => i.key),
        ["/snap/a"],
      );
      assert.equal(old.revision, rev);
      const now = await store.list("/snap/");
      assert.deepEqual(
        now.items.map((i) => i.key),
        ["/snap/b"],
      );
    });

    it("watch delivers every change in order with the previous value", async () => {
      const w = await store.watch("/watch/");
      try {
        const a = await store.create("/watch/a", enc("1"));
        await store.create("/watchx", enc("outside"));
        const a2 = await store.update("/watch/a", enc("2"), a.modRevision);
        await store.create("/watch/b", enc("b"));
        await store.delete("/watch/a");
        const events = await take(w, 4);
        assert.deepEqual(events.map(summary), [
          `put /watch/a=1@${a.modRevision} prev=-`,
          `put /watch/a=2@${a2.modRevision} prev=1`,
          `put /watch/b=b@${a2.modRevision + 1} prev=-`,
          `delete /watch/a@${a2.modRevision + 2} prev=2`,
        ]);
        const del = events[3];
        assert.equal(del?.type, "delete");
        if (del?.type === "delete") assert.equal(del.prevKv.modRevision, a2.modRevision);
      } finally {
        w.close();
      }
    });

    it("watch resumes from any retained revision with exactly the later changes", async () => {
      const start = await store.currentRevision();
      const a = await store.create("/resume/a", enc("1"));
      const b = await store.create("/resume/b", enc("1"));
      await store.update("/resume/a", enc("2"), a.modRevision);
      await store.delete("/resume/b", { expectedModRevision: b.modRevision });
      await store.create("/resume/c", enc("1"));
      const all = await store.watch("/resume/", { afterRevision: start });
      const history = await take(all, 5);
      all.close();
      assert.deepEqual(
        history.map((e) => e.revision),
        [...history.map((e) => e.revision)].sort((x, y) => x - y),
      );
      for (let i = 0; i < history.length; i++) {
        const from = (history[i] as WatchEvent).revision;
        const w = await store.watch("/resume/", { afterRevision: from });
        const rest = await take(w, history.length - i - 1);
        w.close();
        assert.deepEqual(rest.map(summary), history.slice(i + 1).map(summary));
      }
    });

    it("a watch sees the backlog and then live changes without gap or repeat", async () => {
      const start = await store.currentRevision();
      await store.create("/live/a", enc("1"));
      const w = await store.watch("/live/", { afterRevision: start });
      const writes = Array.from({ length: 20 }, (_, i) => store.create(`/live/k${i}`, enc("x")));
      await Promise.all(writes);
      const events = await take(w, 21);
      w.close();
      const keys = events.map((e) => (e.type === "put" ? e.kv.key : e.key));
      assert.equal(new Set(keys).size, 21);
      const revisions = events.map((e) => e.revision);
      assert.deepEqual(
        revisions,
        [...revisions].sort((x, y) => x - y),
      );
    });

    it("closing a watch ends its iteration", async () => {
      const w = await store.watch("/closing/");
      const done = (async () => {
        const seen: WatchEvent[] = [];
        for await (const ev of w) seen.push(ev);
        return seen;
      })();
      await store.create("/closing/a", enc("1"));
      await new Promise((r) => setTimeout(r, 200));
      w.close();
      const seen = await done;
      assert.ok(seen.length <= 1);
    });

    it("compaction discards old history: old reads and watches fail with CompactedError", async () => {
      const a = await store.create("/compact/a", enc("1"));
      const a2 = await store.update("/compact/a", enc("2"), a.modRevision);
      await store.create("/compact/gone", enc("x"));
      await store.delete("/compact/gone");
      const b = await store.create("/compact/b", enc("b"));
      await store.compact(b.modRevision);
      await assert.rejects(store.get("/compact/a", { atRevision: a.modRevision }), CompactedError);
      await assert.rejects(store.list("/compact/", { atRevision: a2.modRevision }), CompactedError);
      await assert.rejects(
        store.watch("/compact/", { afterRevision: a.modRevision }),
        CompactedError,
      );
      // The state at and after the compacted revision is intact.
      const atB = await store.list("/compact/", { atRevision: b.modRevision });
      assert.deepEqual(
        atB.items.map((i) => `${i.key}=${dec(i.value)}@${i.modRevision}/v${i.version}`),
        [`/compact/a=2@${a2.modRevision}/v2`, `/compact/b=b@${b.modRevision}/v1`],
      );
      const w = await store.watch("/compact/", { afterRevision: b.modRevision });
      const a3 = await store.update("/compact/a", enc("3"), a2.modRevision);
      const [ev] = await take(w, 1);
      w.close();
      assert.equal(ev && summary(ev), `put /compact/a=3@${a3.modRevision} prev=2`);
      // Compacting again to the same or an older revision changes nothing.
      await store.compact(b.modRevision);
      await store.compact(a.modRevision);
      assert.equal((await store.get("/compact/a"))?.version, 3);
    });

    it("revisions keep increasing after compaction", async () => {
      const rev = await store.currentRevision();
      await store.compact(rev);
      const kv = await store.create("/after-compact/a", enc("1"));
      assert.ok(kv.modRevision > rev);
    });
  });
}
