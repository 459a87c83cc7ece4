/**
 * Field-level validation errors, shaped and worded like upstream's
 * k8s.io/apimachinery/pkg/util/validation/field, so `kubectl` prints the same
 * `spec.containers[0].name: Required value` lines and Status causes.
 */

export type FieldErrorType =
  | "FieldValueNotFound"
  | "FieldValueRequired"
  | "FieldValueDuplicate"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueForbidden"
  | "FieldValueTooLong"
  | "FieldValueTooMany"
  | "InternalError"
  | "FieldValueTypeInvalid";

export interface FieldError {
  /** Upstream's reason string, also the StatusCause reason. */
  readonly type: FieldErrorType;
  /** The JSON path, e.g. `spec.containers[0].name` or `metadata.labels[app]`. */
  readonly field: string;
  /** The offending value (omitted from the message for Required, Forbidden, TooMany, Internal). */
  readonly badValue?: unknown;
  readonly detail?: string;
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: "Not found",
  FieldValueRequired: "Required value",
  FieldValueDuplicate: "Duplicate value",
  FieldValueInvalid: "Invalid value",
  FieldValueNotSupported: "Unsupported value",
  FieldValueForbidden: "Forbidden",
  FieldValueTooLong: "Too long",
  FieldValueTooMany: "Too many",
  InternalError: "Internal error",
  FieldValueTypeInvalid: "Invalid value",
};

/** "Required value", "Invalid value", ... */
export function typeText(type: FieldErrorType): string {
  return TYPE_TEXT[type];
}

/** A field path builder: `path("spec").child("containers").index(0).child("name")`. */
export class FieldPath {
  private constructor(private readonly text: string) {}

  static root(name: string): FieldPath {
    return new FieldPath(name);
  }

  child(name: string, ...more: string[]): FieldPath {
    let t = this.text === "" ? name : `${this.text}.${name}`;
    for (const m of more) t = `${t}.${m}`;
    return new FieldPath(t);
  }

  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }

  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }

  toString(): string {
    return this.text;
  }
}

export function path(root: string, ...more: string[]): FieldPath {
  const p = FieldPath.root(root);
  return more.length > 0 ? p.child(more[0] as string, ...more.slice(1)) : p;
}

type P = FieldPath | string;

export const required = (p: P, detail?: string): FieldError =>
  make("FieldValueRequired", p, undefined, detail);
export const invalid = (p: P, value: unknown, detail?: string): FieldError =>
  make("FieldValueInvalid", p, value, detail);
export const duplicate = (p: P, value: unknown): FieldError =>
  make("FieldValueDuplicate", p, value, undefined);
export const notFound = (p: P, value: unknown): FieldError =>
  make("FieldValueNotFound", p, value, undefined);
export const forbidden = (p: P, detail: string): FieldError =>
  make("FieldValueForbidden", p, undefined, detail);
export const tooLong = (p: P, value: unknown, max: number): FieldError =>
  make("FieldValueTooLong", p, value, `may not be more than ${max} bytes`);
export const tooMany = (p: P, actual: number, max: number): FieldError =>
  make("FieldValueTooMany", p, actual, `must have at most ${max} items`);
export const internal = (p: P, detail: string): FieldError =>
  make("InternalError", p, undefined, detail);
export const typeInvalid = (p: P, value: unknown, detail: string): FieldError =>
  make("FieldValueTypeInvalid", p, value, detail);
export const notSupported = (p: P, value: unknown, supported: readonly string[]): FieldError =>
  make(
    "FieldValueNotSupported",
    p,
    value,
    supported.length > 0
      ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}`
      : undefined,
  );

function make(
  type: FieldErrorType,
  p: P,
  badValue: unknown,
  detail: string | undefined,
): FieldError {
  const e: { -readonly [K in keyof FieldError]: FieldError[K] } = { type, field: String(p) };
  if (badValue !== undefined) e.badValue = badValue;
  if (detail !== undefined) e.detail = detail;
  return e;
}

/**
 * Values that know how upstream's Go code would print them (`map[string]string{"app":"x"}`)
 * carry a function under this symbol; they still serialise as plain JSON.
 */
export const GO_SYNTAX = Symbol.for("k8ts.goSyntax");

/** Upstream's rendering of a bad value: strings quoted, other scalars plain, objects as JSON. */
export function formatValue(value: unknown): string {
  const goSyntax = (value as { [GO_SYNTAX]?: unknown } | null | undefined)?.[GO_SYNTAX];
  if (typeof goSyntax === "function") return String(goSyntax.call(value));
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** The error body without the field: `Required value`, `Invalid value: "Foo": detail`. */
export function errorBody(e: FieldError): string {
  let s = TYPE_TEXT[e.type];
  const omitValue =
    e.type === "FieldValueRequired" ||
    e.type === "FieldValueForbidden" ||
    e.type === "FieldValueTooLong" ||
    e.type === "FieldValueTooMany" ||
    e.type === "InternalError";
  if (!omitValue) s += `: ${formatValue(e.badValue)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** `spec.containers[0].name: Required value` */
export function formatFieldError(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** Upstream's aggregate: one error bare, several in brackets. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  if (errors.length === 1) return formatFieldError(errors[0] as FieldError);
  return `[${errors.map(formatFieldError).join(", ")}]`;
}
