/**
 * Wall-clock time in an IANA zone, through Intl (Node ships full ICU).
 * A "wall" time is the zone's local date and time encoded as if it were
 * UTC milliseconds, so calendar arithmetic can use the Date.UTC methods.
 */

const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone schedules use when a CronJob names none: this process's local zone (as upstream). */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** True when Intl knows the zone. */
export function isKnownZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

function isUtc(zone: string): boolean {
  return zone === "UTC" || zone === "Etc/UTC" || zone === "GMT" || zone === "Etc/GMT";
}

/** The wall time at `instant` in `zone` (milliseconds kept). */
export function wallClock(instant: number, zone: string): number {
  if (isUtc(zone)) return instant;
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(instant))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const ms = ((instant % 1000) + 1000) % 1000;
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
    ms,
  );
}

/** The zone's offset from UTC at `instant`, in ms (positive east of Greenwich). */
export function offsetAt(instant: number, zone: string): number {
  return wallClock(instant, zone) - instant;
}

/**
 * The instants showing wall time `wall` in `zone`, earliest first: none
 * in a spring-forward gap, two in a fall-back overlap, else one.
 */
export function instantsOf(wall: number, zone: string): number[] {
  if (isUtc(zone)) return [wall];
  // Offsets in force half a day either side cover any single transition near `wall`.
  const candidates = new Set([
    wall - offsetAt(wall - 12 * HOUR, zone),
    wall - offsetAt(wall + 12 * HOUR, zone),
  ]);
  return [...candidates].filter((t) => wallClock(t, zone) === wall).sort((a, b) => a - b);
}

/** RFC 3339 with the zone's offset ("2024-03-10T09:00:00+01:00", or "Z" for UTC), whole seconds. */
export function rfc3339InZone(instant: number, zone: string): string {
  const whole = Math.floor(instant / 1000) * 1000;
  const offset = isUtc(zone) ? 0 : offsetAt(whole, zone);
  const wall = new Date(whole + offset).toISOString().slice(0, 19);
  if (offset === 0) return `${wall}Z`;
  const sign = offset > 0 ? "+" : "-";
  const minutes = Math.round(Math.abs(offset) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `${wall}${sign}${hh}:${mm}`;
}
