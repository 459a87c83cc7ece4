/**
 * A minimal protobuf wire-format reader: varints, 32- and 64-bit words and
 * length-delimited fields, with bounds checks that raise ProtobufDecodeError.
 * Kubernetes messages use plain int32/int64/bool/string/bytes/double and
 * nested messages; groups are only ever skipped.
 */
import { ProtobufDecodeError } from "./errors.js";

export const VARINT = 0;
export const FIXED64 = 1;
export const LENGTH_DELIMITED = 2;
export const START_GROUP = 3;
export const END_GROUP = 4;
export const FIXED32 = 5;

export interface Tag {
  readonly field: number;
  readonly wireType: number;
}

export class WireReader {
  private pos = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  readTag(): Tag {
    const key = this.readVarint();
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (field === 0 || field > 0x1fffffff) {
      throw new ProtobufDecodeError(`invalid field number ${field} at offset ${this.pos}`);
    }
    return { field, wireType };
  }

  /** An unsigned varint of up to 64 bits. */
  readVarint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.bytes.length) {
        throw new ProtobufDecodeError("unexpected end of data inside a varint");
      }
      const b = this.bytes[this.pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
    throw new ProtobufDecodeError("varint longer than 10 bytes");
  }

  readFixed32(): DataView {
    return this.window(4);
  }

  readFixed64(): DataView {
    return this.window(8);
  }

  readLengthDelimited(): Uint8Array {
    const length = this.readVarint();
    if (length > BigInt(this.bytes.length - this.pos)) {
      throw new ProtobufDecodeError(
        `length ${length} at offset ${this.pos} runs past the end of the data`,
      );
    }
    const start = this.pos;
    this.pos += Number(length);
    return this.bytes.subarray(start, this.pos);
  }

  /** Skips the value of a field this reader does not know, as upstream does. */
  skip(wireType: number): void {
    switch (wireType) {
      case VARINT:
        this.readVarint();
        return;
      case FIXED64:
        this.window(8);
        return;
      case LENGTH_DELIMITED:
        this.readLengthDelimited();
        return;
      case FIXED32:
        this.window(4);
        return;
      case START_GROUP:
        for (;;) {
          if (this.done) throw new ProtobufDecodeError("unterminated group");
          const tag = this.readTag();
          if (tag.wireType === END_GROUP) return;
          this.skip(tag.wireType);
        }
      default:
        throw new ProtobufDecodeError(`unexpected wire type ${wireType} at offset ${this.pos}`);
    }
  }

  private window(size: number): DataView {
    if (this.pos + size > this.bytes.length) {
      throw new ProtobufDecodeError(`unexpected end of data inside a ${size * 8}-bit value`);
    }
    const view = new DataView(this.view.buffer, this.view.byteOffset + this.pos, size);
    this.pos += size;
    return view;
  }
}
