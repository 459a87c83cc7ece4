import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeKubeProtobuf, ProtobufDecodeError } from "../../../src/api/proto/decode.js";
import { concatBytes, envelope, int, msg, str } from "./writer.js";

const MAGIC = Uint8Array.from([0x6b, 0x38, 0x73, 0x00]);

function rejects(body: Uint8Array, message: RegExp): void {
  assert.throws(
    () => decodeKubeProtobuf(body),
    (err: unknown) =>
      err instanceof ProtobufDecodeError && err.code === 400 && message.test(err.message),
  );
}

describe("decodeKubeProtobuf rejects malformed bodies", () => {
  it("rejects an empty body", () => rejects(new Uint8Array(0), /empty body/));

  it("rejects a body without the k8s magic", () => {
    rejects(new TextEncoder().encode('{"kind":"Pod"}'), /expected prefix/);
  });

  it("rejects the magic alone", () => rejects(MAGIC, /empty body/));

  it("rejects a truncated varint", () => {
    rejects(concatBytes([MAGIC, Uint8Array.from([0x0a, 0x80])]), /end of data inside a varint/);
  });

  it("rejects a length that runs past the end", () => {
    rejects(concatBytes([MAGIC, Uint8Array.from([0x0a, 0x10, 0x0a])]), /past the end/);
  });

  it("rejects field number zero", () => {
    rejects(concatBytes([MAGIC, Uint8Array.from([0x02, 0x00])]), /invalid field number 0/);
  });

  it("rejects an envelope without a kind", () => {
    rejects(envelope({ apiVersion: "v1", kind: "" }, []), /Kind' is missing/);
  });

  it("rejects a kind it has no message for", () => {
    rejects(envelope({ apiVersion: "example.com/v1", kind: "Widget" }, []), /no kind "Widget"/);
  });

  it("rejects kinds named like Object.prototype members", () => {
    rejects(envelope({ apiVersion: "v1", kind: "constructor" }, []), /no kind "constructor"/);
  });

  it("rejects a field sent with the wrong wire type", () => {
    rejects(
      envelope({ apiVersion: "v1", kind: "ConfigMap" }, [int(1, 5)]),
      /expected a length-delimited/,
    );
    rejects(
      envelope({ apiVersion: "apps/v1", kind: "Deployment" }, [msg(2, [str(1, "three")])]),
      /wire type 2 does not match int32/,
    );
  });

  it("rejects an IntOrString of an impossible type", () => {
    const port = msg(1, [int(3, 80), msg(4, [int(1, 7)])]);
    rejects(envelope({ apiVersion: "v1", kind: "Service" }, [msg(2, [port])]), /impossible type 7/);
  });

  it("rejects a RawExtension that is not JSON", () => {
    const body = envelope({ apiVersion: "apps/v1", kind: "ControllerRevision" }, [
      msg(2, [str(1, "{not json")]),
    ]);
    rejects(body, /does not hold valid JSON/);
  });

  it("rejects a content encoding it cannot undo", () => {
    const body = concatBytes([MAGIC, msg(1, [str(1, "v1"), str(2, "ConfigMap")]), str(3, "gzip")]);
    rejects(body, /unsupported content encoding gzip/);
  });

  it("rejects absurdly deep nesting instead of overflowing the stack", () => {
    let schema: Uint8Array = str(5, "object");
    for (let i = 0; i < 600; i++) schema = msg(28, [schema]);
    const crd = msg(2, [msg(7, [msg(4, [msg(1, [schema])])])]);
    rejects(
      envelope({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" }, [crd]),
      /nested deeper/,
    );
  });
});
