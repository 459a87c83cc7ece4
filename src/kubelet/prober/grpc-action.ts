/**
 * gRPC probes: the standard health check (grpc.health.v1.Health/Check) over
 * cleartext HTTP/2 to the pod IP, as upstream's pkg/probe/grpc, without a
 * gRPC library: the request and response messages are one field each.
 */
import * as http2 from "node:http2";
import type { GRPCAction } from "kubernetes-types/core/v1.js";
import type { ActionResult } from "../lifecycle/action-result.js";
import { joinHostPort } from "../lifecycle/port.js";
import { userAgent } from "../lifecycle/user-agent.js";

const SERVING_STATUS = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];
const UNIMPLEMENTED = 12;
const DEADLINE_EXCEEDED = 4;

/** Success when the service answers SERVING; anything else is a failure with upstream's wording. */
export function runGrpcAction(
  action: GRPCAction,
  podIP: string,
  timeoutSeconds: number,
  signal?: AbortSignal,
): Promise<ActionResult> {
  const addr = joinHostPort(podIP, action.port);
  const service = action.service ?? "";
  const timeout = `${timeoutSeconds}s`;
  if (signal?.aborted) {
    return Promise.resolve({ ok: false, output: "", error: "grpc probe cancelled" });
  }
  return new Promise((resolve) => {
    let connected = false;
    let settled = false;
    const session = http2.connect(`http://${addr}`);
    const finish = (result: ActionResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      session.destroy();
      resolve(result);
    };
    const onAbort = () => finish({ ok: false, output: "", error: "grpc probe cancelled" });
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          timedOut: true,
          output: connected
            ? `timeout: health rpc did not complete within ${timeout}`
            : `timeout: failed to connect service ${JSON.stringify(addr)} within ${timeout}: context deadline exceeded`,
        }),
      timeoutSeconds * 1000,
    );
    signal?.addEventListener("abort", onAbort, { once: true });
    const onError = (err: Error) => {
      const cause = (err as { cause?: unknown }).cause;
      const root = (cause instanceof Error ? cause : err) as NodeJS.ErrnoException;
      finish({
        ok: false,
        output: connected
          ? `error: health rpc probe failed: ${root.message}`
          : `error: failed to connect service at ${JSON.stringify(addr)}: ${dialError(root, addr)}`,
      });
    };
    session.on("error", onError);
    session.on("connect", () => {
      connected = true;
    });
    const request = session.request({
      ":method": "POST",
      ":path": "/grpc.health.v1.Health/Check",
      "content-type": "application/grpc",
      te: "trailers",
      "grpc-timeout": `${Math.max(1, Math.ceil(timeoutSeconds * 1000))}m`,
      "user-agent": userAgent("probe"),
    });
    const chunks: Buffer[] = [];
    let status: number | undefined;
    let message = "";
    const readStatus = (headers: http2.IncomingHttpHeaders) => {
      const value = headers["grpc-status"];
      if (value !== undefined) status = Number(value);
      const text = headers["grpc-message"];
      if (typeof text === "string") message = percentDecoded(text);
    };
    request.on("response", readStatus);
    request.on("trailers", readStatus);
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("error", onError);
    request.on("end", () => finish(verdict(status, message, Buffer.concat(chunks))));
    request.end(frame(service));
  });
}

function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function dialError(err: NodeJS.ErrnoException, addr: string): string {
  if (err.code === "ECONNREFUSED") return `dial tcp ${addr}: connect: connection refused`;
  return err.message;
}

function verdict(status: number | undefined, message: string, body: Buffer): ActionResult {
  if (status === UNIMPLEMENTED) {
    return {
      ok: false,
      output: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${message}`,
    };
  }
  if (status === DEADLINE_EXCEEDED) {
    return { ok: false, output: "timeout: health rpc did not complete", timedOut: true };
  }
  if (status !== 0) {
    return {
      ok: false,
      output: `error: health rpc probe failed: rpc error: code = ${status ?? "Unknown"} desc = ${message}`,
    };
  }
  const serving = servingStatus(body);
  if (serving === 1) return { ok: true, output: "service healthy" };
  const name = SERVING_STATUS[serving ?? 0] ?? String(serving);
  return { ok: false, output: `service unhealthy (responded with ${JSON.stringify(name)})` };
}

/** A length-prefixed gRPC message holding HealthCheckRequest{service}. */
function frame(service: string): Buffer {
  const name = Buffer.from(service, "utf8");
  const message =
    name.length === 0
      ? Buffer.alloc(0)
      : Buffer.concat([Buffer.from([0x0a]), varint(name.length), name]);
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** The `status` field (1, varint) of the HealthCheckResponse in a gRPC response body; 0 when absent. */
function servingStatus(body: Buffer): number | undefined {
  if (body.length < 5) return undefined;
  const length = body.readUInt32BE(1);
  const message = body.subarray(5, 5 + length);
  let i = 0;
  let status = 0;
  while (i < message.length) {
    const [key, next] = readVarint(message, i);
    i = next;
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) {
      const [value, after] = readVarint(message, i);
      i = after;
      if (field === 1) status = value;
    } else if (wire === 2) {
      const [len, after] = readVarint(message, i);
      i = after + len;
    } else {
      return undefined;
    }
  }
  return status;
}

function readVarint(buf: Buffer, start: number): [number, number] {
  let value = 0;
  let shift = 0;
  let i = start;
  while (i < buf.length) {
    const byte = buf[i] as number;
    i++;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
  }
  return [value, i];
}
