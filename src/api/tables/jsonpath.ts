/**
 * The simple JSONPath subset CRD printer columns use: `.a.b`, `.a[0]`,
 * `.a['dotted.key']`, `.a[*].b`. Returns every match in document order;
 * missing keys yield no match rather than an error.
 */

type Step = { key: string } | { index: number } | { wildcard: true };

/** Parses a path such as `.status.conditions[0].type`; undefined when unsupported. */
export function parsePath(path: string): Step[] | undefined {
  const steps: Step[] = [];
  let i = path.startsWith("$") ? 1 : 0;
  while (i < path.length) {
    const ch = path[i];
    if (ch === ".") {
      const m = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!m) return undefined;
      steps.push(m[0] === "*" ? { wildcard: true } : { key: m[0] });
      i += 1 + m[0].length;
    } else if (ch === "[") {
      const end = path.indexOf("]", i);
      if (end < 0) return undefined;
      const inner = path.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === "*") steps.push({ wildcard: true });
      else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ key: inner.slice(1, -1) });
      else return undefined;
    } else {
      return undefined;
    }
  }
  return steps;
}

export function evaluatePath(steps: readonly Step[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if ("key" in step) {
        if (value !== null && typeof value === "object" && !Array.isArray(value)) {
          const record = value as Record<string, unknown>;
          if (Object.hasOwn(record, step.key)) next.push(record[step.key]);
        }
      } else if ("index" in step) {
        if (Array.isArray(value)) {
          const at = step.index < 0 ? value.length + step.index : step.index;
          if (at >= 0 && at < value.length) next.push(value[at]);
        }
      } else if (Array.isArray(value)) {
        next.push(...value);
      } else if (value !== null && typeof value === "object") {
        next.push(...Object.values(value));
      }
    }
    current = next;
  }
  return current;
}
