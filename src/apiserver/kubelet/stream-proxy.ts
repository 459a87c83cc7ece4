/**
 * pods/exec, pods/attach and pods/portforward: the API server finds the
 * pod's kubelet and relays the client's upgraded connection (WebSocket,
 * which kubectl 1.30+ speaks) to it byte for byte over TLS with its
 * kubelet-client certificate, as upstream's UpgradeAwareHandler does.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { connect } from "node:tls";
import type { KubeObject } from "../../api/strategy.js";
import type { KeyPairPem } from "../../pki/certs.js";
import { ApiError, badRequest, internalError, methodNotAllowed } from "../status.js";
import { kubeletLocation, logContainer } from "./location.js";

/** Headers of the client's upgrade the kubelet must see. */
const FORWARDED = [
  "upgrade",
  "connection",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-protocol",
  "sec-websocket-extensions",
  "x-stream-protocol-version",
];

const BOOL_PARAMS: Record<string, string> = {
  stdin: "input",
  stdout: "output",
  stderr: "error",
  tty: "tty",
};

/** The kubelet path for a streaming subresource (upstream ExecLocation / PortForwardLocation). */
export function kubeletStreamPath(
  subresource: string,
  pod: KubeObject,
  query: URLSearchParams,
): string {
  const meta = pod.metadata ?? {};
  const ns = encodeURIComponent(meta.namespace ?? "");
  const name = encodeURIComponent(meta.name ?? "");
  if (subresource === "portforward") {
    const q = new URLSearchParams();
    for (const p of query.getAll("ports")) q.append("port", p);
    return `/portForward/${ns}/${name}${q.size ? `?${q}` : ""}`;
  }
  const container = encodeURIComponent(logContainer(pod as never, query.get("container")));
  const q = new URLSearchParams();
  for (const [from, to] of Object.entries(BOOL_PARAMS)) {
    const v = query.get(from);
    if (v === "true" || v === "1") q.set(to, "1");
  }
  if (subresource === "exec") {
    const command = query.getAll("command");
    if (command.length === 0) throw badRequest("you must specify at least 1 command");
    for (const c of command) q.append("command", c);
  }
  return `/${subresource}/${ns}/${name}/${container}?${q}`;
}

export function writeUpgradeError(socket: Duplex, err: unknown): void {
  const apiErr =
    err instanceof ApiError ? err : internalError(err instanceof Error ? err.message : String(err));
  const body = JSON.stringify(apiErr.status);
  socket.end(
    `HTTP/1.1 ${apiErr.code} ${apiErr.status.reason ?? "Error"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export async function proxyStream(r: {
  readonly req: IncomingMessage;
  readonly socket: Duplex;
  readonly head: Buffer;
  readonly verb: string;
  readonly subresource: string;
  readonly pod: KubeObject;
  readonly node: (name: string) => Promise<KubeObject>;
  readonly query: URLSearchParams;
  readonly client: KeyPairPem | undefined;
}): Promise<void> {
  if (!["get", "create", "connect"].includes(r.verb)) throw methodNotAllowed();
  const spec = (r.pod as { spec?: { nodeName?: string } }).spec;
  const nodeName = spec?.nodeName;
  if (!nodeName)
    throw badRequest(`pod ${r.pod.metadata?.name ?? ""} does not have a host assigned`);
  const path = kubeletStreamPath(r.subresource, r.pod, r.query);
  const { host, port } = kubeletLocation(nodeName, (await r.node(nodeName)) as never);
  if (!r.client) throw internalError("the API server has no kubelet client certificate");
  const upstream = connect({
    host,
    port,
    cert: r.client.cert,
    key: r.client.key,
    // The kubelet's certificate is self-signed (upstream: no --kubelet-certificate-authority).
    rejectUnauthorized: false,
    servername: /^[\d.]+$|:/.test(host) ? "" : host,
  });
  await new Promise<void>((resolve, reject) => {
    upstream.once("secureConnect", resolve);
    upstream.once("error", (err) =>
      reject(internalError(`dial kubelet ${host}:${port}: ${err.message}`)),
    );
  });
  let head = `${r.req.method ?? "GET"} ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\n`;
  for (const name of FORWARDED) {
    const v = r.req.headers[name];
    if (v !== undefined) head += `${name}: ${Array.isArray(v) ? v.join(", ") : v}\r\n`;
  }
  upstream.write(`${head}\r\n`);
  if (r.head.length) upstream.write(r.head);
  upstream.pipe(r.socket);
  r.socket.pipe(upstream);
  const done = () => {
    upstream.destroy();
    r.socket.destroy();
  };
  upstream.on("error", done);
  upstream.on("close", done);
  r.socket.on("error", done);
  r.socket.on("close", done);
}
