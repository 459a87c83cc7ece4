import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeKubeProtobuf } from "../../../src/api/proto/decode.js";
import { bytes, double, entry, envelope, int, msg, str } from "./writer.js";

const utf8 = new TextEncoder();
const meta = (name: string, more: Uint8Array[] = []) =>
  msg(1, [str(1, name), str(3, "default"), ...more]);
const intOrString = (field: number, value: number | string) =>
  msg(field, typeof value === "number" ? [int(1, 0), int(2, value)] : [int(1, 1), str(3, value)]);

describe("decodeKubeProtobuf", () => {
  it("decodes a ConfigMap with data and namespaced metadata", () => {
    const body = envelope({ apiVersion: "v1", kind: "ConfigMap" }, [
      meta("cfg"),
      entry(2, { key: "a", value: str(2, "b") }),
    ]);
    assert.deepEqual(decodeKubeProtobuf(body), {
      apiVersion: "v1",
      kind: "ConfigMap",
      object: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "cfg", namespace: "default" },
        data: { a: "b" },
      },
    });
  });

  it("writes Secret data values as base64 and keeps the type", () => {
    const body = envelope({ apiVersion: "v1", kind: "Secret" }, [
      meta("creds"),
      entry(2, { key: "username.txt", value: bytes(2, utf8.encode("admin")) }),
      str(3, "Opaque"),
    ]);
    assert.deepEqual(decodeKubeProtobuf(body).object, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "creds", namespace: "default" },
      data: { "username.txt": "YWRtaW4=" },
      type: "Opaque",
    });
  });

  it("decodes a NodePort Service with an integer targetPort", () => {
    const port = msg(1, [str(1, "80-8080"), str(2, "TCP"), int(3, 80), intOrString(4, 8080)]);
    const body = envelope({ apiVersion: "v1", kind: "Service" }, [
      meta("web"),
      msg(2, [port, entry(2, { key: "app", value: str(2, "web") }), str(4, "NodePort")]),
      msg(3, [msg(1, [])]),
    ]);
    assert.deepEqual(decodeKubeProtobuf(body).object, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web", namespace: "default" },
      spec: {
        ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 }],
        selector: { app: "web" },
        type: "NodePort",
      },
      status: { loadBalancer: {} },
    });
  });

  it("writes a named targetPort as a string and an unset one as 0, as Go does", () => {
    const body = envelope({ apiVersion: "v1", kind: "Service" }, [
      meta("s"),
      msg(2, [msg(1, [int(3, 80), intOrString(4, "http")]), msg(1, [int(3, 81)])]),
    ]);
    const spec = decodeKubeProtobuf(body).object.spec as { ports: unknown[] };
    assert.deepEqual(spec.ports, [
      { port: 80, targetPort: "http" },
      { port: 81, targetPort: 0 },
    ]);
  });

  it("keeps a Deployment's replicas of 0 and drops zero non-pointer fields", () => {
    const container = msg(2, [str(1, "nginx"), str(2, "nginx"), msg(8, [])]);
    const body = envelope({ apiVersion: "apps/v1", kind: "Deployment" }, [
      meta("web"),
      msg(2, [
        int(1, 0),
        msg(2, [entry(1, { key: "app", value: str(2, "web") })]),
        msg(3, [msg(1, [entry(11, { key: "app", value: str(2, "web") })]), msg(2, [container])]),
        msg(4, []),
        int(5, 0),
        int(7, false),
      ]),
      msg(3, []),
    ]);
    assert.deepEqual(decodeKubeProtobuf(body).object, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "default" },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "nginx", image: "nginx", resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    });
  });

  it("writes non-pointer structs that were left off the wire, as Go's zero values", () => {
    const body = envelope({ apiVersion: "apps/v1", kind: "Deployment" }, [meta("bare")]);
    assert.deepEqual(decodeKubeProtobuf(body).object, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "bare", namespace: "default" },
      spec: { template: { metadata: {}, spec: {} }, strategy: {} },
      status: {},
    });
  });

  it("keeps zero values of fields without omitempty", () => {
    const body = envelope({ apiVersion: "v1", kind: "Pod" }, [
      meta("p"),
      msg(2, [msg(2, [str(1, "c"), msg(6, [int(3, 0)])])]),
    ]);
    const spec = decodeKubeProtobuf(body).object.spec as { containers: unknown[] };
    assert.deepEqual(spec.containers, [
      { name: "c", ports: [{ containerPort: 0 }], resources: {} },
    ]);
  });

  it("decodes DeleteOptions sent with any group version", () => {
    for (const apiVersion of ["v1", "apps/v1", "meta.k8s.io/v1"]) {
      const body = envelope({ apiVersion, kind: "DeleteOptions" }, [str(4, "Background")]);
      assert.deepEqual(decodeKubeProtobuf(body).object, {
        apiVersion,
        kind: "DeleteOptions",
        propagationPolicy: "Background",
      });
    }
  });

  it("keeps pointer scalars that are present even when zero", () => {
    const body = envelope({ apiVersion: "v1", kind: "DeleteOptions" }, [
      int(1, 0),
      int(3, false),
      str(5, "All"),
    ]);
    assert.deepEqual(decodeKubeProtobuf(body).object, {
      apiVersion: "v1",
      kind: "DeleteOptions",
      gracePeriodSeconds: 0,
      orphanDependents: false,
      dryRun: ["All"],
    });
  });

  it("formats Time in whole seconds, MicroTime in microseconds, and drops a zero Time", () => {
    const body = envelope({ apiVersion: "events.k8s.io/v1", kind: "Event" }, [
      msg(1, [str(1, "e"), msg(8, [])]),
      msg(2, [int(1, 1_700_000_000), int(2, 123_456_789)]),
      msg(13, [int(1, 1_700_000_000), int(2, 999_000_000)]),
    ]);
    const object = decodeKubeProtobuf(body).object;
    assert.deepEqual(object.metadata, { name: "e" });
    assert.equal(object.eventTime, "2023-11-14T22:13:20.123456Z");
    assert.equal(object.deprecatedFirstTimestamp, "2023-11-14T22:13:20Z");
    assert.deepEqual(object.regarding, {});
  });

  it("writes a Time at the Unix epoch, which Go does not treat as zero", () => {
    const body = envelope({ apiVersion: "v1", kind: "Namespace" }, [
      msg(1, [str(1, "n"), msg(8, [int(1, 0)])]),
    ]);
    const metadata = decodeKubeProtobuf(body).object.metadata as Record<string, unknown>;
    assert.equal(metadata.creationTimestamp, "1970-01-01T00:00:00Z");
  });

  it("decodes quantities in resource lists and negative int64 values", () => {
    const resources = msg(8, [
      entry(1, { key: "cpu", value: msg(2, [str(1, "500m")]) }),
      entry(2, { key: "memory", value: msg(2, [str(1, "64Mi")]) }),
    ]);
    const body = envelope({ apiVersion: "v1", kind: "Pod" }, [
      meta("p"),
      msg(2, [msg(2, [str(1, "c"), resources]), int(5, -1)]),
    ]);
    const spec = decodeKubeProtobuf(body).object.spec as Record<string, unknown>;
    assert.deepEqual(spec.containers, [
      { name: "c", resources: { limits: { cpu: "500m" }, requests: { memory: "64Mi" } } },
    ]);
    assert.equal(spec.activeDeadlineSeconds, -1);
  });

  it("promotes an embedded volume source's fields into the Volume", () => {
    const body = envelope({ apiVersion: "v1", kind: "Pod" }, [
      meta("p"),
      msg(2, [
        msg(1, [str(1, "data"), msg(2, [msg(1, [str(1, "/srv")])])]),
        msg(1, [str(1, "tmp"), msg(2, [msg(2, [msg(2, [str(1, "1Gi")])])])]),
      ]),
    ]);
    const spec = decodeKubeProtobuf(body).object.spec as Record<string, unknown>;
    assert.deepEqual(spec.volumes, [
      { name: "data", hostPath: { path: "/srv" } },
      { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
    ]);
  });

  it("promotes an embedded probe handler's fields into the Probe", () => {
    const probe = msg(10, [msg(1, [msg(2, [str(1, "/healthz"), intOrString(2, "http")])])]);
    const body = envelope({ apiVersion: "v1", kind: "Pod" }, [
      meta("p"),
      msg(2, [msg(2, [str(1, "c"), probe])]),
    ]);
    const spec = decodeKubeProtobuf(body).object.spec as { containers: unknown[] };
    assert.deepEqual(spec.containers, [
      { name: "c", livenessProbe: { httpGet: { path: "/healthz", port: "http" } }, resources: {} },
    ]);
  });

  it("reads packed and unpacked repeated numbers alike", () => {
    const packed = bytes(4, Uint8Array.from([1, 2, 0xe8, 0x07]));
    const body = envelope({ apiVersion: "v1", kind: "Pod" }, [
      meta("p"),
      msg(2, [msg(14, [packed, int(4, 5)])]),
    ]);
    const spec = decodeKubeProtobuf(body).object.spec as Record<string, unknown>;
    assert.deepEqual(spec.securityContext, { supplementalGroups: [1, 2, 1000, 5] });
  });

  it("writes named slices such as ExtraValue as plain lists", () => {
    const body = envelope({ apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview" }, [
      msg(2, [
        str(3, "alice"),
        entry(5, { key: "scopes", value: msg(2, [str(1, "a"), str(1, "b")]) }),
      ]),
    ]);
    assert.deepEqual(decodeKubeProtobuf(body).object, {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      metadata: {},
      spec: { user: "alice", extra: { scopes: ["a", "b"] } },
      status: { allowed: false },
    });
  });

  it("parses RawExtension and FieldsV1 payloads as JSON", () => {
    const fields = msg(17, [
      str(1, "kubectl"),
      str(2, "Update"),
      msg(4, [int(1, 1_700_000_000)]),
      str(6, "FieldsV1"),
      msg(7, [str(1, '{"f:data":{}}')]),
    ]);
    const body = envelope({ apiVersion: "apps/v1", kind: "ControllerRevision" }, [
      msg(1, [str(1, "rev"), fields]),
      msg(2, [str(1, '{"spec":{"template":{}}}')]),
      int(3, 2),
    ]);
    assert.deepEqual(decodeKubeProtobuf(body).object, {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: {
        name: "rev",
        managedFields: [
          {
            manager: "kubectl",
            operation: "Update",
            time: "2023-11-14T22:13:20Z",
            fieldsType: "FieldsV1",
            fieldsV1: { "f:data": {} },
          },
        ],
      },
      data: { spec: { template: {} } },
      revision: 2,
    });
  });

  it("decodes a RawExtension that holds a protobuf object", () => {
    const inner = envelope({ apiVersion: "v1", kind: "ConfigMap" }, [msg(1, [str(1, "x")])]);
    const body = envelope({ apiVersion: "apps/v1", kind: "ControllerRevision" }, [
      msg(1, [str(1, "rev")]),
      msg(2, [bytes(1, inner)]),
    ]);
    assert.deepEqual(decodeKubeProtobuf(body).object.data, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "x" },
    });
  });

  it("decodes a CRD schema with its JSON, bool and array unions", () => {
    const props = (fields: Uint8Array[]) => fields;
    const schema = props([
      str(5, "object"),
      entry(29, {
        key: "size",
        value: msg(2, [str(5, "integer"), double(9, 10), msg(8, [str(1, "3")])]),
      }),
      entry(29, {
        key: "tags",
        value: msg(2, [str(5, "array"), msg(24, [msg(1, [str(5, "string")])])]),
      }),
      entry(29, {
        key: "mode",
        value: msg(2, [str(5, "string"), msg(20, [str(1, '"a"')]), msg(20, [str(1, '"b"')])]),
      }),
      msg(30, [int(1, false)]),
      int(38, true),
      str(3, "#/definitions/x"),
    ]);
    const version = msg(7, [str(1, "v1"), int(2, true), int(3, true), msg(4, [msg(1, schema)])]);
    const body = envelope(
      { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" },
      [
        msg(1, [str(1, "widgets.example.com")]),
        msg(2, [
          str(1, "example.com"),
          msg(3, [str(1, "widgets"), str(4, "Widget")]),
          str(4, "Namespaced"),
          version,
        ]),
      ],
    );
    const object = decodeKubeProtobuf(body).object as { spec: { versions: unknown[] } };
    assert.deepEqual(object.spec.versions, [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            $ref: "#/definitions/x",
            properties: {
              size: { type: "integer", maximum: 10, default: 3 },
              tags: { type: "array", items: { type: "string" } },
              mode: { type: "string", enum: ["a", "b"] },
            },
            additionalProperties: false,
            "x-kubernetes-preserve-unknown-fields": true,
          },
        },
      },
    ]);
    assert.deepEqual(object.spec, {
      group: "example.com",
      names: { plural: "widgets", kind: "Widget" },
      scope: "Namespaced",
      versions: object.spec.versions,
    });
  });

  it("merges repeated occurrences of a singular message, as protobuf does", () => {
    const body = envelope({ apiVersion: "v1", kind: "ConfigMap" }, [
      msg(1, [str(1, "first")]),
      msg(1, [str(3, "ns")]),
    ]);
    assert.deepEqual(decodeKubeProtobuf(body).object.metadata, { name: "first", namespace: "ns" });
  });

  it("skips fields it does not know", () => {
    const body = envelope({ apiVersion: "v1", kind: "ConfigMap" }, [
      meta("cfg"),
      str(99, "future"),
      int(100, 7),
      double(101, 1.5),
    ]);
    assert.deepEqual(decodeKubeProtobuf(body).object, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg", namespace: "default" },
    });
  });

  it("fills an empty apiVersion and kind from the caller's defaults", () => {
    const body = envelope({ apiVersion: "", kind: "" }, [meta("cfg")]);
    const decoded = decodeKubeProtobuf(body, { defaults: { apiVersion: "v1", kind: "ConfigMap" } });
    assert.equal(decoded.kind, "ConfigMap");
    assert.deepEqual(decoded.object.metadata, { name: "cfg", namespace: "default" });
  });
});
