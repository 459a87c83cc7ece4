/**
 * Field selectors (`spec.nodeName=node-1,status.phase!=Running`): an AND of
 * equality and inequality terms over a flat map of field values, as
 * upstream's k8s.io/apimachinery/pkg/fields. A missing field reads as "".
 */

/** The flat field values of an object, e.g. `{"metadata.name": "x", "spec.nodeName": "n1"}`. */
export type Fields = Readonly<Record<string, string>>;

export type FieldOperator = "=" | "!=";

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

/** Rewrites a term's field and value (e.g. to map legacy names); "" for both drops it. */
export type TransformFn = (field: string, value: string) => { field: string; value: string };

export interface FieldSelector {
  matches(fields: Fields): boolean;
  /** True when nothing is restricted. */
  empty(): boolean;
  /** The value the selector demands for `field` through an `=` term, if any. */
  requiresExactMatch(field: string): string | undefined;
  requirements(): readonly FieldRequirement[];
  /** Apply `fn` to every term (throwing from `fn` aborts). */
  transform(fn: TransformFn): FieldSelector;
  /** The canonical text, values escaped. */
  toString(): string;
  readonly matchesNothing: boolean;
}

/** Escape `\`, `,` and `=` in a value. */
export function escapeValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function readField(fields: Fields, name: string): string {
  return Object.hasOwn(fields, name) ? (fields[name] as string) : "";
}

class Term implements FieldSelector {
  readonly matchesNothing = false;
  constructor(readonly req: FieldRequirement) {}

  matches(fields: Fields): boolean {
    const v = readField(fields, this.req.field);
    return this.req.operator === "=" ? v === this.req.value : v !== this.req.value;
  }

  empty(): boolean {
    return false;
  }

  requiresExactMatch(field: string): string | undefined {
    return this.req.operator === "=" && this.req.field === field ? this.req.value : undefined;
  }

  requirements(): readonly FieldRequirement[] {
    return [this.req];
  }

  transform(fn: TransformFn): FieldSelector {
    const { field, value } = fn(this.req.field, this.req.value);
    if (field === "" && value === "") return everythingFields();
    return new Term({ field, operator: this.req.operator, value });
  }

  toString(): string {
    return `${this.req.field}${this.req.operator}${escapeValue(this.req.value)}`;
  }
}

class And implements FieldSelector {
  readonly matchesNothing = false;
  constructor(readonly terms: readonly FieldSelector[]) {}

  matches(fields: Fields): boolean {
    return this.terms.every((t) => t.matches(fields));
  }

  empty(): boolean {
    return this.terms.every((t) => t.empty());
  }

  requiresExactMatch(field: string): string | undefined {
    for (const t of this.terms) {
      const v = t.requiresExactMatch(field);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  requirements(): readonly FieldRequirement[] {
    return this.terms.flatMap((t) => t.requirements());
  }

  transform(fn: TransformFn): FieldSelector {
    return new And(this.terms.map((t) => t.transform(fn)).filter((t) => !t.empty()));
  }

  toString(): string {
    return this.terms.map((t) => t.toString()).join(",");
  }
}

const NOTHING: FieldSelector = {
  matchesNothing: true,
  matches: () => false,
  empty: () => false,
  requiresExactMatch: () => undefined,
  requirements: () => [],
  transform: () => NOTHING,
  toString: () => "",
};

const EVERYTHING: FieldSelector = new And([]);

/** Matches every object. */
export function everythingFields(): FieldSelector {
  return EVERYTHING;
}

/** Matches no object. */
export function nothingFields(): FieldSelector {
  return NOTHING;
}

/** `field=value`. */
export function oneTermEqualSelector(field: string, value: string): FieldSelector {
  return new Term({ field, operator: "=", value });
}

/** `field!=value`. */
export function oneTermNotEqualSelector(field: string, value: string): FieldSelector {
  return new Term({ field, operator: "!=", value });
}

/** All of the given selectors. */
export function andSelectors(...selectors: FieldSelector[]): FieldSelector {
  return new And(selectors);
}

/** `k=v` for every entry (a missing set selects everything); order follows the record. */
export function fieldSelectorFromSet(set: Fields | undefined | null): FieldSelector {
  if (!set) return EVERYTHING;
  const terms = Object.entries(set).map(([f, v]) => oneTermEqualSelector(f, v));
  return terms.length === 1 ? (terms[0] as FieldSelector) : new And(terms);
}
