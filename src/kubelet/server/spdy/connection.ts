/**
 * The server side of a SPDY/3.1 session, as much as Kubernetes' streaming
 * protocols use (moby/spdystream on the client): the client opens streams
 * with SYN_STREAM and headers, the server replies, both sides send data
 * frames and half-close with FIN; PINGs are echoed, received data is
 * acknowledged with WINDOW_UPDATEs so the client's windows never run dry.
 */
import { EventEmitter } from "node:events";
import { Duplex } from "node:stream";
import {
  DATA_CHUNK,
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  FLAG_FIN,
  type Frame,
  FrameReader,
  frameStreamId,
  GOAWAY,
  goAway,
  PING,
  parseSynStream,
  ping,
  RST_STREAM,
  rstStream,
  SYN_STREAM,
  synReply,
  windowUpdate,
} from "./frames.js";
import { HeaderCodec } from "./headers-codec.js";

const CANCEL = 5;

export class SpdyStream extends Duplex {
  private finSent = false;

  constructor(
    readonly id: number,
    readonly headers: Record<string, string>,
    private readonly session: SpdySession,
  ) {
    super();
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    for (let at = 0; at < chunk.length; at += DATA_CHUNK)
      this.session.send(dataFrame(this.id, 0, chunk.subarray(at, at + DATA_CHUNK)));
    done();
  }

  override _final(done: (err?: Error | null) => void): void {
    this.fin();
    done();
  }

  /** Half-closes our side (a data frame with FIN). */
  fin(): void {
    if (this.finSent) return;
    this.finSent = true;
    this.session.send(dataFrame(this.id, FLAG_FIN, Buffer.alloc(0)));
    this.session.maybeForget(this);
  }

  get finished(): boolean {
    return this.finSent;
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    if (!this.finSent) {
      this.finSent = true;
      this.session.send(rstStream(this.id, CANCEL));
    }
    this.session.forget(this.id);
    done(err);
  }
}

export class SpdySession extends EventEmitter {
  private readonly reader = new FrameReader();
  private readonly codec = new HeaderCodec();
  private readonly streams = new Map<string, SpdyStream>();
  private queue: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private closed = false;

  constructor(private readonly socket: Duplex) {
    super();
    socket.on("data", (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.reader.push(chunk);
      } catch (err) {
        this.fail(err as Error);
        return;
      }
      for (const f of frames)
        this.queue = this.queue
          .then(() => this.handle(f))
          .catch((err: unknown) => this.fail(err as Error));
    });
    socket.on("close", () => this.close());
    socket.on("error", () => this.close());
  }

  send(frame: Buffer): void {
    if (!this.closed && this.socket.writable) this.socket.write(frame);
  }

  forget(id: number): void {
    this.streams.delete(String(id));
  }

  maybeForget(s: SpdyStream): void {
    if (s.finished && s.readableEnded) this.forget(s.id);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.destroy();
    this.streams.clear();
    this.codec.close();
    this.socket.destroy();
    this.emit("close");
  }

  private fail(err: Error): void {
    this.emit("error", err);
    this.send(goAway(this.lastStreamId, 1));
    this.close();
  }

  private async handle(f: Frame): Promise<void> {
    if (!f.control) {
      const s = this.streams.get(String(f.streamId));
      if (f.data.length) {
        this.send(windowUpdate(f.streamId, f.data.length));
        this.send(windowUpdate(0, f.data.length));
        s?.push(f.data);
      }
      if (s && f.flags & FLAG_FIN) {
        s.push(null);
        this.maybeForget(s);
      }
      return;
    }
    switch (f.type) {
      case SYN_STREAM: {
        const { streamId, headerBlock } = parseSynStream(f.data);
        const headers = decodeHeaderBlock(await this.codec.decompress(headerBlock));
        this.lastStreamId = Math.max(this.lastStreamId, streamId);
        const stream = new SpdyStream(streamId, headers, this);
        this.streams.set(String(streamId), stream);
        this.send(synReply(streamId, 0, await this.codec.compress(encodeHeaderBlock({}))));
        if (f.flags & FLAG_FIN) stream.push(null);
        this.emit("stream", stream);
        return;
      }
      case RST_STREAM:
        this.streams.get(String(frameStreamId(f.data)))?.destroy();
        return;
      case PING:
        this.send(ping(f.data));
        return;
      case GOAWAY:
        this.close();
        return;
      default:
        // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do for these protocols.
        return;
    }
  }
}
