/**
 * A minimal protobuf wire-format writer: varints, length-delimited fields,
 * 64-bit doubles. Nested messages are written in place: `begin` reserves one
 * byte for the length and `end` patches it, moving the body right when the
 * length needs a longer varint, so lengths are always minimal varints.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

const utf8 = new TextEncoder();

export class ProtoWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialCapacity = 64 * 1024) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  /** The bytes written so far, as a copy the writer no longer touches. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** A string field; the empty string is written too (callers skip proto3 zero values). */
  string(no: number, value: string): void {
    this.tag(no, WIRE_LEN);
    // UTF-8 needs at most three bytes per UTF-16 code unit.
    this.reserve(value.length * 3 + 1);
    const start = this.pos;
    this.pos += 1;
    const { written } = utf8.encodeInto(value, this.buf.subarray(this.pos));
    this.pos += written;
    this.patchLength(start);
  }

  bool(no: number, value: boolean): void {
    this.tag(no, WIRE_VARINT);
    this.reserve(1);
    this.buf[this.pos++] = value ? 1 : 0;
  }

  double(no: number, value: number): void {
    this.tag(no, WIRE_FIXED64);
    this.reserve(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** An int64 field; negative values take ten bytes, as two's complement. */
  int64(no: number, value: number): void {
    this.tag(no, WIRE_VARINT);
    if (value >= 0) {
      this.varint(value);
      return;
    }
    let v = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  /** Starts an embedded message field; pass the result to `end`. */
  begin(no: number): number {
    this.tag(no, WIRE_LEN);
    this.reserve(1);
    const start = this.pos;
    this.pos += 1;
    return start;
  }

  /** Ends the embedded message `begin` started, writing its length. */
  end(start: number): void {
    this.patchLength(start);
  }

  private tag(no: number, wireType: number): void {
    this.varint(no * 8 + wireType);
  }

  /** A non-negative integer up to 2^53 as a varint. */
  private varint(value: number): void {
    this.reserve(10);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  /** Writes the length of the body after the one byte reserved at `start`. */
  private patchLength(start: number): void {
    const length = this.pos - start - 1;
    if (length < 0x80) {
      this.buf[start] = length;
      return;
    }
    let size = 1;
    for (let v = length; v >= 0x80; v = Math.floor(v / 0x80)) size++;
    const extra = size - 1;
    this.reserve(extra);
    this.buf.copyWithin(start + size, start + 1, this.pos);
    this.pos += extra;
    let v = length;
    let at = start;
    while (v >= 0x80) {
      this.buf[at++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[at] = v;
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    let capacity = this.buf.length * 2;
    while (capacity < this.pos + bytes) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}
