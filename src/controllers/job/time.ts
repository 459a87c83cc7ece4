/** metav1.Time text: RFC 3339 in UTC with whole seconds, as the API stores it. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d+Z$/, "Z");
}

/** Milliseconds since the epoch of an API timestamp, or undefined when absent or unparsable. */
export function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}
