/**
 * The controller's own answers: 404 when nothing routes a request, 503
 * when its backend has no ready endpoint, 502 when the upstream failed,
 * 504 when it went quiet. Plain text, connection kept unless the body
 * could not be drained.
 */
import { type ServerResponse, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

export function reply(res: ServerResponse, answer: { status: number; message: string }): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `${answer.status} ${STATUS_CODES[answer.status] ?? ""}: ${answer.message}\n`;
  res.writeHead(answer.status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** The same answer written on a socket that asked for an upgrade, then closed. */
export function replyRaw(socket: Duplex, answer: { status: number; message: string }): void {
  const body = `${answer.status} ${STATUS_CODES[answer.status] ?? ""}: ${answer.message}\n`;
  const head = [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ""}`,
    "Content-Type: text/plain; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
  ];
  socket.end(`${head.join("\r\n")}\r\n\r\n${body}`);
}

/** A response head as bytes, for relaying a status line and raw headers onto a socket. */
export function rawHead(status: { code: number; message: string }, raw: readonly string[]): string {
  const lines = [`HTTP/1.1 ${status.code} ${status.message}`];
  for (let i = 0; i + 1 < raw.length; i += 2) lines.push(`${raw[i]}: ${raw[i + 1]}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

export const NOT_FOUND = { status: 404, message: "default backend - no ingress rule matched" };
