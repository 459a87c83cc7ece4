/**
 * The standard 5-field cron syntax CronJob schedules use (minute hour
 * day-of-month month day-of-week, names like JAN/MON, ranges, steps, `*`
 * and `?`, and the @yearly/@monthly/@weekly/@daily/@hourly/@every
 * descriptors). Returns the parser's error text, or undefined when valid.
 */

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: DAYS },
];

const DESCRIPTORS = new Set([
  "@yearly",
  "@annually",
  "@monthly",
  "@weekly",
  "@daily",
  "@midnight",
  "@hourly",
]);

function parseValue(expr: string, b: Bounds): number | string {
  const named = b.names?.[expr.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^[0-9]+$/.test(expr))
    return `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`;
  return Number(expr);
}

function checkRange(expr: string, b: Bounds): string | undefined {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = (rangeAndStep[0] as string).split("-");
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    start = b.min;
    end = b.max;
  } else {
    const s = parseValue(lowAndHigh[0] as string, b);
    if (typeof s === "string") return s;
    start = s;
    if (lowAndHigh.length === 1) end = s;
    else if (lowAndHigh.length === 2) {
      const e = parseValue(lowAndHigh[1] as string, b);
      if (typeof e === "string") return e;
      end = e;
    } else {
      return `too many hyphens: ${expr}`;
    }
  }
  if (rangeAndStep.length === 2) {
    const step = parseValue(rangeAndStep[1] as string, b);
    if (typeof step === "string") return step;
    if (step <= 0) return `step of range should be a positive number: ${expr}`;
    if (single && lowAndHigh[0] !== "*" && lowAndHigh[0] !== "?") end = b.max;
  } else if (rangeAndStep.length > 2) {
    return `too many slashes: ${expr}`;
  }
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

/** Parses like robfig/cron's ParseStandard; the error text, or undefined if valid. */
export function cronScheduleError(schedule: string): string | undefined {
  const spec = schedule.trim();
  if (spec.length === 0) return "empty spec string";
  let rest = spec;
  if (rest.startsWith("TZ=") || rest.startsWith("CRON_TZ=")) {
    const i = rest.indexOf(" ");
    rest = i < 0 ? "" : rest.slice(i).trim();
  }
  if (rest.startsWith("@")) {
    if (DESCRIPTORS.has(rest)) return undefined;
    if (rest.startsWith("@every ")) {
      return /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/.test(rest.slice(7).trim())
        ? undefined
        : `failed to parse duration ${rest}: time: invalid duration ${JSON.stringify(rest.slice(7).trim())}`;
    }
    return `unrecognized descriptor: ${rest}`;
  }
  const fields = rest.split(/\s+/).filter((f) => f.length > 0);
  if (fields.length !== 5)
    return `expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]`;
  for (let i = 0; i < 5; i++) {
    for (const part of (fields[i] as string).split(",")) {
      const err = checkRange(part, FIELDS[i] as Bounds);
      if (err !== undefined) return err;
    }
  }
  return undefined;
}
