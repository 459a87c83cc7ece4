import type { IncomingMessage } from "node:http";
import { parse as parseYaml } from "yaml";
import {
  decodeKubeProtobuf,
  KUBE_PROTOBUF_CONTENT_TYPE,
  ProtobufDecodeError,
} from "../../api/proto/decode.js";
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from "../status.js";

/** Upstream's request body limit (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY_BYTES)
      throw requestEntityTooLarge(`the request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/**
 * The JSON text each decoded body object came from, kept (weakly) so that
 * fieldValidation=Strict|Warn can look for duplicate fields, which
 * JSON.parse silently resolves (last wins). Scanning is left to the caller
 * that knows the directive, so Ignore costs nothing.
 */
const sources = new WeakMap<object, string>();

/** The JSON text `obj` was decoded from, if decodeBody made it; forgotten once taken. */
export function takeBodySource(obj: unknown): string | undefined {
  if (obj === null || typeof obj !== "object") return undefined;
  const text = sources.get(obj);
  if (text !== undefined) sources.delete(obj);
  return text;
}

/**
 * Moves the JSON text `from` was decoded from onto `to`: a body converted
 * to its stored version on the way in is still checked against the text
 * the client sent (duplicates are found in the served form, as upstream
 * decodes before it converts).
 */
export function carryBodySource(from: unknown, to: unknown): void {
  if (from === to || to === null || typeof to !== "object") return;
  const text = takeBodySource(from);
  if (text !== undefined) sources.set(to, text);
}

const BODY_TYPES = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];

/**
 * Decodes a request body: JSON (the default), YAML, or Kubernetes protobuf
 * (what kubectl's typed commands send). `expected` names the endpoint's
 * apiVersion and kind, which a protobuf envelope may leave out.
 */
export function decodeBody(
  body: Buffer,
  contentType: string | undefined,
  expected?: { apiVersion: string; kind: string },
): unknown {
  const base = (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
  if (base === KUBE_PROTOBUF_CONTENT_TYPE) {
    try {
      return decodeKubeProtobuf(body, expected ? { defaults: expected } : {}).object;
    } catch (err) {
      if (err instanceof ProtobufDecodeError)
        throw badRequest(`the body of the request could not be decoded: ${err.message}`);
      throw err;
    }
  }
  const text = body.toString("utf8");
  if (text.trim() === "") throw badRequest("the request body is empty");
  if (base === "application/json" || base === "" || base === "*/*") {
    try {
      const value: unknown = JSON.parse(text);
      if (value !== null && typeof value === "object") sources.set(value, text);
      return value;
    } catch (err) {
      throw badRequest(
        `the body of the request could not be decoded: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  if (base === "application/yaml" || base === "application/x-yaml") {
    try {
      return parseYaml(text);
    } catch (err) {
      throw badRequest(
        `the body of the request could not be decoded: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  throw unsupportedMediaType(BODY_TYPES);
}
