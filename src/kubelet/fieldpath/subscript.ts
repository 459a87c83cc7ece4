/**
 * Subscripted field paths (upstream fieldpath.SplitMaybeSubscriptedPath). Pure.
 */

/** `metadata.labels['app']` → { path: "metadata.labels", key: "app" }; undefined when not subscripted. */
export function splitSubscript(fieldPath: string): { path: string; key: string } | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const inner = fieldPath.slice(0, -2);
  const at = inner.indexOf("['");
  if (at <= 0) return undefined;
  return { path: inner.slice(0, at), key: inner.slice(at + 2) };
}
