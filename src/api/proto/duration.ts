/**
 * Go's time.Duration.String(), which metav1.Duration uses as its JSON form:
 * "0s", "1.5s", "1h0m0s", "250ms", "1.5µs", "-2m3s".
 */

const SECOND = 1_000_000_000n;

export function formatGoDuration(nanos: bigint): string {
  if (nanos === 0n) return "0s";
  const sign = nanos < 0n ? "-" : "";
  const u = nanos < 0n ? -nanos : nanos;
  if (u < 1000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${withFraction(u, 3)}µs`;
  if (u < SECOND) return `${sign}${withFraction(u, 6)}ms`;
  const seconds = u / SECOND;
  const fraction = fractionDigits(u % SECOND, 9);
  let out = `${seconds % 60n}${fraction}s`;
  const minutes = seconds / 60n;
  if (minutes > 0n) {
    out = `${minutes % 60n}m${out}`;
    const hours = minutes / 60n;
    if (hours > 0n) out = `${hours}h${out}`;
  }
  return `${sign}${out}`;
}

/** `v / 10^digits` followed by its fraction without trailing zeros. */
function withFraction(v: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  return `${v / scale}${fractionDigits(v % scale, digits)}`;
}

function fractionDigits(frac: bigint, digits: number): string {
  if (frac === 0n) return "";
  return `.${frac.toString().padStart(digits, "0").replace(/0+$/, "")}`;
}
