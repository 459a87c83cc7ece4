import assert from "node:assert/strict";
import { Duplex, PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { SpdySession, type SpdyStream } from "../../../src/kubelet/server/spdy/connection.js";
import {
  controlFrame,
  dataFrame,
  encodeHeaderBlock,
  FLAG_FIN,
  type Frame,
  FrameReader,
  PING,
  SYN_REPLY,
  SYN_STREAM,
  WINDOW_UPDATE,
} from "../../../src/kubelet/server/spdy/frames.js";
import { HeaderCodec } from "../../../src/kubelet/server/spdy/headers-codec.js";

/** A socket pair: what the test writes reaches the session, what it writes is collected. */
function pair() {
  const toServer = new PassThrough();
  const fromServer: Buffer[] = [];
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _e, done) {
      fromServer.push(chunk);
      done();
    },
  });
  toServer.on("data", (d: Buffer) => socket.push(d));
  return { toServer, socket, frames: () => new FrameReader().push(Buffer.concat(fromServer)) };
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

async function synStream(
  client: HeaderCodec,
  id: number,
  headers: Record<string, string>,
  flags = 0,
) {
  const block = await client.compress(encodeHeaderBlock(headers));
  return controlFrame(
    SYN_STREAM,
    flags,
    Buffer.concat([u32(id), u32(0), Buffer.from([0, 0]), block]),
  );
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe("SPDY/3.1 server session", () => {
  it("accepts header-only streams, replies, relays data both ways with FIN and window updates", async () => {
    const { toServer, socket, frames } = pair();
    const session = new SpdySession(socket);
    const streams: SpdyStream[] = [];
    session.on("stream", (s: SpdyStream) => streams.push(s));
    const client = new HeaderCodec();
    toServer.write(await synStream(client, 1, { streamType: "error", port: "80", requestID: "0" }));
    toServer.write(await synStream(client, 3, { streamType: "data", port: "80", requestID: "0" }));
    await tick();
    assert.deepEqual(
      streams.map((s) => [s.id, s.headers.streamtype, s.headers.port]),
      [
        [1, "error", "80"],
        [3, "data", "80"],
      ],
    );
    const replies = frames().filter(
      (f): f is Extract<Frame, { control: true }> => f.control && f.type === SYN_REPLY,
    );
    assert.deepEqual(
      replies.map((f) => f.data.readUInt32BE(0)),
      [1, 3],
    );

    const data = streams[1] as SpdyStream;
    let got = "";
    data.on("data", (d: Buffer) => {
      got += d.toString();
    });
    toServer.write(dataFrame(3, 0, Buffer.from("GET / HTTP/1.0\r\n\r\n")));
    toServer.write(dataFrame(3, FLAG_FIN, Buffer.alloc(0)));
    await tick();
    assert.equal(got, "GET / HTTP/1.0\r\n\r\n");
    assert.equal(data.readableEnded, true);
    const updates = frames().filter((f) => f.control && f.type === WINDOW_UPDATE);
    assert.equal(updates.length, 2, "stream and session windows acknowledged");

    data.end("HTTP/1.0 200 OK\r\n\r\n");
    await tick();
    const out = frames().filter(
      (f): f is Extract<Frame, { control: false }> => !f.control && f.streamId === 3,
    );
    assert.equal(Buffer.concat(out.map((f) => f.data)).toString(), "HTTP/1.0 200 OK\r\n\r\n");
    assert.equal((out.at(-1)?.flags ?? 0) & FLAG_FIN, FLAG_FIN);
    client.close();
    session.close();
  });

  it("echoes PINGs and rejects other SPDY versions", async () => {
    const { toServer, socket, frames } = pair();
    const session = new SpdySession(socket);
    toServer.write(controlFrame(PING, 0, u32(7)));
    await tick();
    const pong = frames().find((f) => f.control && f.type === PING);
    assert.equal(pong?.data.readUInt32BE(0), 7);
    const errors: Error[] = [];
    session.on("error", (e: Error) => errors.push(e));
    const v2 = Buffer.from([0x80, 0x02, 0x00, 0x06, 0, 0, 0, 4, 0, 0, 0, 1]);
    toServer.write(v2);
    await tick();
    assert.match(errors[0]?.message ?? "", /unsupported SPDY version 2/);
  });
});
