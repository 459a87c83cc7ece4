import { type CronSpec, type Field, parseCron, ScheduleError } from "./cron-spec.js";
import { instantsOf, isKnownZone, localZone, offsetAt, wallClock } from "./zone.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Wall times within this of a zone transition may map to instants out of order. */
const TRANSITION_WINDOW = 3 * HOUR;
/** robfig/cron gives up looking for a match this many years ahead. */
const SEARCH_YEARS = 5;

/** A parsed schedule: when it next fires strictly after a given instant. */
export interface Schedule {
  /** Milliseconds since the epoch, or undefined if it never fires again (e.g. "0 0 30 2 *"). */
  next(after: number): number | undefined;
}

/**
 * Parses a CronJob schedule in its time zone: `timeZone` (spec.timeZone),
 * else a TZ= prefix, else this process's zone, as upstream does.
 */
export function newSchedule(text: string, opts: { timeZone?: string | undefined } = {}): Schedule {
  const spec = parseCron(text);
  if (spec.kind === "every") {
    return { next: (after) => Math.floor(after / 1000) * 1000 + spec.delayMs };
  }
  const zone = opts.timeZone || spec.zone || localZone();
  if (!isKnownZone(zone)) throw new ScheduleError(`unknown time zone ${zone}`);
  return { next: (after) => nextInZone(spec, { after, zone }) };
}

type FieldsSpec = Extract<CronSpec, { kind: "fields" }>;

function nextInZone(spec: FieldsSpec, opts: { after: number; zone: string }): number | undefined {
  const { after, zone } = opts;
  const wall = Math.floor(wallClock(after, zone) / MINUTE) * MINUTE;
  let from = wall + MINUTE;
  const nearTransition =
    offsetAt(after - TRANSITION_WINDOW, zone) !== offsetAt(after + TRANSITION_WINDOW, zone);
  if (nearTransition) {
    // Around a clock change wall order is not time order (an hour repeats
    // or is skipped): take the earliest instant from every match nearby.
    const found: number[] = [];
    let w = nextWall(spec, wall - TRANSITION_WINDOW);
    while (w !== undefined && w <= wall + TRANSITION_WINDOW) {
      found.push(...instantsOf(w, zone).filter((t) => t > after));
      w = nextWall(spec, w + MINUTE);
    }
    if (found.length) return Math.min(...found);
    from = wall + TRANSITION_WINDOW + MINUTE;
  }
  for (let w = nextWall(spec, from); w !== undefined; w = nextWall(spec, w + MINUTE)) {
    // A wall time skipped by spring-forward has no instant: it does not fire (as robfig).
    const t = instantsOf(w, zone).find((i) => i > after);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** The first wall time at or after `from` (minute-aligned) that the fields allow. */
export function nextWall(spec: FieldsSpec, from: number): number | undefined {
  const limit = new Date(from).getUTCFullYear() + SEARCH_YEARS;
  let t = from;
  for (;;) {
    const d = new Date(t);
    const y = d.getUTCFullYear();
    const mo = d.getUTCMonth();
    const day = d.getUTCDate();
    const h = d.getUTCHours();
    if (y > limit) return undefined;
    if (!allows(spec.month, mo + 1)) {
      t = Date.UTC(y, mo + 1, 1);
    } else if (!dayMatches(spec, d)) {
      t = Date.UTC(y, mo, day + 1);
    } else if (!allows(spec.hour, h)) {
      t = Date.UTC(y, mo, day, h + 1);
    } else if (!allows(spec.minute, d.getUTCMinutes())) {
      t = Date.UTC(y, mo, day, h, d.getUTCMinutes() + 1);
    } else {
      return t;
    }
  }
}

function allows(f: Field, v: number): boolean {
  return f.allowed[v] === true;
}

/**
 * Cron's day rule: when either day field is `*` both must match,
 * otherwise either may ("0 0 1 * MON" fires on the 1st and on Mondays).
 */
function dayMatches(spec: FieldsSpec, d: Date): boolean {
  const dom = allows(spec.dom, d.getUTCDate());
  const dow = allows(spec.dow, d.getUTCDay());
  return spec.dom.star || spec.dow.star ? dom && dow : dom || dow;
}
