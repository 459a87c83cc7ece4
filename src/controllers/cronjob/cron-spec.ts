/**
 * The standard cron syntax CronJob schedules use, parsed the way
 * robfig/cron's ParseStandard does: five fields (minute hour
 * day-of-month month day-of-week) with names, ranges, steps, `*` and `?`,
 * the @yearly/@monthly/@weekly/@daily/@hourly descriptors and
 * `@every <duration>`, optionally led by `TZ=zone` or `CRON_TZ=zone`.
 */

export class ScheduleError extends Error {
  override readonly name = "ScheduleError";
}

export interface Field {
  /** Allowed values, indexed by value. */
  readonly allowed: readonly boolean[];
  /** Written as `*`/`?` (with step 1): day fields then combine with AND, not OR. */
  readonly star: boolean;
}

export type CronSpec =
  | {
      readonly kind: "fields";
      readonly minute: Field;
      readonly hour: Field;
      readonly dom: Field;
      readonly month: Field;
      readonly dow: Field;
      /** From a TZ= prefix, if any. */
      readonly zone?: string;
    }
  | { readonly kind: "every"; readonly delayMs: number };

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const BOUNDS: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: Object.fromEntries(MONTHS.map((m, i) => [m, i + 1])) },
  { min: 0, max: 6, names: Object.fromEntries(DAYS.map((d, i) => [d, i])) },
];

const DESCRIPTORS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

export function parseCron(text: string): CronSpec {
  let spec = text.trim();
  if (spec === "") throw new ScheduleError("empty spec string");
  let zone: string | undefined;
  const tz = /^(?:CRON_)?TZ=(\S+)\s*/.exec(spec);
  if (tz) {
    zone = tz[1] as string;
    spec = spec.slice(tz[0].length);
  }
  if (spec.startsWith("@every ")) {
    const ms = parseGoDuration(spec.slice("@every ".length).trim());
    // robfig: at least a second, whole seconds.
    const delayMs = Math.max(1000, ms - (ms % 1000));
    return { kind: "every", delayMs };
  }
  if (spec.startsWith("@")) {
    const expanded = DESCRIPTORS[spec.toLowerCase()];
    if (!expanded) throw new ScheduleError(`unrecognized descriptor: ${spec}`);
    spec = expanded;
  }
  const parts = spec.split(/\s+/).filter((f) => f.length > 0);
  if (parts.length !== 5)
    throw new ScheduleError(
      `expected exactly 5 fields, found ${parts.length}: [${parts.join(" ")}]`,
    );
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, BOUNDS[i] as Bounds));
  return {
    kind: "fields",
    minute: minute as Field,
    hour: hour as Field,
    dom: dom as Field,
    month: month as Field,
    dow: dow as Field,
    ...(zone !== undefined ? { zone } : {}),
  };
}

function parseField(text: string, b: Bounds): Field {
  const allowed: boolean[] = new Array(b.max + 1).fill(false);
  let star = false;
  for (const expr of text.split(",")) {
    const r = parseRange(expr, b);
    for (let v = r.start; v <= r.end; v += r.step) allowed[v] = true;
    if (r.star) star = true;
  }
  return { allowed, star };
}

function parseRange(
  expr: string,
  b: Bounds,
): { start: number; end: number; step: number; star: boolean } {
  const rangeAndStep = expr.split("/");
  if (rangeAndStep.length > 2) throw new ScheduleError(`too many slashes: ${expr}`);
  const lowAndHigh = (rangeAndStep[0] as string).split("-");
  if (lowAndHigh.length > 2) throw new ScheduleError(`too many hyphens: ${expr}`);
  const first = lowAndHigh[0] as string;
  const isStar = first === "*" || first === "?";
  let start: number;
  let end: number;
  if (isStar) {
    start = b.min;
    end = b.max;
  } else {
    start = parseValue(first, b);
    end = lowAndHigh.length === 2 ? parseValue(lowAndHigh[1] as string, b) : start;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseNumber(rangeAndStep[1] as string);
    if (step <= 0) throw new ScheduleError(`step of range should be a positive number: ${expr}`);
    // "N/step" means "N-max/step".
    if (!isStar && lowAndHigh.length === 1) end = b.max;
  }
  if (start < b.min)
    throw new ScheduleError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max)
    throw new ScheduleError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end)
    throw new ScheduleError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  return { start, end, step, star: isStar && step === 1 };
}

function parseValue(text: string, b: Bounds): number {
  const named = b.names?.[text.toLowerCase()];
  return named ?? parseNumber(text);
}

function parseNumber(text: string): number {
  if (!/^[0-9]+$/.test(text)) throw new ScheduleError(`failed to parse int from ${text}`);
  return Number(text);
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A Go time.Duration string ("1h30m", "90s", "1.5h") in milliseconds. */
export function parseGoDuration(text: string): number {
  const re = /([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let i = 0;
  if (text === "") throw new ScheduleError(`invalid duration ${JSON.stringify(text)}`);
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) throw new ScheduleError(`invalid duration ${JSON.stringify(text)}`);
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    i = re.lastIndex;
  }
  return Math.round(total);
}
