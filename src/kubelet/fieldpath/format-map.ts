/**
 * All labels or annotations as one text (upstream fieldpath.FormatMap). Pure.
 */
import { goQuote } from "./go-quote.js";

/** `k1="v1"\nk2="v2"`: keys sorted, values quoted as Go's %q, no trailing newline; empty for no map. */
export function formatMap(m: Readonly<Record<string, string>> | undefined): string {
  if (m === undefined) return "";
  return Object.keys(m)
    .sort()
    .map((key) => `${key}=${goQuote(m[key] as string)}`)
    .join("\n");
}
