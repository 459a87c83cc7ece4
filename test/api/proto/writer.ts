/**
 * A test-only protobuf writer: just enough to hand-assemble Kubernetes
 * messages field by field (numbers from the generated table) and wrap them
 * in the `k8s\0` + runtime.Unknown envelope.
 */

const utf8 = new TextEncoder();

export function varint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function key(field: number, wireType: number): Uint8Array {
  return varint((field << 3) | wireType);
}

/** A varint field (int32, int64, bool, enum); negatives take ten bytes, as in Go. */
export function int(field: number, value: number | bigint | boolean): Uint8Array {
  const v = typeof value === "boolean" ? (value ? 1 : 0) : value;
  return concatBytes([key(field, 0), varint(v)]);
}

export function bytes(field: number, value: Uint8Array): Uint8Array {
  return concatBytes([key(field, 2), varint(value.length), value]);
}

export function str(field: number, value: string): Uint8Array {
  return bytes(field, utf8.encode(value));
}

/** An embedded message made of the given already-encoded fields. */
export function msg(field: number, fields: readonly Uint8Array[]): Uint8Array {
  return bytes(field, concatBytes(fields));
}

export function double(field: number, value: number): Uint8Array {
  const word = new Uint8Array(8);
  new DataView(word.buffer).setFloat64(0, value, true);
  return concatBytes([key(field, 1), word]);
}

/** One map entry: `key = 1` (a string) and `value = 2` (already encoded). */
export function entry(field: number, kv: { key: string; value: Uint8Array }): Uint8Array {
  return msg(field, [str(1, kv.key), kv.value]);
}

/** `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
export function envelope(
  type: { apiVersion: string; kind: string },
  raw: readonly Uint8Array[],
): Uint8Array {
  return concatBytes([
    Uint8Array.from([0x6b, 0x38, 0x73, 0x00]),
    msg(1, [str(1, type.apiVersion), str(2, type.kind)]),
    msg(2, raw),
  ]);
}

export function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, "hex"));
}
