/** The alphabet of generated names: no vowels (no words) and no easily confused characters. */
const SAFE = "bcdfghjklmnpqrstvwxz2456789";

/** Maps each character onto the safe alphabet (upstream's rand.SafeEncodeString). */
export function safeEncode(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) out += SAFE[s.charCodeAt(i) % SAFE.length];
  return out;
}

/** 32-bit FNV-1a. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(s, "utf8");
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * JSON with object keys sorted and empty fields (null, {}, []) left out,
 * so equal values hash equally. In the API's Go types an empty field is
 * the absent field: kubectl sends `creationTimestamp: null` inside
 * templates, and `resources: {}` comes and goes between patches.
 */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => [k, stableJson(x)] as const)
      .filter(([, x]) => x !== undefined && x !== "null" && x !== "{}" && x !== "[]")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${x}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * The pod-template-hash / controller-revision-hash of a template: FNV-1a
 * over its canonical JSON, plus the collision count when there is one,
 * rendered in the safe alphabet (upstream's controller.ComputeHash).
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  let text = stableJson(template);
  if (collisionCount !== undefined && collisionCount !== null) text += `#${collisionCount}`;
  return safeEncode(String(fnv32a(text)));
}
