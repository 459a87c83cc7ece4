/**
 * HTTPS requests to a test API server without kubectl: as admin (the
 * admin kubeconfig's client certificate), anonymously, or with a bearer
 * token, with any body, content type and Accept header, to check replies
 * on the wire.
 */
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { parse } from "yaml";

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => Record<string, unknown>;
}

export interface AdminTls {
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** The CA and the admin client certificate of a kubeconfig with embedded data. */
export function adminTls(kubeconfigPath: string): AdminTls {
  const kc = parse(readFileSync(kubeconfigPath, "utf8"));
  const b64 = (s: string) => Buffer.from(s, "base64");
  return {
    ca: b64(kc.clusters[0].cluster["certificate-authority-data"]),
    cert: b64(kc.users[0].user["client-certificate-data"]),
    key: b64(kc.users[0].user["client-key-data"]),
  };
}

export interface CallOptions {
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as is (wins over body). */
  readonly rawBody?: string;
  readonly contentType?: string;
  /** `admin` (default), `none` (anonymous) or a bearer token. */
  readonly auth?: string;
  readonly accept?: string;
}

/** A `method path` request to the API server on 127.0.0.1:`port`. */
export function apiCall(
  target: { port: number; tls: AdminTls },
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<Reply> {
  const auth = opts.auth ?? "admin";
  const payload = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: target.port,
        method,
        path,
        ca: target.tls.ca,
        ...(auth === "admin" ? { cert: target.tls.cert, key: target.tls.key } : {}),
        headers: {
          "content-type": opts.contentType ?? "application/json",
          accept: opts.accept ?? "application/json",
          ...(payload !== undefined ? { "content-length": Buffer.byteLength(payload) } : {}),
          ...(auth !== "admin" && auth !== "none" ? { authorization: `Bearer ${auth}` } : {}),
        },
      },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => {
          text += d.toString();
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}
