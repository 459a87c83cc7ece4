/**
 * The OpenAPI v2 document in its protobuf form: the gnostic
 * `openapi.v2.Document` message (github.com/google/gnostic-models,
 * openapiv2/OpenAPIv2.proto) that client-go asks for with
 * `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`.
 * kubectl reads operations, parameters and definitions from it, and the
 * vendor extensions (x-kubernetes-group-version-kind, patch merge keys,
 * list types) by parsing the YAML text each `Any` carries.
 *
 * The conversion follows gnostic's reading of a swagger JSON document
 * (`openapi_v2.ParseDocument`): each object becomes the message with the
 * matching fields, maps become repeated Named* pairs in key order, `x-` keys
 * become vendor extensions, a oneof picks its branch the way gnostic's
 * matching does, and proto3 zero values are left out. Keys the message has
 * no field for are dropped (gnostic would refuse the whole document).
 */

import { ProtoWriter } from "./v2-protobuf-wire.js";
import { toYaml } from "./v2-protobuf-yaml.js";

/** The swagger document has a value the protobuf form cannot hold. */
export class OpenAPIV2ProtobufError extends Error {
  override readonly name = "OpenAPIV2ProtobufError";
}

type Json = Record<string, unknown>;

/** Writes the body of one message from its JSON value. */
type Encode = (w: ProtoWriter, value: Json) => void;

type ScalarKind = "string" | "bool" | "double" | "int64" | "strings" | "any" | "anys";

/** How one JSON key maps onto a field of the message. */
type Field =
  | { readonly key: string; readonly no: number; readonly kind: ScalarKind }
  | {
      readonly key: string;
      readonly no: number;
      readonly kind: "message" | "messages";
      readonly encode: Encode;
    }
  | {
      readonly key: string;
      readonly no: number;
      readonly kind: "custom";
      readonly write: (w: ProtoWriter, no: number, value: unknown) => void;
    };

interface MessageSpec {
  readonly name: string;
  readonly fields: readonly Field[];
  /** Field number of `repeated NamedAny vendor_extension`, if the message has one. */
  readonly vendorExtension?: number;
}

const str = (key: string, no: number): Field => ({ key, no, kind: "string" });
const bool = (key: string, no: number): Field => ({ key, no, kind: "bool" });
const dbl = (key: string, no: number): Field => ({ key, no, kind: "double" });
const int = (key: string, no: number): Field => ({ key, no, kind: "int64" });
const strs = (key: string, no: number): Field => ({ key, no, kind: "strings" });
const any = (key: string, no: number): Field => ({ key, no, kind: "any" });
const anys = (key: string, no: number): Field => ({ key, no, kind: "anys" });
const msg = (key: string, no: number, encode: Encode): Field => ({
  key,
  no,
  kind: "message",
  encode,
});
const msgs = (key: string, no: number, encode: Encode): Field => ({
  key,
  no,
  kind: "messages",
  encode,
});
const custom = (
  key: string,
  no: number,
  write: (w: ProtoWriter, no: number, value: unknown) => void,
): Field => ({ key, no, kind: "custom", write });

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(spec: string, key: string, expected: string): never {
  throw new OpenAPIV2ProtobufError(`${spec}.${key}: expected ${expected}`);
}

function objectOf(value: unknown, where: string): Json {
  if (!isObject(value)) throw new OpenAPIV2ProtobufError(`${where}: expected an object`);
  return value;
}

// ---- generic field writing -------------------------------------------------

function writeMessage(w: ProtoWriter, no: number, encode: Encode, value: Json): void {
  const start = w.begin(no);
  encode(w, value);
  w.end(start);
}

/** gnostic's `Any`: the value's YAML text in field 2 (`yaml`). */
function writeAny(w: ProtoWriter, no: number, value: unknown): void {
  const start = w.begin(no);
  w.string(2, toYaml(value));
  w.end(start);
}

/** A NamedAny per `x-` key, in key order. */
function writeVendorExtensions(w: ProtoWriter, no: number, value: Json): void {
  for (const key in value) {
    if (!key.startsWith("x-")) continue;
    const v = value[key];
    if (v === undefined) continue;
    const start = w.begin(no);
    w.string(1, key);
    writeAny(w, 2, v);
    w.end(start);
  }
}

function writeField(w: ProtoWriter, field: Field, options: { spec: string; value: unknown }): void {
  const { spec, value } = options;
  const { key, no } = field;
  switch (field.kind) {
    case "string":
      if (typeof value !== "string") fail(spec, key, "a string");
      if (value !== "") w.string(no, value);
      return;
    case "bool":
      if (typeof value !== "boolean") fail(spec, key, "a boolean");
      if (value) w.bool(no, true);
      return;
    case "double":
      if (typeof value !== "number") fail(spec, key, "a number");
      if (value !== 0 || Object.is(value, -0)) w.double(no, value);
      return;
    case "int64":
      if (typeof value !== "number" || !Number.isInteger(value)) fail(spec, key, "an integer");
      if (value !== 0) w.int64(no, value);
      return;
    case "strings":
      if (!Array.isArray(value)) fail(spec, key, "an array of strings");
      for (const item of value) {
        if (typeof item !== "string") fail(spec, key, "an array of strings");
        w.string(no, item);
      }
      return;
    case "any":
      writeAny(w, no, value);
      return;
    case "anys":
      if (!Array.isArray(value)) fail(spec, key, "an array");
      for (const item of value) writeAny(w, no, item);
      return;
    case "message":
      writeMessage(w, no, field.encode, objectOf(value, `${spec}.${key}`));
      return;
    case "messages":
      if (!Array.isArray(value)) fail(spec, key, "an array of objects");
      for (const item of value) writeMessage(w, no, field.encode, objectOf(item, `${spec}.${key}`));
      return;
    case "custom":
      field.write(w, no, value);
      return;
  }
}

/** An encoder for a message whose fields map one-to-one onto JSON keys. */
function message(spec: MessageSpec): Encode {
  // Fields go out in field-number order, as Go's proto.Marshal writes them.
  const fields = [...spec.fields].sort((a, b) => a.no - b.no);
  const ext = spec.vendorExtension;
  return (w, value) => {
    for (const field of fields) {
      const v = value[field.key];
      if (v !== undefined) writeField(w, field, { spec: spec.name, value: v });
    }
    if (ext !== undefined) writeVendorExtensions(w, ext, value);
  };
}

/**
 * An encoder for a gnostic map message (`repeated NamedX additional_properties = 1`,
 * each pair `{name = 1; value = 2}`), taking every key `accept` allows.
 */
function namedMap(
  encodeValue: (w: ProtoWriter, value: unknown) => void,
  accept: (key: string) => boolean = () => true,
): Encode {
  return (w, value) => {
    for (const key in value) {
      const v = value[key];
      if (v === undefined || !accept(key)) continue;
      const start = w.begin(1);
      w.string(1, key);
      encodeValue(w, v);
      w.end(start);
    }
  };
}

/** The `value = 2` field of a Named* pair holding a message. */
function namedValue(encode: Encode, where: string): (w: ProtoWriter, value: unknown) => void {
  return (w, value) => writeMessage(w, 2, encode, objectOf(value, where));
}

// ---- the messages ------------------------------------------------------------

const externalDocs = message({
  name: "ExternalDocs",
  fields: [str("description", 1), str("url", 2)],
  vendorExtension: 3,
});

const xml = message({
  name: "Xml",
  fields: [
    str("name", 1),
    str("namespace", 2),
    str("prefix", 3),
    bool("attribute", 4),
    bool("wrapped", 5),
  ],
  vendorExtension: 6,
});

const contact = message({
  name: "Contact",
  fields: [str("name", 1), str("url", 2), str("email", 3)],
  vendorExtension: 4,
});

const license = message({
  name: "License",
  fields: [str("name", 1), str("url", 2)],
  vendorExtension: 3,
});

const info = message({
  name: "Info",
  fields: [
    str("title", 1),
    str("version", 2),
    str("description", 3),
    str("termsOfService", 4),
    msg("contact", 5, contact),
    msg("license", 6, license),
  ],
  vendorExtension: 7,
});

const tag = message({
  name: "Tag",
  fields: [str("name", 1), str("description", 2), msg("externalDocs", 3, externalDocs)],
  vendorExtension: 4,
});

/** TypeItem (22): `type` as one string or a list of them. */
function writeTypeItem(w: ProtoWriter, no: number, value: unknown): void {
  const list = typeof value === "string" ? [value] : value;
  const start = w.begin(no);
  writeField(w, strs("type", 1), { spec: "Schema", value: list });
  w.end(start);
}

/** ItemsItem (23): one schema, or one per element of a tuple. */
function writeItemsItem(w: ProtoWriter, no: number, value: unknown): void {
  const list = Array.isArray(value) ? value : [value];
  const start = w.begin(no);
  for (const item of list) writeMessage(w, 1, schema, objectOf(item, "Schema.items"));
  w.end(start);
}

/** AdditionalPropertiesItem (21): a schema (1) or a boolean (2, written even when false). */
function writeAdditionalProperties(w: ProtoWriter, no: number, value: unknown): void {
  const start = w.begin(no);
  if (typeof value === "boolean") w.bool(2, value);
  else writeMessage(w, 1, schema, objectOf(value, "Schema.additionalProperties"));
  w.end(start);
}

/** Properties / Definitions: `repeated NamedSchema additional_properties = 1`. */
const namedSchemas: Encode = namedMap((w, v) =>
  writeMessage(w, 2, schema, objectOf(v, "NamedSchema")),
);

const schema: Encode = message({
  name: "Schema",
  fields: [
    str("$ref", 1),
    str("format", 2),
    str("title", 3),
    str("description", 4),
    any("default", 5),
    dbl("multipleOf", 6),
    dbl("maximum", 7),
    bool("exclusiveMaximum", 8),
    dbl("minimum", 9),
    bool("exclusiveMinimum", 10),
    int("maxLength", 11),
    int("minLength", 12),
    str("pattern", 13),
    int("maxItems", 14),
    int("minItems", 15),
    bool("uniqueItems", 16),
    int("maxProperties", 17),
    int("minProperties", 18),
    strs("required", 19),
    anys("enum", 20),
    custom("additionalProperties", 21, writeAdditionalProperties),
    custom("type", 22, writeTypeItem),
    custom("items", 23, writeItemsItem),
    msgs("allOf", 24, (w, v) => schema(w, v)),
    msg("properties", 25, (w, v) => namedSchemas(w, v)),
    str("discriminator", 26),
    bool("readOnly", 27),
    msg("xml", 28, xml),
    msg("externalDocs", 29, externalDocs),
    any("example", 30),
  ],
  vendorExtension: 31,
});

/** FileSchema: a response schema of `type: file`. */
const fileSchema = message({
  name: "FileSchema",
  fields: [
    str("format", 1),
    str("title", 2),
    str("description", 3),
    any("default", 4),
    strs("required", 5),
    str("type", 6),
    bool("readOnly", 7),
    msg("externalDocs", 8, externalDocs),
    any("example", 9),
  ],
  vendorExtension: 10,
});

/** The fields PrimitivesItems and Header share (1–17). */
const primitiveFields = (items: Encode): Field[] => [
  str("type", 1),
  str("format", 2),
  msg("items", 3, items),
  str("collectionFormat", 4),
  any("default", 5),
  dbl("maximum", 6),
  bool("exclusiveMaximum", 7),
  dbl("minimum", 8),
  bool("exclusiveMinimum", 9),
  int("maxLength", 10),
  int("minLength", 11),
  str("pattern", 12),
  int("maxItems", 13),
  int("minItems", 14),
  bool("uniqueItems", 15),
  anys("enum", 16),
  dbl("multipleOf", 17),
];

const primitivesItems: Encode = message({
  name: "PrimitivesItems",
  fields: primitiveFields((w, v) => primitivesItems(w, v)),
  vendorExtension: 18,
});

const header = message({
  name: "Header",
  fields: [...primitiveFields(primitivesItems), str("description", 18)],
  vendorExtension: 19,
});

/** Header and path parameters: the fields after `name` start at 5. */
const headerOrPathParameter = (name: string): Encode =>
  message({
    name,
    fields: [
      bool("required", 1),
      str("in", 2),
      str("description", 3),
      str("name", 4),
      str("type", 5),
      str("format", 6),
      msg("items", 7, primitivesItems),
      str("collectionFormat", 8),
      any("default", 9),
      dbl("maximum", 10),
      bool("exclusiveMaximum", 11),
      dbl("minimum", 12),
      bool("exclusiveMinimum", 13),
      int("maxLength", 14),
      int("minLength", 15),
      str("pattern", 16),
      int("maxItems", 17),
      int("minItems", 18),
      bool("uniqueItems", 19),
      anys("enum", 20),
      dbl("multipleOf", 21),
    ],
    vendorExtension: 22,
  });

/** Query and formData parameters: `allowEmptyValue` is 5, the rest one higher. */
const queryOrFormParameter = (name: string): Encode =>
  message({
    name,
    fields: [
      bool("required", 1),
      str("in", 2),
      str("description", 3),
      str("name", 4),
      bool("allowEmptyValue", 5),
      str("type", 6),
      str("format", 7),
      msg("items", 8, primitivesItems),
      str("collectionFormat", 9),
      any("default", 10),
      dbl("maximum", 11),
      bool("exclusiveMaximum", 12),
      dbl("minimum", 13),
      bool("exclusiveMinimum", 14),
      int("maxLength", 15),
      int("minLength", 16),
      str("pattern", 17),
      int("maxItems", 18),
      int("minItems", 19),
      bool("uniqueItems", 20),
      anys("enum", 21),
      dbl("multipleOf", 22),
    ],
    vendorExtension: 23,
  });

/** NonBodyParameter's oneof branches by the parameter's `in`. */
const NON_BODY_BRANCHES: Readonly<Record<string, { no: number; encode: Encode }>> = {
  header: { no: 1, encode: headerOrPathParameter("HeaderParameterSubSchema") },
  formData: { no: 2, encode: queryOrFormParameter("FormDataParameterSubSchema") },
  query: { no: 3, encode: queryOrFormParameter("QueryParameterSubSchema") },
  path: { no: 4, encode: headerOrPathParameter("PathParameterSubSchema") },
};

const bodyParameter = message({
  name: "BodyParameter",
  fields: [
    str("description", 1),
    str("name", 2),
    str("in", 3),
    bool("required", 4),
    msg("schema", 5, schema),
  ],
  vendorExtension: 6,
});

/** Parameter: oneof body_parameter (1) / non_body_parameter (2). */
const parameter: Encode = (w, value) => {
  const where = value.in;
  if (where === "body") {
    writeMessage(w, 1, bodyParameter, value);
    return;
  }
  const branch = typeof where === "string" ? NON_BODY_BRANCHES[where] : undefined;
  if (branch === undefined) {
    throw new OpenAPIV2ProtobufError(`Parameter.in: unknown location ${JSON.stringify(where)}`);
  }
  const outer = w.begin(2);
  writeMessage(w, branch.no, branch.encode, value);
  w.end(outer);
};

const jsonReference = message({
  name: "JsonReference",
  fields: [str("$ref", 1), str("description", 2)],
});

/** ParametersItem: oneof parameter (1) / json_reference (2). */
const parametersItem: Encode = (w, value) => {
  if (value.$ref !== undefined) writeMessage(w, 2, jsonReference, value);
  else writeMessage(w, 1, parameter, value);
};

/** SchemaItem: oneof schema (1) / file_schema (2). */
const schemaItem: Encode = (w, value) => {
  if (value.type === "file") writeMessage(w, 2, fileSchema, value);
  else writeMessage(w, 1, schema, value);
};

const response = message({
  name: "Response",
  fields: [
    str("description", 1),
    msg("schema", 2, schemaItem),
    msg("headers", 3, namedMap(namedValue(header, "NamedHeader"))),
    msg(
      "examples",
      4,
      namedMap((w, v) => writeAny(w, 2, v)),
    ),
  ],
  vendorExtension: 5,
});

/** ResponseValue: oneof response (1) / json_reference (2). */
const responseValue: Encode = (w, value) => {
  if (value.$ref !== undefined) writeMessage(w, 2, jsonReference, value);
  else writeMessage(w, 1, response, value);
};

const RESPONSE_CODE = /^([0-9]{3})$|^(default)$/;

/** Responses: response_code (1) for status codes and `default`, extensions (2). */
const responses: Encode = (w, value) => {
  namedMap(namedValue(responseValue, "Responses"), (k) => RESPONSE_CODE.test(k))(w, value);
  writeVendorExtensions(w, 2, value);
};

/** SecurityRequirement: `repeated NamedStringArray additional_properties = 1`. */
const securityRequirement = namedMap((w, v) => {
  if (!Array.isArray(v)) fail("SecurityRequirement", "value", "an array of strings");
  const start = w.begin(2);
  writeField(w, strs("value", 1), { spec: "StringArray", value: v });
  w.end(start);
});

const operation = message({
  name: "Operation",
  fields: [
    strs("tags", 1),
    str("summary", 2),
    str("description", 3),
    msg("externalDocs", 4, externalDocs),
    str("operationId", 5),
    strs("produces", 6),
    strs("consumes", 7),
    msgs("parameters", 8, parametersItem),
    msg("responses", 9, responses),
    strs("schemes", 10),
    bool("deprecated", 11),
    msgs("security", 12, securityRequirement),
  ],
  vendorExtension: 13,
});

const pathItem = message({
  name: "PathItem",
  fields: [
    str("$ref", 1),
    msg("get", 2, operation),
    msg("put", 3, operation),
    msg("post", 4, operation),
    msg("delete", 5, operation),
    msg("options", 6, operation),
    msg("head", 7, operation),
    msg("patch", 8, operation),
    msgs("parameters", 9, parametersItem),
  ],
  vendorExtension: 10,
});

/** Paths: extensions (1) first, then a NamedPathItem (2) per `/` key. */
const paths: Encode = (w, value) => {
  writeVendorExtensions(w, 1, value);
  for (const key in value) {
    const v = value[key];
    if (v === undefined || !key.startsWith("/")) continue;
    const start = w.begin(2);
    w.string(1, key);
    writeMessage(w, 2, pathItem, objectOf(v, `Paths[${key}]`));
    w.end(start);
  }
};

const oauth2Scopes = namedMap((w, v) => {
  if (typeof v !== "string") fail("Oauth2Scopes", "value", "a string");
  w.string(2, v);
});

const scheme = (name: string, fields: Field[], vendorExtension: number): Encode =>
  message({ name, fields, vendorExtension });
const OAUTH2_BASE = [str("type", 1), str("flow", 2), msg("scopes", 3, oauth2Scopes)];
const OAUTH2_TOKEN_FLOW = [...OAUTH2_BASE, str("tokenUrl", 4), str("description", 5)];

/** SecurityDefinitionsItem's oneof branches, keyed by `type` or `oauth2/flow`. */
const SECURITY_SCHEMES: Readonly<Record<string, { no: number; encode: Encode }>> = {
  basic: {
    no: 1,
    encode: scheme("BasicAuthenticationSecurity", [str("type", 1), str("description", 2)], 3),
  },
  apiKey: {
    no: 2,
    encode: scheme(
      "ApiKeySecurity",
      [str("type", 1), str("name", 2), str("in", 3), str("description", 4)],
      5,
    ),
  },
  "oauth2/implicit": {
    no: 3,
    encode: scheme(
      "Oauth2ImplicitSecurity",
      [...OAUTH2_BASE, str("authorizationUrl", 4), str("description", 5)],
      6,
    ),
  },
  "oauth2/password": { no: 4, encode: scheme("Oauth2PasswordSecurity", OAUTH2_TOKEN_FLOW, 6) },
  "oauth2/application": {
    no: 5,
    encode: scheme("Oauth2ApplicationSecurity", OAUTH2_TOKEN_FLOW, 6),
  },
  "oauth2/accessCode": {
    no: 6,
    encode: scheme(
      "Oauth2AccessCodeSecurity",
      [...OAUTH2_BASE, str("authorizationUrl", 4), str("tokenUrl", 5), str("description", 6)],
      7,
    ),
  },
};

function securityScheme(value: Json): { no: number; encode: Encode } {
  const key = value.type === "oauth2" ? `oauth2/${String(value.flow)}` : String(value.type);
  const found = SECURITY_SCHEMES[key];
  if (found === undefined) {
    throw new OpenAPIV2ProtobufError(`SecurityDefinitionsItem: unknown scheme ${key}`);
  }
  return found;
}

const securityDefinitions = namedMap((w, v) => {
  const value = objectOf(v, "SecurityDefinitions");
  const { no, encode } = securityScheme(value);
  const start = w.begin(2);
  writeMessage(w, no, encode, value);
  w.end(start);
});

const document = message({
  name: "Document",
  fields: [
    str("swagger", 1),
    msg("info", 2, info),
    str("host", 3),
    str("basePath", 4),
    strs("schemes", 5),
    strs("consumes", 6),
    strs("produces", 7),
    msg("paths", 8, paths),
    msg("definitions", 9, namedSchemas),
    msg("parameters", 10, namedMap(namedValue(parameter, "ParameterDefinitions"))),
    msg("responses", 11, namedMap(namedValue(response, "ResponseDefinitions"))),
    msgs("security", 12, securityRequirement),
    msg("securityDefinitions", 13, securityDefinitions),
    msgs("tags", 14, tag),
    msg("externalDocs", 15, externalDocs),
  ],
  vendorExtension: 16,
});

/**
 * The swagger 2.0 document (as `buildOpenAPIV2` returns it) as the bytes of
 * a gnostic `openapi.v2.Document`. Pure and deterministic: the same document
 * gives the same bytes, so callers may cache the result with the JSON form.
 */
export function encodeOpenAPIV2Protobuf(doc: Record<string, unknown>): Uint8Array {
  const w = new ProtoWriter(256 * 1024);
  document(w, doc);
  return w.finish();
}
