/**
 * Decodes one message of the generated table into the JSON object Go's
 * encoding/json writes for the same typed value. The rules, from the Go
 * struct tags the table records:
 * - a pointer field (POINTER) is written whenever it was on the wire, even
 *   when zero (`replicas: 0`), and left out otherwise;
 * - a non-pointer scalar is written unless it is zero and tagged `omitempty`;
 *   Go's generated marshallers always put these on the wire, so absent means
 *   zero;
 * - a non-pointer struct is always written (`resources: {}`), decoded from
 *   nothing when absent, because `omitempty` never drops a Go struct;
 * - lists and maps are written when they have entries;
 * - an embedded struct without a json name (INLINE) adds its fields to the
 *   parent;
 * - where Go would write `null` (a nil slice or map without `omitempty`, a
 *   zero metav1.Time) the field is left out instead: every upstream decoder
 *   reads `null` and absent alike, and our API server then sees one shape.
 */
import { ProtobufDecodeError } from "./errors.js";
import {
  collectFields,
  concat,
  isPackable,
  isZeroScalar,
  lengthDelimited,
  type RawFields,
  type RawValue,
  scalarValue,
  unpack,
  zeroScalar,
} from "./fields.js";
import { customJson, hasCustomJson, type NestedDecoders } from "./json.js";
import { MESSAGES } from "./messages.js";
import type { FieldRow } from "./table.js";
import { INLINE, ITEMS, OMITEMPTY, POINTER, REPEATED } from "./table.js";
import { LENGTH_DELIMITED } from "./wire.js";

/** Deeper nesting than this is refused rather than risking the stack. */
const MAX_DEPTH = 512;

export interface MessageOptions {
  /** Decodes a whole `k8s\0` object found inside a RawExtension. */
  readonly object: (bytes: Uint8Array) => unknown;
  /** Nesting depth of this message; 0 for the top-level object. */
  readonly depth?: number;
}

/** The JSON value of message `fqn` (an object, or what a custom type writes). */
export function decodeMessage(
  target: { fqn: string; bytes: Uint8Array },
  opts: MessageOptions,
): unknown {
  const depth = opts.depth ?? 0;
  if (depth > MAX_DEPTH) throw new ProtobufDecodeError(`messages nested deeper than ${MAX_DEPTH}`);
  const { fqn, bytes } = target;
  const nested: NestedDecoders = {
    message: (name, b) => decodeMessage({ fqn: name, bytes: b }, { ...opts, depth: depth + 1 }),
    object: opts.object,
  };
  if (hasCustomJson(fqn)) return customJson(fqn, bytes, nested);
  const rows = Object.hasOwn(MESSAGES, fqn) ? MESSAGES[fqn] : undefined;
  if (!rows) throw new ProtobufDecodeError(`no protobuf message ${fqn} is known`);
  const fields = collectFields(bytes);
  const items = rows.find((r) => (r[3] & ITEMS) !== 0);
  if (items) return fieldValue(items, { fqn, fields, nested }) ?? [];

  const out: Record<string, unknown> = {};
  const inlined: Record<string, unknown>[] = [];
  for (const row of rows) {
    const value = fieldValue(row, { fqn, fields, nested });
    if (value === undefined || value === null) continue;
    if ((row[3] & INLINE) !== 0) inlined.push(value as Record<string, unknown>);
    else out[row[1]] = value;
  }
  // Go promotes an embedded struct's fields unless the outer struct has the name.
  for (const inner of inlined) {
    for (const [k, v] of Object.entries(inner)) if (!(k in out)) out[k] = v;
  }
  return out;
}

interface FieldContext {
  readonly fqn: string;
  readonly fields: RawFields;
  readonly nested: NestedDecoders;
}

/** The JSON value of one field, or undefined to leave it out. */
function fieldValue(row: FieldRow, ctx: FieldContext): unknown {
  const [number, json, type, flags] = row;
  const where = `${ctx.fqn}.${json || number}`;
  const raws = ctx.fields.get(number);
  if (type.startsWith("map:")) return raws ? mapValue(raws, { ctx, type, where }) : undefined;
  if ((flags & REPEATED) !== 0) {
    if (!raws) return undefined;
    const list = listValue(raws, { ctx, type, where });
    return list.length > 0 ? list : undefined;
  }
  if (isMessageType(type)) {
    if (!raws && (flags & POINTER) !== 0) return undefined;
    const bytes = raws ? concat(lengthDelimited(raws, where)) : new Uint8Array(0);
    const value = ctx.nested.message(resolveType(type, ctx.fqn), bytes);
    // A named slice (Verbs, ExtraValue) is a list: left out when empty.
    if (Array.isArray(value) && value.length === 0) return undefined;
    return value;
  }
  if (!raws) {
    if ((flags & (POINTER | OMITEMPTY)) !== 0 || type === "bytes") return undefined;
    return zeroScalar(type);
  }
  const value = scalarValue(raws[raws.length - 1] as RawValue, { type, where });
  if ((flags & OMITEMPTY) !== 0 && (flags & POINTER) === 0 && isZeroScalar(value)) {
    return undefined;
  }
  return value;
}

function listValue(
  raws: readonly RawValue[],
  opts: { ctx: FieldContext; type: string; where: string },
): unknown[] {
  const { ctx, type, where } = opts;
  if (isMessageType(type)) {
    const fqn = resolveType(type, ctx.fqn);
    return lengthDelimited(raws, where).map((b) => ctx.nested.message(fqn, b));
  }
  const out: unknown[] = [];
  for (const raw of raws) {
    if (raw.wireType === LENGTH_DELIMITED && isPackable(type)) {
      for (const v of unpack(raw.value, type)) out.push(scalarValue(v, { type, where }));
    } else {
      out.push(scalarValue(raw, { type, where }));
    }
  }
  return out;
}

/** A map field: each occurrence is an entry message {key = 1, value = 2}. */
function mapValue(
  raws: readonly RawValue[],
  opts: { ctx: FieldContext; type: string; where: string },
): Record<string, unknown> {
  const { ctx, where } = opts;
  const [, keyType = "string", ...rest] = opts.type.split(":");
  const valueType = rest.join(":");
  const out: Record<string, unknown> = {};
  for (const entry of lengthDelimited(raws, where)) {
    const fields = collectFields(entry);
    const keyRaws = fields.get(1);
    const key = keyRaws
      ? scalarValue(keyRaws[keyRaws.length - 1] as RawValue, { type: keyType, where })
      : zeroScalar(keyType);
    const valueRaws = fields.get(2);
    let value: unknown;
    if (isMessageType(valueType)) {
      const bytes = valueRaws ? concat(lengthDelimited(valueRaws, where)) : new Uint8Array(0);
      value = ctx.nested.message(resolveType(valueType, ctx.fqn), bytes);
    } else {
      value = valueRaws
        ? scalarValue(valueRaws[valueRaws.length - 1] as RawValue, { type: valueType, where })
        : zeroScalar(valueType);
    }
    out[String(key)] = value;
  }
  return out;
}

/** Message types are capitalised (same package) or fully qualified; scalars are neither. */
function isMessageType(type: string): boolean {
  return type.includes(".") || /^[A-Z]/.test(type);
}

function resolveType(type: string, containing: string): string {
  if (type.includes(".")) return type;
  return `${containing.slice(0, containing.lastIndexOf(".") + 1)}${type}`;
}
