// Tiny HTTP backends for the system suite: each answers with its name and
// the request it saw (JSON), streams a POST body back as it arrives, and
// accepts WebSocket-style upgrades by echoing bytes.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";

export interface TestBackend {
  readonly name: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface Seen {
  readonly backend: string;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
}

export async function startBackend(name: string): Promise<TestBackend> {
  const sockets = new Set<Duplex>();
  const server: Server = createServer((req, res) => {
    if (req.method === "POST" && req.url === "/echo") {
      // Answer at once and echo every chunk as it comes, so a proxy that buffers would stall.
      res.writeHead(200, { "content-type": "application/octet-stream", "x-backend": name });
      res.flushHeaders();
      req.pipe(res);
      return;
    }
    const seen: Seen = {
      backend: name,
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
    };
    const body = JSON.stringify(seen);
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "set-cookie": ["a=1", "b=2"] });
      res.end(body);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("upgrade", (req, socket, head) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.write(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n" +
        `X-Backend: ${name}\r\nX-Seen-Host: ${req.headers.host}\r\n\r\n`,
    );
    if (head.length > 0) socket.write(head);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    name,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
