/**
 * Kubernetes' protobuf encoding (application/vnd.kubernetes.protobuf), the
 * body kubectl's typed clients send: the 4-byte magic `k8s\0`, then a
 * runtime.Unknown envelope {typeMeta = 1 {apiVersion = 1, kind = 2},
 * raw = 2, contentEncoding = 3, contentType = 4} whose `raw` is the object's
 * own generated.proto message. decodeKubeProtobuf turns such a body into the
 * JSON object upstream's JSON encoding writes for the same object.
 */
import { ProtobufDecodeError } from "./errors.js";
import { collectFields, lengthDelimited, type RawFields, scalarValue } from "./fields.js";
import { decodeMessage } from "./message.js";
import { EVERY_GROUP_VERSION_KINDS, KINDS } from "./messages.js";

export { ProtobufDecodeError } from "./errors.js";

export const KUBE_PROTOBUF_CONTENT_TYPE = "application/vnd.kubernetes.protobuf";

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

export interface DecodeOptions {
  /**
   * apiVersion and kind to assume when the envelope leaves them empty, as
   * upstream fills them from the endpoint (e.g. `{ apiVersion: "v1", kind:
   * "ConfigMap" }` for POST /api/v1/namespaces/x/configmaps). Default: none,
   * so an envelope without them is an error.
   */
  readonly defaults?: { readonly apiVersion?: string; readonly kind?: string };
}

/** Decodes a `k8s\0`-prefixed protobuf body; throws ProtobufDecodeError if malformed. */
export function decodeKubeProtobuf(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedObject {
  if (bytes.length === 0) throw new ProtobufDecodeError("empty body");
  if (bytes.length < MAGIC.length || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new ProtobufDecodeError(
      "provided data does not appear to be a protobuf message, expected prefix k8s\\x00",
    );
  }
  if (bytes.length === MAGIC.length) throw new ProtobufDecodeError("empty body after prefix");
  const envelope = collectFields(bytes.subarray(MAGIC.length));
  const typeMeta = collectFields(lastBytes(envelope, 1) ?? new Uint8Array(0));
  const apiVersion = stringField(typeMeta, 1) || opts.defaults?.apiVersion || "";
  const kind = stringField(typeMeta, 2) || opts.defaults?.kind || "";
  if (kind === "")
    throw new ProtobufDecodeError("Object 'Kind' is missing in the protobuf envelope");
  if (apiVersion === "") {
    throw new ProtobufDecodeError("Object 'apiVersion' is missing in the protobuf envelope");
  }
  const encoding = stringField(envelope, 3);
  if (encoding !== "") throw new ProtobufDecodeError(`unsupported content encoding ${encoding}`);

  const fqn = messageFor(apiVersion, kind);
  const decoded = decodeMessage(
    { fqn, bytes: lastBytes(envelope, 2) ?? new Uint8Array(0) },
    { object: (inner) => decodeKubeProtobuf(inner).object },
  );
  const object = { apiVersion, kind, ...(decoded as Record<string, unknown>) };
  return { apiVersion, kind, object };
}

/** The message name of a kind, or undefined when k8ts knows no protobuf form for it. */
export function protobufMessageFor(apiVersion: string, kind: string): string | undefined {
  const key = `${apiVersion}/${kind}`;
  if (Object.hasOwn(KINDS, key)) return KINDS[key];
  return Object.hasOwn(EVERY_GROUP_VERSION_KINDS, kind)
    ? EVERY_GROUP_VERSION_KINDS[kind]
    : undefined;
}

function messageFor(apiVersion: string, kind: string): string {
  const fqn = protobufMessageFor(apiVersion, kind);
  if (!fqn) {
    throw new ProtobufDecodeError(
      `no kind "${kind}" is registered for version "${apiVersion}" in protobuf form`,
    );
  }
  return fqn;
}

function lastBytes(fields: RawFields, n: number): Uint8Array | undefined {
  const list = fields.get(n);
  if (!list) return undefined;
  return lengthDelimited(list, `runtime.Unknown field ${n}`).at(-1);
}

function stringField(fields: RawFields, n: number): string {
  const raw = fields.get(n)?.at(-1);
  return raw ? (scalarValue(raw, { type: "string", where: `field ${n}` }) as string) : "";
}
