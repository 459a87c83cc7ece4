import { readFileSync } from "node:fs";
import { Agent, request } from "node:https";
import { parse } from "yaml";

export interface Client {
  call(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<{ status: number; body: string }>;
  /** Opens a watch; `onEvent` gets each JSON line. Returns a function that closes it. */
  watch(path: string, onEvent: (line: string) => void): Promise<() => void>;
  readonly agent: Agent;
}

/** An HTTPS client with the admin credentials of a kubeconfig and a keep-alive pool. */
export function clientFor(kubeconfig: string, maxSockets: number): Client {
  const kc = parse(readFileSync(kubeconfig, "utf8"));
  const cluster = kc.clusters[0].cluster;
  const user = kc.users[0].user;
  const url = new URL(cluster.server);
  const b64 = (s: string) => Buffer.from(s, "base64");
  const tls = {
    ca: b64(cluster["certificate-authority-data"]),
    cert: b64(user["client-certificate-data"]),
    key: b64(user["client-key-data"]),
  };
  const agent = new Agent({ keepAlive: true, maxSockets, ...tls });
  // Watches hold their connection: each gets its own socket.
  const watchAgent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY, ...tls });
  const opts = (method: string, path: string, contentType = "application/json") => ({
    host: url.hostname,
    port: url.port,
    method,
    path,
    agent,
    headers: { "content-type": contentType, accept: "application/json" },
  });
  return {
    agent,
    call(method, path, body, contentType) {
      return new Promise((resolve, reject) => {
        const req = request(opts(method, path, contentType), (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on("error", reject);
        });
        req.on("error", reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      });
    },
    watch(path, onEvent) {
      return new Promise((resolve, reject) => {
        const req = request({ ...opts("GET", path), agent: watchAgent }, (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
            return;
          }
          let buf = "";
          res.on("data", (c: Buffer) => {
            buf += c.toString();
            let nl = buf.indexOf("\n");
            while (nl >= 0) {
              onEvent(buf.slice(0, nl));
              buf = buf.slice(nl + 1);
              nl = buf.indexOf("\n");
            }
          });
          res.on("error", () => {});
          resolve(() => req.destroy());
        });
        req.on("error", (err) => reject(err));
        req.end();
      });
    },
  };
}
