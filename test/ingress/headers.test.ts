import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  downstreamResponseHeaders,
  plainAddress,
  upstreamRequestHeaders,
} from "../../src/ingress/headers.js";

const client = { clientIp: "192.0.2.7", proto: "https" as const, port: 443, upgrade: false };

function asPairs(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) out.push(`${raw[i]}: ${raw[i + 1]}`);
  return out;
}

describe("proxy headers", () => {
  it("drops hop-by-hop headers and those Connection lists, keeps the rest in order", () => {
    const raw = [
      "Host",
      "app.example.com",
      "Connection",
      "keep-alive, X-Secret",
      "Keep-Alive",
      "timeout=5",
      "X-Secret",
      "1",
      "Transfer-Encoding",
      "chunked",
      "Expect",
      "100-continue",
      "Cookie",
      "a=1",
      "Cookie",
      "b=2",
    ];
    assert.deepEqual(asPairs(upstreamRequestHeaders(raw, client)), [
      "Host: app.example.com",
      "Cookie: a=1",
      "Cookie: b=2",
      "X-Forwarded-For: 192.0.2.7",
      "X-Forwarded-Proto: https",
      "X-Forwarded-Host: app.example.com",
      "X-Forwarded-Port: 443",
      "X-Real-IP: 192.0.2.7",
    ]);
  });

  it("appends the client to X-Forwarded-For and replaces the other forwarded headers", () => {
    const raw = [
      "host",
      "h",
      "X-Forwarded-For",
      "203.0.113.1",
      "x-forwarded-for",
      "203.0.113.2",
      "X-Forwarded-Proto",
      "gopher",
      "X-Real-IP",
      "spoofed",
    ];
    const out = asPairs(upstreamRequestHeaders(raw, { ...client, proto: "http", port: 80 }));
    assert.ok(out.includes("X-Forwarded-For: 203.0.113.1, 203.0.113.2, 192.0.2.7"), out.join("\n"));
    assert.ok(out.includes("X-Forwarded-Proto: http"));
    assert.ok(out.includes("X-Real-IP: 192.0.2.7"));
    assert.equal(out.filter((h) => /^x-forwarded-proto/i.test(h)).length, 1);
  });

  it("keeps Upgrade for a protocol switch and says so in Connection", () => {
    const raw = [
      "Host",
      "h",
      "Connection",
      "Upgrade",
      "Upgrade",
      "websocket",
      "Sec-WebSocket-Key",
      "k",
    ];
    const out = asPairs(upstreamRequestHeaders(raw, { ...client, upgrade: true }));
    assert.ok(out.includes("Upgrade: websocket"));
    assert.ok(out.includes("Connection: Upgrade"));
    assert.ok(out.includes("Sec-WebSocket-Key: k"));
    const res = ["Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Accept", "a"];
    assert.deepEqual(downstreamResponseHeaders(res, { upgrade: true }), res);
  });

  it("strips hop-by-hop headers from responses but keeps repeated Set-Cookie", () => {
    const raw = [
      "Set-Cookie",
      "a=1",
      "Set-Cookie",
      "b=2",
      "Transfer-Encoding",
      "chunked",
      "Connection",
      "close",
    ];
    assert.deepEqual(downstreamResponseHeaders(raw, { upgrade: false }), [
      "Set-Cookie",
      "a=1",
      "Set-Cookie",
      "b=2",
    ]);
  });

  it("reports IPv4-mapped client addresses plainly", () => {
    assert.equal(plainAddress("::ffff:127.0.0.1"), "127.0.0.1");
    assert.equal(plainAddress("::1"), "::1");
  });
});
