/**
 * Collects the fields of one encoded message by number and turns raw wire
 * values into JSON scalars the way Go's generated unmarshallers and
 * encoding/json would.
 */
import { ProtobufDecodeError } from "./errors.js";
import { FIXED32, FIXED64, LENGTH_DELIMITED, VARINT, WireReader } from "./wire.js";

/** One occurrence of a field: a varint, a 32/64-bit word or a byte slice. */
export type RawValue =
  | { readonly wireType: typeof VARINT; readonly value: bigint }
  | { readonly wireType: typeof FIXED64 | typeof FIXED32; readonly value: DataView }
  | { readonly wireType: typeof LENGTH_DELIMITED; readonly value: Uint8Array };

export type RawFields = Map<number, RawValue[]>;

/** Every occurrence of every field, in wire order; groups are skipped. */
export function collectFields(bytes: Uint8Array): RawFields {
  const out: RawFields = new Map();
  const reader = new WireReader(bytes);
  while (!reader.done) {
    const { field, wireType } = reader.readTag();
    let raw: RawValue;
    switch (wireType) {
      case VARINT:
        raw = { wireType, value: reader.readVarint() };
        break;
      case FIXED64:
        raw = { wireType, value: reader.readFixed64() };
        break;
      case FIXED32:
        raw = { wireType, value: reader.readFixed32() };
        break;
      case LENGTH_DELIMITED:
        raw = { wireType, value: reader.readLengthDelimited() };
        break;
      default:
        reader.skip(wireType);
        continue;
    }
    const list = out.get(field);
    if (list) list.push(raw);
    else out.set(field, [raw]);
  }
  return out;
}

const utf8 = new TextDecoder("utf-8");

/** The zero value Go's encoding/json writes for a scalar that was never set. */
export function zeroScalar(type: string): unknown {
  switch (type) {
    case "string":
    case "bytes":
      return "";
    case "bool":
      return false;
    default:
      return 0;
  }
}

export function isZeroScalar(value: unknown): boolean {
  return value === "" || value === 0 || value === false;
}

/** Whether values of this scalar type may arrive packed in one length-delimited field. */
export function isPackable(type: string): boolean {
  return type !== "string" && type !== "bytes";
}

/** One scalar value; `where` names the field for error messages. */
export function scalarValue(raw: RawValue, opts: { type: string; where: string }): unknown {
  const { type, where } = opts;
  const want = wireTypeOf(type);
  if (raw.wireType !== want) {
    throw new ProtobufDecodeError(
      `${where}: wire type ${raw.wireType} does not match ${type} (wire type ${want})`,
    );
  }
  switch (raw.wireType) {
    case VARINT:
      return varintValue(raw.value, type);
    case FIXED64:
    case FIXED32:
      return fixedValue(raw.value, { type, where });
    case LENGTH_DELIMITED:
      return type === "bytes" ? base64(raw.value) : utf8.decode(raw.value);
  }
}

/** Packed repeated numbers: the payload is the values back to back. */
export function unpack(bytes: Uint8Array, type: string): RawValue[] {
  const reader = new WireReader(bytes);
  const out: RawValue[] = [];
  const wireType = wireTypeOf(type);
  while (!reader.done) {
    if (wireType === VARINT) out.push({ wireType, value: reader.readVarint() });
    else if (wireType === FIXED64) out.push({ wireType, value: reader.readFixed64() });
    else if (wireType === FIXED32) out.push({ wireType, value: reader.readFixed32() });
    else throw new ProtobufDecodeError(`${type} values cannot be packed`);
  }
  return out;
}

function wireTypeOf(type: string): number {
  switch (type) {
    case "double":
    case "fixed64":
    case "sfixed64":
      return FIXED64;
    case "float":
    case "fixed32":
    case "sfixed32":
      return FIXED32;
    case "string":
    case "bytes":
      return LENGTH_DELIMITED;
    default:
      return VARINT;
  }
}

function varintValue(v: bigint, type: string): number | boolean {
  switch (type) {
    case "bool":
      return v !== 0n;
    case "int32":
      return Number(BigInt.asIntN(32, v));
    case "uint32":
      return Number(BigInt.asUintN(32, v));
    case "sint32":
    case "sint64":
      return Number((v >> 1n) ^ -(v & 1n));
    case "uint64":
      return Number(v);
    default:
      // int64 and anything else carried as a varint
      return Number(BigInt.asIntN(64, v));
  }
}

function fixedValue(view: DataView, opts: { type: string; where: string }): number {
  let n: number;
  switch (opts.type) {
    case "double":
      n = view.getFloat64(0, true);
      break;
    case "float":
      n = view.getFloat32(0, true);
      break;
    case "fixed64":
      n = Number(view.getBigUint64(0, true));
      break;
    case "sfixed64":
      n = Number(view.getBigInt64(0, true));
      break;
    case "fixed32":
      n = view.getUint32(0, true);
      break;
    default:
      n = view.getInt32(0, true);
  }
  // Go's encoding/json refuses NaN and infinities; so do we.
  if (!Number.isFinite(n)) throw new ProtobufDecodeError(`${opts.where}: unsupported value ${n}`);
  return n;
}

/** Go's encoding/json writes []byte as standard base64 with padding. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export function utf8String(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** The payloads of a length-delimited field, checked for wire type. */
export function lengthDelimited(raws: readonly RawValue[], where: string): Uint8Array[] {
  return raws.map((raw) => {
    if (raw.wireType !== LENGTH_DELIMITED) {
      throw new ProtobufDecodeError(`${where}: expected a length-delimited value`);
    }
    return raw.value;
  });
}

/** Concatenated payloads: protobuf merges repeated occurrences of a singular message. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
