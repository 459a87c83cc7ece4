/**
 * Just enough of resource.Quantity to validate and compare values
 * (requests <= limits, non-negative, integer). Values are plain numbers:
 * exact for everything a pod spec realistically holds. The full
 * implementation lives in machinery/quantity; this one stays private to
 * validation and defaulting.
 */

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY_RE =
  /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/** Upstream's decode error for a malformed quantity. */
export const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** The numeric value of a quantity given as a JSON string or number; undefined if malformed. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === "number") return Number.isFinite(q) ? q : undefined;
  if (typeof q !== "string") return undefined;
  const m = QUANTITY_RE.exec(q.trim());
  if (m === null) return undefined;
  const base = Number(m[1]);
  const suffix = m[2] ?? "";
  if (suffix in BINARY) return base * (BINARY[suffix] as number);
  if (suffix in DECIMAL) return base * (DECIMAL[suffix] as number);
  return base * 10 ** Number(suffix.slice(1));
}

/** -1, 0 or 1 like Quantity.Cmp; undefined when either side is malformed. */
export function compareQuantities(a: unknown, b: unknown): number | undefined {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === undefined || y === undefined) return undefined;
  // Compare at nano precision so "0.1" and "100m" are equal.
  const dx = Math.round(x * 1e9);
  const dy = Math.round(y * 1e9);
  return dx === dy ? 0 : dx < dy ? -1 : 1;
}

/** The text of a quantity as the client wrote it (upstream prints the canonical form). */
export function quantityText(q: unknown): string {
  return typeof q === "number" ? String(q) : typeof q === "string" ? q : "";
}
