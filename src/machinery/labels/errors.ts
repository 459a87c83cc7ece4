/**
 * Errors of label selector parsing and construction. Messages follow
 * upstream's field.Error rendering (`values[0][app]: Invalid value: "a b": ...`)
 * because clients show them verbatim.
 */

/** A selector string or object that cannot be turned into a selector (the API's 400). */
export class LabelSelectorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One field-level problem, already rendered the way upstream prints it. */
export interface SelectorFieldError {
  readonly field: string;
  readonly message: string;
}

/** A requirement that breaks the rules of NewRequirement; `errors` lists each problem. */
export class InvalidRequirementError extends LabelSelectorError {
  constructor(readonly errors: readonly SelectorFieldError[]) {
    super(aggregate(errors.map((e) => e.message)));
  }
}

/** Upstream's aggregate: one message bare, several deduplicated inside brackets. */
export function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  if (unique.length === 1) return unique[0] as string;
  return `[${unique.join(", ")}]`;
}

/** Go's %q for a string (close enough: JSON escaping for ASCII input). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's %#v for a []string; `undefined` stands for a nil slice. */
export function goStringSlice(values: readonly string[] | undefined): string {
  if (values === undefined) return "[]string(nil)";
  return `[]string{${values.map(goQuote).join(", ")}}`;
}

/** Field paths as upstream's *field.Path renders them, where undefined is a nil path. */
export const fieldPath = {
  child(p: string | undefined, name: string): string {
    return p === undefined || p === "" ? name : `${p}.${name}`;
  },
  index(p: string | undefined, i: number | string): string {
    return `${p ?? ""}[${i}]`;
  },
  show(p: string | undefined): string {
    return p ?? "<nil>";
  },
};

export function invalidError(
  field: string,
  shownValue: string,
  detail: string,
): SelectorFieldError {
  return { field, message: `${field}: Invalid value: ${shownValue}: ${detail}` };
}

export function notSupportedError(
  field: string,
  value: string,
  supported: readonly string[],
): SelectorFieldError {
  const list = supported.map(goQuote).join(", ");
  return {
    field,
    message: `${field}: Unsupported value: ${goQuote(value)}: supported values: ${list}`,
  };
}
