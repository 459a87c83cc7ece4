import type { Command } from "commander";
import { KeyNotFoundError } from "../../storage/errors.js";
import { openStore } from "../../storage/open.js";
import type { KeyValue, Store } from "../../storage/types.js";

interface StoreFlags {
  dataDir: string;
  datastoreEndpoint?: string;
}

const decoder = new TextDecoder();

function describe(kv: KeyValue): string {
  return `${kv.key}  (create ${kv.createRevision}, mod ${kv.modRevision}, version ${kv.version}, ${kv.value.byteLength} bytes)`;
}

async function withStore<T>(flags: StoreFlags, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore({
    dataDir: flags.dataDir,
    ...(flags.datastoreEndpoint !== undefined ? { endpoint: flags.datastoreEndpoint } : {}),
  });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * `k8ts datastore ...`: read and write the cluster store directly, like
 * etcdctl does for etcd. Meant for operators debugging what the API server
 * stored; writing here bypasses every API check.
 */
export function registerDatastore(program: Command): void {
  const ds = program
    .command("datastore")
    .description("inspect the cluster store directly (an etcdctl for either backend)")
    .option("--data-dir <dir>", "k8ts data directory", "/var/lib/k8ts")
    .option(
      "--datastore-endpoint <url>",
      "etcd client URLs (http://host:port,...) or sqlite:///path; default: the embedded store in the data dir",
    );
  const flags = () => ds.opts<StoreFlags>();

  ds.command("status")
    .description("print the store's current revision")
    .action(async () => {
      const rev = await withStore(flags(), (s) => s.currentRevision());
      console.log(`revision ${rev}`);
    });

  ds.command("get <key>")
    .description("print one key's value")
    .option("--revision <n>", "read as of this revision", Number)
    .action(async (key: string, o: { revision?: number }) => {
      const kv = await withStore(flags(), (s) =>
        s.get(key, o.revision !== undefined ? { atRevision: o.revision } : {}),
      );
      if (!kv) throw new KeyNotFoundError(key);
      console.log(decoder.decode(kv.value));
    });

  ds.command("list [prefix]")
    .description("list keys under a prefix (default: all)")
    .option("--limit <n>", "at most this many keys", Number)
    .option("--values", "print values too")
    .action(async (prefix: string | undefined, o: { limit?: number; values?: boolean }) => {
      const res = await withStore(flags(), (s) =>
        s.list(prefix ?? "", o.limit !== undefined ? { limit: o.limit } : {}),
      );
      for (const kv of res.items) {
        console.log(describe(kv));
        if (o.values) console.log(decoder.decode(kv.value));
      }
      console.log(`# revision ${res.revision}${res.continueFrom ? ", more keys follow" : ""}`);
    });

  ds.command("put <key> <value>")
    .description("create a key, or replace its value")
    .action(async (key: string, value: string) => {
      const kv = await withStore(flags(), async (s) => {
        const bytes = new TextEncoder().encode(value);
        const current = await s.get(key);
        return current ? s.update(key, bytes, current.modRevision) : s.create(key, bytes);
      });
      console.log(describe(kv));
    });

  ds.command("delete <key>")
    .description("delete a key")
    .action(async (key: string) => {
      const kv = await withStore(flags(), (s) => s.delete(key));
      console.log(`deleted ${describe(kv)}`);
    });

  ds.command("compact [revision]")
    .description("discard history before a revision (default: the current one)")
    .action(async (revision: string | undefined) => {
      const target = await withStore(flags(), async (s) => {
        const rev = revision !== undefined ? Number(revision) : await s.currentRevision();
        await s.compact(rev);
        return rev;
      });
      console.log(`compacted to revision ${target}`);
    });
}
