import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { StoreUnavailableError } from "./errors.js";
import { EtcdStore } from "./etcd/store.js";
import { SqliteStore } from "./sqlite/store.js";
import type { Store } from "./types.js";

export interface OpenStoreOptions {
  /** Where the embedded database lives (`<dataDir>/db/state.db`). */
  readonly dataDir: string;
  /**
   * k3s's --datastore-endpoint: empty for the embedded SQLite store,
   * `sqlite:///path/to/file.db` for an explicit file, or a comma-separated
   * list of `http://host:port` etcd client URLs.
   */
  readonly endpoint?: string;
  readonly maxValueBytes?: number;
}

/** The file the embedded store uses inside a data dir. */
export function sqlitePath(dataDir: string): string {
  return join(dataDir, "db", "state.db");
}

export function openStore(opts: OpenStoreOptions): Store {
  const endpoint = opts.endpoint?.trim() ?? "";
  const limits = opts.maxValueBytes !== undefined ? { maxValueBytes: opts.maxValueBytes } : {};
  if (endpoint === "") {
    const path = sqlitePath(opts.dataDir);
    mkdirSync(join(opts.dataDir, "db"), { recursive: true, mode: 0o700 });
    return new SqliteStore({ path, ...limits });
  }
  if (endpoint.startsWith("sqlite://")) {
    return new SqliteStore({ path: endpoint.slice("sqlite://".length), ...limits });
  }
  const urls = endpoint.split(",").map((u) => u.trim());
  for (const url of urls) {
    if (!/^https?:\/\/[^/]+\/?$/.test(url)) {
      throw new StoreUnavailableError(
        `--datastore-endpoint ${JSON.stringify(url)}: expected http://host:port (etcd) or sqlite:///path`,
      );
    }
    if (url.startsWith("https://")) {
      throw new StoreUnavailableError(
        `--datastore-endpoint ${url}: TLS to etcd is not supported yet; use http:// on a trusted network`,
      );
    }
  }
  return new EtcdStore({ endpoints: urls, ...limits });
}
