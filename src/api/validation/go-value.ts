/**
 * Upstream prints a bad value that is a map or struct with Go's `%#v`
 * (`map[string]string{"app":"x"}`), and kubectl users see that text. A
 * `goValue` carries both the JSON data and that rendering; formatValue in
 * machinery/field-errors.ts can pick the rendering up through the
 * registered symbol `Symbol.for("k8ts.goSyntax")`.
 */

export const GO_SYNTAX: unique symbol = Symbol.for("k8ts.goSyntax") as never;

export interface GoValue {
  readonly [GO_SYNTAX]: () => string;
  toJSON(): unknown;
}

/** A bad value rendered as `text` by Go-aware formatters and as `data` in JSON. */
export function goValue(data: unknown, text: string): GoValue {
  return { [GO_SYNTAX]: () => text, toJSON: () => data };
}

/** The Go rendering of a value carried by goValue, if any. */
export function goSyntaxOf(v: unknown): string | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const f = (v as Partial<GoValue>)[GO_SYNTAX];
  return typeof f === "function" ? f() : undefined;
}

const q = (s: string): string => JSON.stringify(s);

/** `map[string]string{"a":"1", "b":"2"}` (keys sorted, as fmt does), or `map[string]string(nil)`. */
export function goStringMap(m: Record<string, string> | undefined): string {
  if (m === undefined) return "map[string]string(nil)";
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${q(k)}:${q(m[k] ?? "")}`).join(", ")}}`;
}

/** `[]string{"a", "b"}` or `[]string(nil)`. */
export function goStringSlice(s: readonly string[] | undefined): string {
  if (s === undefined) return "[]string(nil)";
  return `[]string{${s.map(q).join(", ")}}`;
}

/** A map as a goValue. */
export function goMapValue(m: Record<string, string> | undefined): GoValue {
  return goValue(m ?? null, goStringMap(m));
}

/** A string slice as a goValue. */
export function goSliceValue(s: readonly string[] | undefined): GoValue {
  return goValue(s ?? null, goStringSlice(s));
}

interface SelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key?: string; operator?: string; values?: string[] }>;
}

/** `v1.LabelSelector{MatchLabels:..., MatchExpressions:...}` as upstream prints a selector. */
export function goLabelSelector(sel: SelectorLike): string {
  const exprs = sel.matchExpressions;
  const exprText =
    exprs === undefined
      ? "[]v1.LabelSelectorRequirement(nil)"
      : `[]v1.LabelSelectorRequirement{${exprs
          .map(
            (e) =>
              `v1.LabelSelectorRequirement{Key:${q(e.key ?? "")}, Operator:${q(e.operator ?? "")}, Values:${goStringSlice(e.values)}}`,
          )
          .join(", ")}}`;
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprText}}`;
}
