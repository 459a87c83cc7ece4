/**
 * A payload: the files an API-data volume (configMap, secret, downwardAPI,
 * projected) shows, keyed by their path relative to the volume. Pure.
 */
import { posix } from "node:path";

/** One file of a payload (upstream volumeutil.FileProjection). */
export interface FileProjection {
  data: Uint8Array;
  /** Permission bits, e.g. 0o644. */
  mode: number;
  /** Owner to give the file (projected service account tokens); absent keeps root. */
  fsUser?: number;
}

export type Payload = Map<string, FileProjection>;

const MAX_PATH_LENGTH = 4096;
const MAX_FILE_NAME_LENGTH = 255;

/**
 * Why `path` cannot be a payload path, or undefined when it can (upstream
 * atomic writer validatePath): not empty, relative, no `..` element, not
 * starting with `..` (those names are the writer's own), bounded lengths.
 */
export function invalidPathReason(path: string): string | undefined {
  if (path === "") return `invalid path: must not be empty: ""`;
  if (path.startsWith("/")) return `invalid path: must be relative path: ${path}`;
  if (path.length > MAX_PATH_LENGTH)
    return `invalid path: must be less than or equal to ${MAX_PATH_LENGTH} characters`;
  const items = path.split("/");
  for (const item of items) {
    if (item === "..") return `invalid path: must not contain '..': ${path}`;
    if (item.length > MAX_FILE_NAME_LENGTH)
      return `invalid path: filenames must be less than or equal to ${MAX_FILE_NAME_LENGTH} characters`;
  }
  const first = items[0] ?? "";
  if (first.startsWith("..") && first.length > 2)
    return `invalid path: must not start with '..': ${path}`;
  return undefined;
}

/** The payload with every path validated and cleaned (`a//b/` → `a/b`); throws on the first invalid path. */
export function cleanPayload(payload: Payload): Payload {
  const clean: Payload = new Map();
  for (const [path, file] of payload) {
    const reason = invalidPathReason(path);
    if (reason !== undefined) throw new Error(reason);
    const cleaned = posix.normalize(path).replace(/\/$/, "");
    if (cleaned === ".") throw new Error(`invalid path: must name a file: ${path}`);
    clean.set(cleaned, file);
  }
  return clean;
}

/** `p` and every parent of it: `a/b/c` → `a/b/c`, `a/b`, `a`. */
export function withParents(p: string): string[] {
  const out: string[] = [];
  for (let cur = p; cur !== "" && cur !== "."; cur = posix.dirname(cur)) out.push(cur);
  return out;
}

/** The names directly in the volume root a payload needs (`a/b` and `a/c` need `a`). */
export function topLevelNames(payload: Payload): Set<string> {
  return new Set([...payload.keys()].map((p) => p.split("/")[0] ?? p));
}
