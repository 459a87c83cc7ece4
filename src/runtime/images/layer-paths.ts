import { UnsafeLayerPathError } from "./errors.js";

/** Pure rules for layer entry names: normalisation, safety and OCI whiteouts. */

export const WHITEOUT_PREFIX = ".wh.";
export const WHITEOUT_META_PREFIX = ".wh..wh.";
export const WHITEOUT_OPAQUE = ".wh..wh..opq";

/**
 * Splits an entry name into clean components. `./a//b/` is [a, b]; the
 * root itself is []. Absolute names and names that climb above the root
 * are refused.
 */
export function entryComponents(name: string): string[] {
  if (name.startsWith("/"))
    throw new UnsafeLayerPathError(`absolute path in layer: ${JSON.stringify(name)}`);
  if (name.includes("\0"))
    throw new UnsafeLayerPathError(`NUL in layer path: ${JSON.stringify(name)}`);
  const out: string[] = [];
  for (const part of name.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length === 0)
        throw new UnsafeLayerPathError(`path escapes the layer root: ${JSON.stringify(name)}`);
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out;
}

export type WhiteoutKind =
  | { readonly kind: "none" }
  /** `.wh..wh..opq`: the parent directory hides everything below it. */
  | { readonly kind: "opaque"; readonly dir: readonly string[] }
  /** `.wh.<name>`: `<name>` in the same directory is deleted. */
  | { readonly kind: "whiteout"; readonly target: readonly string[] }
  /** Other `.wh..wh.` names (aufs metadata): ignored. */
  | { readonly kind: "meta" };

export function classifyWhiteout(parts: readonly string[]): WhiteoutKind {
  const base = parts[parts.length - 1];
  if (base === undefined || !base.startsWith(WHITEOUT_PREFIX)) return { kind: "none" };
  const dir = parts.slice(0, -1);
  if (base === WHITEOUT_OPAQUE) return { kind: "opaque", dir };
  if (base.startsWith(WHITEOUT_META_PREFIX)) return { kind: "meta" };
  const name = base.slice(WHITEOUT_PREFIX.length);
  if (name === "" || name === "." || name === "..") {
    throw new UnsafeLayerPathError(`invalid whiteout name ${JSON.stringify(base)}`);
  }
  return { kind: "whiteout", target: [...dir, name] };
}

/**
 * Resolves a path relative to a layer root, following symlinks met on the
 * way (`readlink` returns the target of a relative path when it is a
 * symlink, else undefined). A symlink whose target is absolute, or that
 * climbs above the root, is refused: the layer is unpacked alone into its
 * own directory, so following either would write on the host.
 */
export function resolveInRoot(
  parts: readonly string[],
  readlink: (relative: string) => string | undefined,
): string[] {
  const resolved: string[] = [];
  const queue = [...parts];
  let links = 0;
  while (queue.length > 0) {
    const c = queue.shift() as string;
    if (c === "" || c === ".") continue;
    if (c === "..") {
      if (resolved.length === 0)
        throw new UnsafeLayerPathError(`path escapes the layer root: ${parts.join("/")}`);
      resolved.pop();
      continue;
    }
    const candidate = [...resolved, c].join("/");
    const target = readlink(candidate);
    if (target === undefined) {
      resolved.push(c);
      continue;
    }
    if (++links > 40)
      throw new UnsafeLayerPathError(`too many symlinks resolving ${parts.join("/")}`);
    if (target.startsWith("/")) {
      throw new UnsafeLayerPathError(
        `${parts.join("/")} goes through symlink ${candidate} -> ${target}, which points outside the layer`,
      );
    }
    // Check the climb before continuing so a `..` chain cannot pass the root.
    let depth = resolved.length;
    for (const t of target.split("/")) {
      if (t === "..") depth--;
      else if (t !== "" && t !== ".") depth++;
      if (depth < 0) {
        throw new UnsafeLayerPathError(
          `${parts.join("/")} goes through symlink ${candidate} -> ${target}, which points outside the layer`,
        );
      }
    }
    queue.unshift(...target.split("/"));
  }
  return resolved;
}
