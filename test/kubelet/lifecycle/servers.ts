/** Loopback servers for the action tests. */
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { createCA, issue } from "../../../src/pki/certs.js";

export interface TestServer {
  port: number;
  /** Requests seen, in order. */
  requests: http.IncomingMessage[];
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function wrap(server: http.Server | https.Server, handler: Handler): Promise<TestServer> {
  const requests: http.IncomingMessage[] = [];
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push(req);
    handler(req, res);
  });
  return listen(server).then((port) => ({
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }));
}

export function httpServer(handler: Handler): Promise<TestServer> {
  return wrap(http.createServer(), handler);
}

/** An HTTPS server with a certificate from a throwaway CA nobody trusts. */
export async function httpsServer(handler: Handler): Promise<TestServer> {
  const ca = await createCA({ commonName: "probe-test-ca" });
  const pair = await issue(ca, {
    commonName: "127.0.0.1",
    ipAddresses: ["127.0.0.1"],
    usage: "server",
  });
  return wrap(https.createServer({ cert: pair.cert, key: pair.key }), handler);
}

/** A port nothing listens on (a moment ago). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
