/**
 * Messages whose Go types write their own JSON (MarshalJSON): times,
 * durations, quantities, int-or-string, embedded raw JSON and the
 * apiextensions schema unions. Each converter takes the message bytes and
 * returns the JSON value upstream would write; `null` stands for Go's
 * `null`, which the caller drops from objects.
 */
import { formatGoDuration } from "./duration.js";
import { ProtobufDecodeError } from "./errors.js";
import {
  collectFields,
  concat,
  lengthDelimited,
  type RawFields,
  scalarValue,
  utf8String,
} from "./fields.js";
import { VARINT } from "./wire.js";

/** What converters call back into for nested messages and embedded objects. */
export interface NestedDecoders {
  /** A message of the table, by fully qualified name. */
  message(fqn: string, bytes: Uint8Array): unknown;
  /** A whole `k8s\0`-prefixed object, as found inside a RawExtension. */
  object(bytes: Uint8Array): unknown;
}

type Converter = (fields: RawFields, nested: NestedDecoders) => unknown;

const META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
const APIEXT = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.";
const PROTOBUF_MAGIC = [0x6b, 0x38, 0x73, 0x00];
/** Unix seconds of Go's zero time.Time (0001-01-01T00:00:00Z), which encodes as null. */
const GO_ZERO_TIME_SECONDS = -62135596800;

const CONVERTERS: Readonly<Record<string, Converter>> = {
  [`${META}Time`]: (f) => formatTime(f, { micro: false }),
  [`${META}MicroTime`]: (f) => formatTime(f, { micro: true }),
  [`${META}Duration`]: (f) => formatGoDuration(varint(f, 1) ?? 0n),
  [`${META}FieldsV1`]: (f) => rawJson(bytesField(f, 1), "FieldsV1"),
  [`${META}GroupVersion`]: (f) => {
    const group = str(f, 1);
    const version = str(f, 2);
    return group === "" ? version : `${group}/${version}`;
  },
  "k8s.io.apimachinery.pkg.api.resource.Quantity": (f) => quantity(f),
  "k8s.io.apimachinery.pkg.util.intstr.IntOrString": (f) => intOrString(f),
  "k8s.io.apimachinery.pkg.runtime.RawExtension": (f, n) => rawExtension(bytesField(f, 1), n),
  "k8s.io.apimachinery.pkg.runtime.Unknown": (f) => {
    const contentType = str(f, 4);
    if (contentType !== "" && contentType !== "application/json") {
      throw new ProtobufDecodeError(`runtime.Unknown holds ${contentType}, not JSON`);
    }
    return rawJson(bytesField(f, 2), "runtime.Unknown");
  },
  [`${APIEXT}JSON`]: (f) => rawJson(bytesField(f, 1), "JSON"),
  [`${APIEXT}JSONSchemaPropsOrBool`]: (f, n) => {
    const schema = messageField(f, 2);
    if (schema) return n.message(`${APIEXT}JSONSchemaProps`, schema);
    return (varint(f, 1) ?? 0n) !== 0n;
  },
  [`${APIEXT}JSONSchemaPropsOrArray`]: (f, n) => {
    const list = lengthDelimited(f.get(2) ?? [], "JSONSchemaPropsOrArray");
    if (list.length > 0) return list.map((b) => n.message(`${APIEXT}JSONSchemaProps`, b));
    const schema = messageField(f, 1);
    return schema ? n.message(`${APIEXT}JSONSchemaProps`, schema) : null;
  },
  [`${APIEXT}JSONSchemaPropsOrStringArray`]: (f, n) => {
    const list = lengthDelimited(f.get(2) ?? [], "JSONSchemaPropsOrStringArray");
    if (list.length > 0) return list.map(utf8String);
    const schema = messageField(f, 1);
    return schema ? n.message(`${APIEXT}JSONSchemaProps`, schema) : null;
  },
};

export function hasCustomJson(fqn: string): boolean {
  return Object.hasOwn(CONVERTERS, fqn);
}

export function customJson(fqn: string, bytes: Uint8Array, nested: NestedDecoders): unknown {
  const convert = CONVERTERS[fqn];
  if (!convert) throw new ProtobufDecodeError(`no JSON converter for ${fqn}`);
  return convert(collectFields(bytes), nested);
}

/** metav1.Time keeps whole seconds (RFC 3339); MicroTime keeps microseconds. */
function formatTime(fields: RawFields, opts: { micro: boolean }): string | null {
  if (fields.size === 0) return null;
  const seconds = Number(BigInt.asIntN(64, varint(fields, 1) ?? 0n));
  const nanos = Number(BigInt.asIntN(32, varint(fields, 2) ?? 0n));
  if (seconds === GO_ZERO_TIME_SECONDS && (!opts.micro || nanos < 1000)) return null;
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    throw new ProtobufDecodeError(`time ${seconds}s is outside years 0 to 9999`);
  }
  const whole = date.toISOString().slice(0, 19);
  if (!opts.micro) return `${whole}Z`;
  const micros = Math.floor(Math.max(0, nanos) / 1000) % 1_000_000;
  return `${whole}.${String(micros).padStart(6, "0")}Z`;
}

/** The quantity string as sent (Go clients send the canonical form); unset is "0". */
function quantity(fields: RawFields): string {
  const s = str(fields, 1);
  return s === "" ? "0" : s;
}

function intOrString(fields: RawFields): number | string {
  const type = varint(fields, 1) ?? 0n;
  if (type === 0n) return Number(BigInt.asIntN(32, varint(fields, 2) ?? 0n));
  if (type === 1n) return str(fields, 3);
  throw new ProtobufDecodeError(`IntOrString has impossible type ${type}`);
}

function rawExtension(raw: Uint8Array | undefined, nested: NestedDecoders): unknown {
  if (raw && PROTOBUF_MAGIC.every((b, i) => raw[i] === b)) return nested.object(raw);
  return rawJson(raw, "RawExtension");
}

function rawJson(raw: Uint8Array | undefined, what: string): unknown {
  if (raw === undefined || raw.length === 0) return null;
  const first = raw[0] as number;
  if (first === 0xd9 || (first >= 0xa0 && first <= 0xbf) || first === 0xf6) {
    throw new ProtobufDecodeError(`${what} holds CBOR, which is not supported`);
  }
  try {
    return JSON.parse(utf8String(raw)) as unknown;
  } catch (err) {
    throw new ProtobufDecodeError(`${what} does not hold valid JSON`, { cause: err });
  }
}

function last(fields: RawFields, n: number) {
  const list = fields.get(n);
  return list?.[list.length - 1];
}

function varint(fields: RawFields, n: number): bigint | undefined {
  const raw = last(fields, n);
  if (raw === undefined) return undefined;
  if (raw.wireType !== VARINT) throw new ProtobufDecodeError(`field ${n}: expected a varint`);
  return raw.value;
}

function str(fields: RawFields, n: number): string {
  const raw = last(fields, n);
  return raw === undefined
    ? ""
    : (scalarValue(raw, { type: "string", where: `field ${n}` }) as string);
}

/** A singular message field: every occurrence merged. */
function messageField(fields: RawFields, n: number): Uint8Array | undefined {
  const list = fields.get(n);
  return list === undefined ? undefined : concat(lengthDelimited(list, `field ${n}`));
}

function bytesField(fields: RawFields, n: number): Uint8Array | undefined {
  const list = fields.get(n);
  if (list === undefined) return undefined;
  const chunks = lengthDelimited(list, `field ${n}`);
  return chunks[chunks.length - 1];
}
