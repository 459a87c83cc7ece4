/**
 * An IntOrString field (`maxSurge: 1` or `maxSurge: "25%"`) scaled against
 * a total, rounding percentages up or down (upstream's
 * GetScaledValueFromIntOrPercent). Throws on a malformed string; the API
 * server's validation rejects those before a controller sees them.
 */
export function scaledValue(
  value: number | string | undefined,
  opts: { total: number; roundUp: boolean; fallback: number | string },
): number {
  const v = value ?? opts.fallback;
  if (typeof v === "number") return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    if (/^\d+$/.test(v)) return Number(v);
    throw new Error(`invalid value for IntOrString: ${JSON.stringify(v)}`);
  }
  const exact = (Number(m[1]) * opts.total) / 100;
  return opts.roundUp ? Math.ceil(exact) : Math.floor(exact);
}
