/**
 * Human-readable durations as kubectl shows them in AGE-style columns
 * (upstream apimachinery's duration.HumanDuration / ShortHumanDuration).
 * Durations are in milliseconds; truncation is toward zero like Go's
 * integer conversions, and up to 1.999s in the future still reads "0s"
 * to absorb clock skew between machines.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const INVALID = "<invalid>";

/** Returns "<invalid>", "0s", or undefined when the duration is non-negative enough to format. */
function skewed(ms: number): string | undefined {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return INVALID;
  if (seconds < 0) return "0s";
  return undefined;
}

/** ~2-3 significant figures: `45s`, `119s`, `5m3s`, `42m`, `3h12m`, `26h`, `3d4h`, `120d`, `2y15d`, `9y`. */
export function humanDuration(ms: number): string {
  const early = skewed(ms);
  if (early !== undefined) return early;
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** One unit only: `59s`, `59m`, `23h`, `364d`, `3y`. */
export function shortHumanDuration(ms: number): string {
  const early = skewed(ms);
  if (early !== undefined) return early;
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Parses an RFC 3339 timestamp; undefined when absent or unparseable (Go's zero time). */
export function parseTime(timestamp: unknown): number | undefined {
  if (typeof timestamp !== "string" || timestamp === "") return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The age of a timestamp at `now` ("<unknown>" when it is missing), as upstream's AGE cells. */
export function since(timestamp: unknown, now: Date): string {
  const ms = parseTime(timestamp);
  if (ms === undefined) return "<unknown>";
  return humanDuration(now.getTime() - ms);
}
