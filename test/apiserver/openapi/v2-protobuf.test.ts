import assert from "node:assert/strict";
import { describe, it } from "node:test";
import protobuf from "protobufjs";
import { parse as parseYaml } from "yaml";
import { BUILTIN_RESOURCES } from "../../../src/api/resources.js";
import { buildOpenAPIV2 } from "../../../src/apiserver/openapi/v2.js";
import {
  encodeOpenAPIV2Protobuf,
  OpenAPIV2ProtobufError,
} from "../../../src/apiserver/openapi/v2-protobuf.js";
import { toYaml } from "../../../src/apiserver/openapi/v2-protobuf-yaml.js";

type Json = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: decoded protobuf messages are read by path
type Msg = Record<string, any>;

/**
 * The messages of gnostic's openapiv2/OpenAPIv2.proto this test decodes,
 * written out independently of the encoder (names and numbers are the
 * published schema's). Any.value (google.protobuf.Any) is left out.
 */
const PROTO = `
syntax = "proto3";
package openapi.v2;
message AdditionalPropertiesItem { oneof oneof { Schema schema = 1; bool boolean = 2; } }
message Any { string yaml = 2; }
message ApiKeySecurity { string type = 1; string name = 2; string in = 3; string description = 4; repeated NamedAny vendor_extension = 5; }
message BodyParameter { string description = 1; string name = 2; string in = 3; bool required = 4; Schema schema = 5; repeated NamedAny vendor_extension = 6; }
message Definitions { repeated NamedSchema additional_properties = 1; }
message Document {
  string swagger = 1; Info info = 2; string host = 3; string base_path = 4;
  repeated string schemes = 5; repeated string consumes = 6; repeated string produces = 7;
  Paths paths = 8; Definitions definitions = 9;
  repeated SecurityRequirement security = 12; SecurityDefinitions security_definitions = 13;
  repeated NamedAny vendor_extension = 16;
}
message Info { string title = 1; string version = 2; string description = 3; repeated NamedAny vendor_extension = 7; }
message ItemsItem { repeated Schema schema = 1; }
message JsonReference { string _ref = 1; string description = 2; }
message NamedAny { string name = 1; Any value = 2; }
message NamedPathItem { string name = 1; PathItem value = 2; }
message NamedResponseValue { string name = 1; ResponseValue value = 2; }
message NamedSchema { string name = 1; Schema value = 2; }
message NamedSecurityDefinitionsItem { string name = 1; SecurityDefinitionsItem value = 2; }
message NamedStringArray { string name = 1; StringArray value = 2; }
message NonBodyParameter { oneof oneof {
  HeaderParameterSubSchema header_parameter_sub_schema = 1;
  FormDataParameterSubSchema form_data_parameter_sub_schema = 2;
  QueryParameterSubSchema query_parameter_sub_schema = 3;
  PathParameterSubSchema path_parameter_sub_schema = 4; } }
message HeaderParameterSubSchema { bool required = 1; string in = 2; string description = 3; string name = 4; string type = 5; }
message FormDataParameterSubSchema { bool required = 1; string in = 2; string description = 3; string name = 4; bool allow_empty_value = 5; string type = 6; }
message QueryParameterSubSchema {
  bool required = 1; string in = 2; string description = 3; string name = 4; bool allow_empty_value = 5;
  string type = 6; string format = 7; Any default = 10; double maximum = 11; int64 max_length = 15;
  bool unique_items = 20; repeated Any enum = 21; repeated NamedAny vendor_extension = 23;
}
message PathParameterSubSchema {
  bool required = 1; string in = 2; string description = 3; string name = 4; string type = 5;
  string format = 6; bool unique_items = 19; repeated NamedAny vendor_extension = 22;
}
message Operation {
  repeated string tags = 1; string summary = 2; string description = 3; string operation_id = 5;
  repeated string produces = 6; repeated string consumes = 7; repeated ParametersItem parameters = 8;
  Responses responses = 9; repeated string schemes = 10; bool deprecated = 11;
  repeated NamedAny vendor_extension = 13;
}
message Parameter { oneof oneof { BodyParameter body_parameter = 1; NonBodyParameter non_body_parameter = 2; } }
message ParametersItem { oneof oneof { Parameter parameter = 1; JsonReference json_reference = 2; } }
message PathItem {
  string _ref = 1; Operation get = 2; Operation put = 3; Operation post = 4; Operation delete = 5;
  Operation options = 6; Operation head = 7; Operation patch = 8; repeated ParametersItem parameters = 9;
  repeated NamedAny vendor_extension = 10;
}
message Paths { repeated NamedAny vendor_extension = 1; repeated NamedPathItem path = 2; }
message Properties { repeated NamedSchema additional_properties = 1; }
message Response { string description = 1; SchemaItem schema = 2; repeated NamedAny vendor_extension = 5; }
message ResponseValue { oneof oneof { Response response = 1; JsonReference json_reference = 2; } }
message Responses { repeated NamedResponseValue response_code = 1; repeated NamedAny vendor_extension = 2; }
message Schema {
  string _ref = 1; string format = 2; string title = 3; string description = 4; Any default = 5;
  double multiple_of = 6; double maximum = 7; bool exclusive_maximum = 8; double minimum = 9;
  bool exclusive_minimum = 10; int64 max_length = 11; int64 min_length = 12; string pattern = 13;
  int64 max_items = 14; int64 min_items = 15; bool unique_items = 16; int64 max_properties = 17;
  int64 min_properties = 18; repeated string required = 19; repeated Any enum = 20;
  AdditionalPropertiesItem additional_properties = 21; TypeItem type = 22; ItemsItem items = 23;
  repeated Schema all_of = 24; Properties properties = 25; string discriminator = 26;
  bool read_only = 27; Any example = 30; repeated NamedAny vendor_extension = 31;
}
message FileSchema { string format = 1; string description = 3; string type = 6; }
message SchemaItem { oneof oneof { Schema schema = 1; FileSchema file_schema = 2; } }
message SecurityDefinitions { repeated NamedSecurityDefinitionsItem additional_properties = 1; }
message SecurityDefinitionsItem { oneof oneof { ApiKeySecurity api_key_security = 2; } }
message SecurityRequirement { repeated NamedStringArray additional_properties = 1; }
message StringArray { repeated string value = 1; }
message TypeItem { repeated string value = 1; }
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
const DocumentType = root.lookupType("openapi.v2.Document");
const SchemaType = root.lookupType("openapi.v2.Schema");

function decode(bytes: Uint8Array): Msg {
  return DocumentType.toObject(DocumentType.decode(bytes), {
    longs: Number,
    oneofs: true,
    defaults: false,
  }) as Msg;
}

// ---- decoded message → swagger JSON, the inverse of gnostic's reading -------

function extensions(list: Msg[] | undefined): Json {
  const out: Json = {};
  for (const e of list ?? []) out[e.name] = parseYaml(e.value.yaml, { version: "1.1" });
  return out;
}

function named<T>(list: Msg[] | undefined, f: (v: Msg) => T): Record<string, T> {
  return Object.fromEntries((list ?? []).map((p) => [p.name, f(p.value ?? {})]));
}

function jsonSchema(s: Msg): Json {
  const out: Json = { ...extensions(s.vendor_extension) };
  if (s._ref !== undefined) out.$ref = s._ref;
  for (const k of ["format", "title", "description", "pattern", "required"]) {
    if (s[k] !== undefined) out[k] = s[k];
  }
  if (s.type !== undefined) out.type = s.type.value.length === 1 ? s.type.value[0] : s.type.value;
  if (s.items !== undefined) out.items = jsonSchema(s.items.schema[0]);
  if (s.properties !== undefined)
    out.properties = named(s.properties.additional_properties, jsonSchema);
  if (s.additional_properties !== undefined) {
    const ap = s.additional_properties;
    out.additionalProperties = ap.oneof === "boolean" ? ap.boolean : jsonSchema(ap.schema);
  }
  return out;
}

function jsonParameter(item: Msg): Json {
  assert.equal(item.oneof, "parameter");
  const p = item.parameter;
  if (p.oneof === "body_parameter") {
    const b = p.body_parameter;
    return {
      name: b.name,
      in: b.in,
      ...(b.required === true ? { required: true } : {}),
      schema: jsonSchema(b.schema),
    };
  }
  const nb = p.non_body_parameter;
  const sub = nb[nb.oneof];
  const out: Json = { name: sub.name, in: sub.in, type: sub.type, description: sub.description };
  if (sub.required === true) out.required = true;
  if (sub.unique_items === true) out.uniqueItems = true;
  return out;
}

function jsonOperation(op: Msg): Json {
  const out: Json = {
    description: op.description,
    consumes: op.consumes,
    produces: op.produces,
    schemes: op.schemes,
    tags: op.tags,
    operationId: op.operation_id,
    responses: named(op.responses.response_code, (v) => {
      assert.equal(v.oneof, "response");
      const r = v.response;
      return {
        description: r.description,
        ...(r.schema === undefined ? {} : { schema: jsonSchema(r.schema.schema) }),
      };
    }),
    ...extensions(op.vendor_extension),
  };
  if (op.parameters !== undefined) out.parameters = op.parameters.map(jsonParameter);
  return out;
}

function jsonDocument(d: Msg): Json {
  return {
    swagger: d.swagger,
    info: { title: d.info.title, version: d.info.version },
    paths: named(d.paths.path, (item) => {
      const out: Json = {};
      for (const m of ["get", "put", "post", "delete", "patch"]) {
        if (item[m] !== undefined) out[m] = jsonOperation(item[m]);
      }
      out.parameters = (item.parameters ?? []).map(jsonParameter);
      return out;
    }),
    definitions: named(d.definitions.additional_properties, jsonSchema),
    securityDefinitions: named(d.security_definitions.additional_properties, (v) => {
      const k = v.api_key_security;
      return { description: k.description, type: k.type, name: k.name, in: k.in };
    }),
    security: d.security.map((r: Msg) =>
      named(r.additional_properties, (v) => (v.value as string[] | undefined) ?? []),
    ),
  };
}

// ---- helpers ---------------------------------------------------------------

function pathItem(d: Msg, path: string): Msg {
  const found = (d.paths.path as Msg[]).find((p) => p.name === path);
  assert.ok(found, `no path ${path}`);
  return found.value;
}

function definition(d: Msg, name: string): Msg {
  const found = (d.definitions.additional_properties as Msg[]).find((p) => p.name === name);
  assert.ok(found, `no definition ${name}`);
  return found.value;
}

function extension(list: Msg[] | undefined, name: string): string {
  const found = (list ?? []).find((e) => e.name === name);
  assert.ok(found, `no extension ${name}`);
  return found.value.yaml;
}

/** Schema bytes for one swagger schema, wrapped as the only definition. */
function encodeSchema(s: Json): Msg {
  const d = decode(
    encodeOpenAPIV2Protobuf({ swagger: "2.0", info: {}, paths: {}, definitions: { x: s } }),
  );
  return definition(d, "x");
}

const doc = buildOpenAPIV2(BUILTIN_RESOURCES);
const bytes = encodeOpenAPIV2Protobuf(doc);
const decoded = decode(bytes);

describe("OpenAPI v2 as a gnostic protobuf Document", () => {
  it("decodes as openapi.v2.Document with swagger 2.0 and the info", () => {
    assert.equal(decoded.swagger, "2.0");
    assert.equal(decoded.info.title, "Kubernetes");
    assert.equal(decoded.info.version, "v1.32.0");
  });

  it("carries the configmap patch operation kubectl's field-validation check looks for", () => {
    const item = pathItem(decoded, "/api/v1/namespaces/{namespace}/configmaps/{name}");
    const patch = item.patch as Msg;
    assert.ok(patch, "no patch operation");
    const names = (patch.parameters as Msg[]).map(
      (p) => p.parameter?.non_body_parameter?.query_parameter_sub_schema?.name,
    );
    assert.ok(names.includes("fieldValidation"));
    assert.ok(names.includes("dryRun"));
    assert.ok(names.includes("fieldManager"));
    const gvk = extension(patch.vendor_extension, "x-kubernetes-group-version-kind");
    assert.match(gvk, /ConfigMap/);
    // kubectl unmarshals this yaml into map[string]string.
    assert.deepEqual(parseYaml(gvk, { version: "1.1" }), {
      group: "",
      kind: "ConfigMap",
      version: "v1",
    });
    assert.equal(extension(patch.vendor_extension, "x-kubernetes-action"), "patch\n");
    const body = (patch.parameters as Msg[]).find((p) => p.parameter?.oneof === "body_parameter");
    assert.equal(
      body?.parameter.body_parameter.schema._ref,
      "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
    );
  });

  it("puts path-level parameters in the PathItem as path and query sub-schemas", () => {
    const item = pathItem(decoded, "/api/v1/namespaces/{namespace}/configmaps/{name}");
    const subs = (item.parameters as Msg[]).map((p) => p.parameter.non_body_parameter);
    const name = subs.find((s) => s.path_parameter_sub_schema?.name === "name");
    assert.ok(name, "no path parameter 'name'");
    assert.equal(name.path_parameter_sub_schema.required, true);
    assert.equal(name.path_parameter_sub_schema.in, "path");
    assert.ok(subs.some((s) => s.query_parameter_sub_schema?.name === "pretty"));
  });

  it("keeps the Pod definition's refs and group-version-kind", () => {
    const pod = definition(decoded, "io.k8s.api.core.v1.Pod");
    assert.deepEqual(pod.type.value, ["object"]);
    const spec = (pod.properties.additional_properties as Msg[]).find((p) => p.name === "spec");
    assert.equal(spec?.value._ref, "#/definitions/io.k8s.api.core.v1.PodSpec");
    const gvk = extension(pod.vendor_extension, "x-kubernetes-group-version-kind");
    assert.deepEqual(parseYaml(gvk, { version: "1.1" }), [
      { group: "", kind: "Pod", version: "v1" },
    ]);
  });

  it("keeps the merge key and strategy on Container.ports", () => {
    const container = definition(decoded, "io.k8s.api.core.v1.Container");
    const ports = (container.properties.additional_properties as Msg[]).find(
      (p) => p.name === "ports",
    )?.value;
    assert.ok(ports, "no ports property");
    assert.equal(
      extension(ports.vendor_extension, "x-kubernetes-patch-merge-key"),
      "containerPort\n",
    );
    assert.equal(extension(ports.vendor_extension, "x-kubernetes-patch-strategy"), "merge\n");
    assert.deepEqual(parseYaml(extension(ports.vendor_extension, "x-kubernetes-list-map-keys")), [
      "containerPort",
      "protocol",
    ]);
    assert.equal(ports.items.schema[0]._ref, "#/definitions/io.k8s.api.core.v1.ContainerPort");
    assert.deepEqual(ports.type.value, ["array"]);
  });

  it("round-trips the whole built-in document back to the same swagger JSON", () => {
    assert.deepStrictEqual(jsonDocument(decoded), JSON.parse(JSON.stringify(doc)));
  });

  it("is deterministic", () => {
    assert.deepEqual(encodeOpenAPIV2Protobuf(doc), bytes);
  });

  it("encodes in well under a second and is smaller than the JSON", () => {
    const start = performance.now();
    const again = encodeOpenAPIV2Protobuf(doc);
    const ms = performance.now() - start;
    const jsonBytes = Buffer.byteLength(JSON.stringify(doc));
    console.log(
      `openapi v2 protobuf: ${again.length} bytes (JSON ${jsonBytes}), ${ms.toFixed(1)} ms`,
    );
    assert.ok(ms < 1000);
    assert.ok(again.length < jsonBytes);
  });
});

describe("gnostic Schema details", () => {
  it("writes additionalProperties false as the boolean branch", () => {
    const s = encodeSchema({ type: "object", additionalProperties: false });
    assert.deepEqual(s.additional_properties, { boolean: false, oneof: "boolean" });
  });

  it("writes a schema additionalProperties as the schema branch", () => {
    const s = encodeSchema({ type: "object", additionalProperties: { type: "string" } });
    assert.equal(s.additional_properties.oneof, "schema");
    assert.deepEqual(s.additional_properties.schema.type.value, ["string"]);
  });

  it("keeps numbers, bounds, enums, defaults and a list of types", () => {
    const s = encodeSchema({
      type: ["string", "null"],
      maximum: 10.5,
      minimum: -3,
      maxLength: 63,
      minItems: 1,
      uniqueItems: true,
      enum: ["a", "yes", "1"],
      default: { a: [1, "on"] },
      allOf: [{ $ref: "#/definitions/y" }],
      readOnly: true,
    });
    assert.deepEqual(s.type.value, ["string", "null"]);
    assert.equal(s.maximum, 10.5);
    assert.equal(s.minimum, -3);
    assert.equal(s.max_length, 63);
    assert.equal(s.min_items, 1);
    assert.equal(s.unique_items, true);
    assert.equal(s.read_only, true);
    assert.deepEqual(
      s.enum.map((a: Msg) => parseYaml(a.yaml, { version: "1.1" })),
      ["a", "yes", "1"],
    );
    assert.deepEqual(parseYaml(s.default.yaml, { version: "1.1" }), { a: [1, "on"] });
    assert.equal(s.all_of[0]._ref, "#/definitions/y");
  });

  it("leaves proto3 zero values out", () => {
    const s = encodeSchema({ description: "", uniqueItems: false, maxLength: 0 });
    assert.deepEqual(s, {});
  });

  it("keeps negative int64 values and long multi-byte strings", () => {
    const long = "é€😀".repeat(6000);
    const s = encodeSchema({ minLength: -5, description: long });
    assert.equal(s.min_length, -5);
    assert.equal(s.description, long);
    const bytes = SchemaType.encode(SchemaType.fromObject({ description: long })).finish();
    assert.ok(bytes.length > 16384, "the string needs a three-byte length varint");
  });
});

describe("gnostic oneof choices and maps", () => {
  const d = decode(
    encodeOpenAPIV2Protobuf({
      swagger: "2.0",
      info: { title: "t", version: "1", "x-info": 1 },
      "x-doc": { a: "b" },
      paths: {
        "x-paths": true,
        "/p": {
          get: {
            parameters: [
              { $ref: "#/parameters/shared" },
              { name: "h", in: "header", type: "string" },
              { name: "f", in: "formData", type: "string", allowEmptyValue: true },
              {
                name: "q",
                in: "query",
                type: "integer",
                default: 5,
                enum: [1, 2],
                maximum: 9,
                maxLength: 3,
                "x-q": "v",
              },
            ],
            responses: {
              "200": { description: "OK", schema: { type: "file" } },
              default: { $ref: "#/responses/err" },
              "x-r": "e",
            },
            deprecated: true,
          },
        },
      },
      definitions: {},
    }),
  );
  const op = pathItem(d, "/p").get as Msg;

  it("writes document, info and paths vendor extensions", () => {
    assert.deepEqual(extensions(d.vendor_extension), { "x-doc": { a: "b" } });
    assert.deepEqual(extensions(d.info.vendor_extension), { "x-info": 1 });
    assert.deepEqual(extensions(d.paths.vendor_extension), { "x-paths": true });
  });

  it("chooses the parameter branch by $ref and in", () => {
    const [ref, h, f, q] = op.parameters as Msg[];
    assert.equal(ref?.json_reference._ref, "#/parameters/shared");
    assert.equal(h?.parameter.non_body_parameter.oneof, "header_parameter_sub_schema");
    const form = f?.parameter.non_body_parameter.form_data_parameter_sub_schema;
    assert.equal(form.allow_empty_value, true);
    const query = q?.parameter.non_body_parameter.query_parameter_sub_schema;
    assert.equal(query.type, "integer");
    assert.equal(query.default.yaml, "5\n");
    assert.deepEqual(
      query.enum.map((a: Msg) => a.yaml),
      ["1\n", "2\n"],
    );
    assert.equal(query.maximum, 9);
    assert.equal(query.max_length, 3);
    assert.deepEqual(extensions(query.vendor_extension), { "x-q": "v" });
    assert.equal(op.deprecated, true);
  });

  it("chooses the response branch by $ref and the file schema by type", () => {
    const codes = op.responses.response_code as Msg[];
    assert.deepEqual(
      codes.map((c) => c.name),
      ["200", "default"],
    );
    assert.equal(codes[0]?.value.response.schema.oneof, "file_schema");
    assert.equal(codes[0]?.value.response.schema.file_schema.type, "file");
    assert.equal(codes[1]?.value.json_reference._ref, "#/responses/err");
    assert.deepEqual(extensions(op.responses.vendor_extension), { "x-r": "e" });
  });

  it("rejects a parameter with an unknown location", () => {
    assert.throws(
      () =>
        encodeOpenAPIV2Protobuf({
          swagger: "2.0",
          paths: { "/p": { parameters: [{ name: "c", in: "cookie", type: "string" }] } },
        }),
      OpenAPIV2ProtobufError,
    );
  });

  it("rejects a value of the wrong type", () => {
    assert.throws(() => encodeOpenAPIV2Protobuf({ swagger: 2 }), OpenAPIV2ProtobufError);
  });
});

describe("the YAML inside Any", () => {
  it("writes maps and lists in block style", () => {
    assert.equal(
      toYaml({ group: "", kind: "Pod", version: "v1" }),
      'group: ""\nkind: Pod\nversion: v1\n',
    );
    assert.equal(
      toYaml([{ group: "apps", kind: "Deployment", version: "v1" }]),
      "- group: apps\n  kind: Deployment\n  version: v1\n",
    );
    assert.equal(toYaml(["containerPort", "protocol"]), "- containerPort\n- protocol\n");
    assert.equal(
      toYaml({ a: { b: [1, { c: null }] } }),
      "a:\n    b:\n        - 1\n        - c: null\n",
    );
    assert.equal(toYaml({}), "{}\n");
    assert.equal(toYaml([]), "[]\n");
  });

  it("quotes strings that YAML 1.1 or 1.2 would read as something else", () => {
    const tricky = [
      "",
      "true",
      "yes",
      "off",
      "null",
      "~",
      "123",
      "0755",
      "1.5",
      ".inf",
      "1e3",
      "#/definitions/x",
      "a: b",
      "a #b",
      "- x",
      "'q'",
      '"d"',
      " lead",
      "trail ",
      "multi\nline",
      "tab\there",
      "ünïcödé",
      "{a}",
      "[a]",
      "*alias",
      "&anchor",
      "!tag",
      "%dir",
      "@at",
      "`tick",
      "---",
      "key:",
      "<<",
    ];
    for (const s of tricky) {
      for (const version of ["1.1", "1.2"] as const) {
        assert.equal(parseYaml(toYaml(s), { version }), s, `${JSON.stringify(s)} in ${version}`);
        assert.deepEqual(parseYaml(toYaml({ [s]: [s] }), { version }), { [s]: [s] });
      }
    }
  });

  it("leaves ordinary words plain", () => {
    assert.equal(toYaml("ConfigMap"), "ConfigMap\n");
    assert.equal(toYaml("io.k8s.api.core.v1.Pod"), "io.k8s.api.core.v1.Pod\n");
    assert.equal(toYaml(true), "true\n");
    assert.equal(toYaml(-2.5), "-2.5\n");
  });
});
