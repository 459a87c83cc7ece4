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

/** Writes the body of one message from its JSON object. */
type Encode = (w: ProtoWriter, value: Json) => void;

/** Writes one field from a JSON value. */
type Write = (w: ProtoWriter, value: unknown) => void;

/** How a field of a given number is written; message specs bind the number once. */
type Codec = (no: number) => Write;

/** [JSON key, field number, codec]. */
type Field = readonly [key: string, no: number, codec: Codec];

interface MessageSpec {
  readonly name: string;
  readonly fields: readonly Field[];
  /** Field number of `repeated NamedAny vendor_extension`, if the message has one. */
  readonly vendorExtension?: number;
}

function fail(where: string, expected: string): never {
  throw new OpenAPIV2ProtobufError(`${where}: expected ${expected}`);
}

function objectOf(value: unknown, where: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(where, "an object");
  }
  return value as Json;
}

function arrayOf(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(where, "an array");
  return value;
}

// ---- codecs: proto3 scalars leave zero values out, as Go's proto.Marshal does --

const STRING: Codec = (no) => (w, v) => {
  if (typeof v !== "string") fail(`field ${no}`, "a string");
  if (v !== "") w.string(no, v);
};

const BOOL: Codec = (no) => (w, v) => {
  if (typeof v !== "boolean") fail(`field ${no}`, "a boolean");
  if (v) w.bool(no, true);
};

const DOUBLE: Codec = (no) => (w, v) => {
  if (typeof v !== "number") fail(`field ${no}`, "a number");
  if (v !== 0 || Object.is(v, -0)) w.double(no, v);
};

const INT64: Codec = (no) => (w, v) => {
  if (typeof v !== "number" || !Number.isInteger(v)) fail(`field ${no}`, "an integer");
  if (v !== 0) w.int64(no, v);
};

/** `repeated string`; a lone string counts as a list of one (TypeItem's `type: x`). */
const STRINGS: Codec = (no) => (w, v) => {
  for (const item of typeof v === "string" ? [v] : arrayOf(v, `field ${no}`)) {
    if (typeof item !== "string") fail(`field ${no}`, "an array of strings");
    w.string(no, item);
  }
};

/** gnostic's `Any`: the value's YAML text in field 2 (`yaml`). */
const ANY: Codec = (no) => (w, v) => {
  const start = w.begin(no);
  w.string(2, toYaml(v));
  w.end(start);
};

const ANYS: Codec = (no) => {
  const one = ANY(no);
  return (w, v) => {
    for (const item of arrayOf(v, `field ${no}`)) one(w, item);
  };
};

/** An embedded message. */
const embedded =
  (encode: Encode): Codec =>
  (no) =>
  (w, v) => {
    const value = objectOf(v, `field ${no}`);
    const start = w.begin(no);
    encode(w, value);
    w.end(start);
  };

/** A repeated embedded message. */
const repeated = (encode: Encode): Codec => {
  const one = embedded(encode);
  return (no) => {
    const write = one(no);
    return (w, v) => {
      for (const item of arrayOf(v, `field ${no}`)) write(w, item);
    };
  };
};

/** A NamedAny per `x-` key, in key order. */
function vendorExtensions(no: number): Encode {
  const any = ANY(2);
  return (w, value) => {
    for (const key in value) {
      const v = value[key];
      if (v === undefined || !key.startsWith("x-")) continue;
      const start = w.begin(no);
      w.string(1, key);
      any(w, v);
      w.end(start);
    }
  };
}

/** An encoder for a message whose fields map one-to-one onto JSON keys. */
function message(spec: MessageSpec): Encode {
  // Fields go out in field-number order, as Go's proto.Marshal writes them;
  // vendor_extension is the last field of every message but Paths.
  const fields = [...spec.fields]
    .sort((a, b) => a[1] - b[1])
    .map(([key, no, codec]) => ({ key, write: codec(no) }));
  const extensions =
    spec.vendorExtension === undefined ? undefined : vendorExtensions(spec.vendorExtension);
  return (w, value) => {
    for (const { key, write } of fields) {
      const v = value[key];
      if (v === undefined) continue;
      try {
        write(w, v);
      } catch (e) {
        if (!(e instanceof OpenAPIV2ProtobufError)) throw e;
        throw new OpenAPIV2ProtobufError(`${spec.name}.${key} > ${e.message}`, { cause: e });
      }
    }
    extensions?.(w, value);
  };
}

/**
 * An encoder for a gnostic map message (`repeated NamedX additional_properties = 1`,
 * each pair `{name = 1; value = 2}`), taking every key `accept` allows.
 */
function namedMap(value: Codec, accept: (key: string) => boolean = () => true): Encode {
  const write = value(2);
  return (w, map) => {
    for (const key in map) {
      const v = map[key];
      if (v === undefined || !accept(key)) continue;
      const start = w.begin(1);
      w.string(1, key);
      write(w, v);
      w.end(start);
    }
  };
}

// ---- the messages ------------------------------------------------------------

const externalDocs = message({
  name: "ExternalDocs",
  fields: [
    ["description", 1, STRING],
    ["url", 2, STRING],
  ],
  vendorExtension: 3,
});

const xml = message({
  name: "Xml",
  fields: [
    ["name", 1, STRING],
    ["namespace", 2, STRING],
    ["prefix", 3, STRING],
    ["attribute", 4, BOOL],
    ["wrapped", 5, BOOL],
  ],
  vendorExtension: 6,
});

const info = message({
  name: "Info",
  fields: [
    ["title", 1, STRING],
    ["version", 2, STRING],
    ["description", 3, STRING],
    ["termsOfService", 4, STRING],
    [
      "contact",
      5,
      embedded(
        message({
          name: "Contact",
          fields: [
            ["name", 1, STRING],
            ["url", 2, STRING],
            ["email", 3, STRING],
          ],
          vendorExtension: 4,
        }),
      ),
    ],
    [
      "license",
      6,
      embedded(
        message({
          name: "License",
          fields: [
            ["name", 1, STRING],
            ["url", 2, STRING],
          ],
          vendorExtension: 3,
        }),
      ),
    ],
  ],
  vendorExtension: 7,
});

const tag = message({
  name: "Tag",
  fields: [
    ["name", 1, STRING],
    ["description", 2, STRING],
    ["externalDocs", 3, embedded(externalDocs)],
  ],
  vendorExtension: 4,
});

/** A schema-valued field; late-bound because Schema nests itself. */
const SCHEMA: Codec = (no) => embedded((w, v) => schema(w, v))(no);

/** A message whose only field, number 1, holds the JSON value itself (TypeItem, ItemsItem, StringArray). */
const wrapped =
  (inner: Codec): Codec =>
  (no) => {
    const write = inner(1);
    return (w, v) => {
      const start = w.begin(no);
      write(w, v);
      w.end(start);
    };
  };

/** `repeated Schema`: one schema, or one per element of a tuple. */
const SCHEMAS: Codec = (no) => {
  const one = SCHEMA(no);
  return (w, v) => {
    for (const item of Array.isArray(v) ? v : [v]) one(w, item);
  };
};

/** AdditionalPropertiesItem: oneof schema (1) / boolean (2, written even when false). */
const ADDITIONAL_PROPERTIES_ITEM: Codec = (no) => {
  const asSchema = SCHEMA(1);
  return (w, v) => {
    const start = w.begin(no);
    if (typeof v === "boolean") w.bool(2, v);
    else asSchema(w, v);
    w.end(start);
  };
};

/** Properties and Definitions: `repeated NamedSchema additional_properties = 1`. */
const namedSchemas = namedMap(SCHEMA);

const schema: Encode = message({
  name: "Schema",
  fields: [
    ["$ref", 1, STRING],
    ["format", 2, STRING],
    ["title", 3, STRING],
    ["description", 4, STRING],
    ["default", 5, ANY],
    ["multipleOf", 6, DOUBLE],
    ["maximum", 7, DOUBLE],
    ["exclusiveMaximum", 8, BOOL],
    ["minimum", 9, DOUBLE],
    ["exclusiveMinimum", 10, BOOL],
    ["maxLength", 11, INT64],
    ["minLength", 12, INT64],
    ["pattern", 13, STRING],
    ["maxItems", 14, INT64],
    ["minItems", 15, INT64],
    ["uniqueItems", 16, BOOL],
    ["maxProperties", 17, INT64],
    ["minProperties", 18, INT64],
    ["required", 19, STRINGS],
    ["enum", 20, ANYS],
    ["additionalProperties", 21, ADDITIONAL_PROPERTIES_ITEM],
    ["type", 22, wrapped(STRINGS)],
    ["items", 23, wrapped(SCHEMAS)],
    ["allOf", 24, repeated((w, v) => schema(w, v))],
    ["properties", 25, embedded(namedSchemas)],
    ["discriminator", 26, STRING],
    ["readOnly", 27, BOOL],
    ["xml", 28, embedded(xml)],
    ["externalDocs", 29, embedded(externalDocs)],
    ["example", 30, ANY],
  ],
  vendorExtension: 31,
});

/** FileSchema: a response schema of `type: file`. */
const fileSchema = message({
  name: "FileSchema",
  fields: [
    ["format", 1, STRING],
    ["title", 2, STRING],
    ["description", 3, STRING],
    ["default", 4, ANY],
    ["required", 5, STRINGS],
    ["type", 6, STRING],
    ["readOnly", 7, BOOL],
    ["externalDocs", 8, embedded(externalDocs)],
    ["example", 9, ANY],
  ],
  vendorExtension: 10,
});

/**
 * The validation keywords PrimitivesItems, Header and the non-body
 * parameters share, from `type` on, numbered from `first`.
 */
function primitiveFields(first: number): Field[] {
  const keys: [string, Codec][] = [
    ["type", STRING],
    ["format", STRING],
    ["items", embedded((w, v) => primitivesItems(w, v))],
    ["collectionFormat", STRING],
    ["default", ANY],
    ["maximum", DOUBLE],
    ["exclusiveMaximum", BOOL],
    ["minimum", DOUBLE],
    ["exclusiveMinimum", BOOL],
    ["maxLength", INT64],
    ["minLength", INT64],
    ["pattern", STRING],
    ["maxItems", INT64],
    ["minItems", INT64],
    ["uniqueItems", BOOL],
    ["enum", ANYS],
    ["multipleOf", DOUBLE],
  ];
  return keys.map(([key, codec], i) => [key, first + i, codec]);
}

const primitivesItems: Encode = message({
  name: "PrimitivesItems",
  fields: primitiveFields(1),
  vendorExtension: 18,
});

const header = message({
  name: "Header",
  fields: [...primitiveFields(1), ["description", 18, STRING]],
  vendorExtension: 19,
});

const PARAMETER_HEAD: Field[] = [
  ["required", 1, BOOL],
  ["in", 2, STRING],
  ["description", 3, STRING],
  ["name", 4, STRING],
];

/** Header and path parameters: the shared keywords start at 5. */
const headerOrPathParameter = (name: string): Encode =>
  message({ name, fields: [...PARAMETER_HEAD, ...primitiveFields(5)], vendorExtension: 22 });

/** Query and formData parameters: `allowEmptyValue` is 5, the shared keywords start at 6. */
const queryOrFormParameter = (name: string): Encode =>
  message({
    name,
    fields: [...PARAMETER_HEAD, ["allowEmptyValue", 5, BOOL], ...primitiveFields(6)],
    vendorExtension: 23,
  });

/** NonBodyParameter's oneof branches by the parameter's `in`. */
const NON_BODY_BRANCHES: Readonly<Record<string, Write>> = {
  header: embedded(headerOrPathParameter("HeaderParameterSubSchema"))(1),
  formData: embedded(queryOrFormParameter("FormDataParameterSubSchema"))(2),
  query: embedded(queryOrFormParameter("QueryParameterSubSchema"))(3),
  path: embedded(headerOrPathParameter("PathParameterSubSchema"))(4),
};

const BODY_PARAMETER = embedded(
  message({
    name: "BodyParameter",
    fields: [
      ["description", 1, STRING],
      ["name", 2, STRING],
      ["in", 3, STRING],
      ["required", 4, BOOL],
      ["schema", 5, SCHEMA],
    ],
    vendorExtension: 6,
  }),
)(1);

/** Parameter: oneof body_parameter (1) / non_body_parameter (2, itself a oneof by `in`). */
const parameter: Encode = (w, value) => {
  if (value.in === "body") {
    BODY_PARAMETER(w, value);
    return;
  }
  const branch = typeof value.in === "string" ? NON_BODY_BRANCHES[value.in] : undefined;
  if (branch === undefined) fail("Parameter.in", "body, header, formData, query or path");
  const start = w.begin(2);
  branch(w, value);
  w.end(start);
};

const JSON_REFERENCE = embedded(
  message({
    name: "JsonReference",
    fields: [
      ["$ref", 1, STRING],
      ["description", 2, STRING],
    ],
  }),
)(2);

/** ParametersItem: oneof parameter (1) / json_reference (2). */
const PARAMETER = embedded(parameter)(1);
const parametersItem: Encode = (w, value) => {
  if (value.$ref !== undefined) JSON_REFERENCE(w, value);
  else PARAMETER(w, value);
};

/** SchemaItem: oneof schema (1) / file_schema (2); gnostic picks FileSchema for `type: file`. */
const SCHEMA_ITEM_SCHEMA = SCHEMA(1);
const SCHEMA_ITEM_FILE = embedded(fileSchema)(2);
const schemaItem: Encode = (w, value) => {
  if (value.type === "file") SCHEMA_ITEM_FILE(w, value);
  else SCHEMA_ITEM_SCHEMA(w, value);
};

const response = message({
  name: "Response",
  fields: [
    ["description", 1, STRING],
    ["schema", 2, embedded(schemaItem)],
    ["headers", 3, embedded(namedMap(embedded(header)))],
    ["examples", 4, embedded(namedMap(ANY))],
  ],
  vendorExtension: 5,
});

/** ResponseValue: oneof response (1) / json_reference (2). */
const RESPONSE = embedded(response)(1);
const responseValue: Encode = (w, value) => {
  if (value.$ref !== undefined) JSON_REFERENCE(w, value);
  else RESPONSE(w, value);
};

const RESPONSE_CODE = /^([0-9]{3})$|^(default)$/;
const responseCodes = namedMap(embedded(responseValue), (k) => RESPONSE_CODE.test(k));
const responsesExtensions = vendorExtensions(2);

/** Responses: response_code (1) for status codes and `default`, extensions (2). */
const responses: Encode = (w, value) => {
  responseCodes(w, value);
  responsesExtensions(w, value);
};

/** SecurityRequirement: `repeated NamedStringArray additional_properties = 1`. */
const SECURITY_REQUIREMENTS = repeated(namedMap(wrapped(STRINGS)));

const operation = message({
  name: "Operation",
  fields: [
    ["tags", 1, STRINGS],
    ["summary", 2, STRING],
    ["description", 3, STRING],
    ["externalDocs", 4, embedded(externalDocs)],
    ["operationId", 5, STRING],
    ["produces", 6, STRINGS],
    ["consumes", 7, STRINGS],
    ["parameters", 8, repeated(parametersItem)],
    ["responses", 9, embedded(responses)],
    ["schemes", 10, STRINGS],
    ["deprecated", 11, BOOL],
    ["security", 12, SECURITY_REQUIREMENTS],
  ],
  vendorExtension: 13,
});

const pathItem = message({
  name: "PathItem",
  fields: [
    ["$ref", 1, STRING],
    ["get", 2, embedded(operation)],
    ["put", 3, embedded(operation)],
    ["post", 4, embedded(operation)],
    ["delete", 5, embedded(operation)],
    ["options", 6, embedded(operation)],
    ["head", 7, embedded(operation)],
    ["patch", 8, embedded(operation)],
    ["parameters", 9, repeated(parametersItem)],
  ],
  vendorExtension: 10,
});

/** Paths: extensions (1) first, then a NamedPathItem (2) per `/` key. */
const pathsExtensions = vendorExtensions(1);
const PATH_ITEM = embedded(pathItem)(2);
const paths: Encode = (w, value) => {
  pathsExtensions(w, value);
  for (const key in value) {
    const v = value[key];
    if (v === undefined || !key.startsWith("/")) continue;
    const start = w.begin(2);
    w.string(1, key);
    PATH_ITEM(w, v);
    w.end(start);
  }
};

const oauth2Scopes = namedMap(STRING);
const OAUTH2_HEAD: Field[] = [
  ["type", 1, STRING],
  ["flow", 2, STRING],
  ["scopes", 3, embedded(oauth2Scopes)],
];
const OAUTH2_TOKEN_FLOW: Field[] = [
  ...OAUTH2_HEAD,
  ["tokenUrl", 4, STRING],
  ["description", 5, STRING],
];

/** SecurityDefinitionsItem's oneof branches, keyed by `type` or `oauth2/<flow>`. */
const SECURITY_SCHEMES: Readonly<Record<string, Write>> = {
  basic: embedded(
    message({
      name: "BasicAuthenticationSecurity",
      fields: [
        ["type", 1, STRING],
        ["description", 2, STRING],
      ],
      vendorExtension: 3,
    }),
  )(1),
  apiKey: embedded(
    message({
      name: "ApiKeySecurity",
      fields: [
        ["type", 1, STRING],
        ["name", 2, STRING],
        ["in", 3, STRING],
        ["description", 4, STRING],
      ],
      vendorExtension: 5,
    }),
  )(2),
  "oauth2/implicit": embedded(
    message({
      name: "Oauth2ImplicitSecurity",
      fields: [...OAUTH2_HEAD, ["authorizationUrl", 4, STRING], ["description", 5, STRING]],
      vendorExtension: 6,
    }),
  )(3),
  "oauth2/password": embedded(
    message({ name: "Oauth2PasswordSecurity", fields: OAUTH2_TOKEN_FLOW, vendorExtension: 6 }),
  )(4),
  "oauth2/application": embedded(
    message({ name: "Oauth2ApplicationSecurity", fields: OAUTH2_TOKEN_FLOW, vendorExtension: 6 }),
  )(5),
  "oauth2/accessCode": embedded(
    message({
      name: "Oauth2AccessCodeSecurity",
      fields: [
        ...OAUTH2_HEAD,
        ["authorizationUrl", 4, STRING],
        ["tokenUrl", 5, STRING],
        ["description", 6, STRING],
      ],
      vendorExtension: 7,
    }),
  )(6),
};

const securityDefinitionsItem: Encode = (w, value) => {
  const key = value.type === "oauth2" ? `oauth2/${String(value.flow)}` : String(value.type);
  const branch = SECURITY_SCHEMES[key];
  if (branch === undefined) fail("SecurityDefinitionsItem", `a known scheme, not ${key}`);
  branch(w, value);
};

const document = message({
  name: "Document",
  fields: [
    ["swagger", 1, STRING],
    ["info", 2, embedded(info)],
    ["host", 3, STRING],
    ["basePath", 4, STRING],
    ["schemes", 5, STRINGS],
    ["consumes", 6, STRINGS],
    ["produces", 7, STRINGS],
    ["paths", 8, embedded(paths)],
    ["definitions", 9, embedded(namedSchemas)],
    ["parameters", 10, embedded(namedMap(embedded(parameter)))],
    ["responses", 11, embedded(namedMap(embedded(response)))],
    ["security", 12, SECURITY_REQUIREMENTS],
    ["securityDefinitions", 13, embedded(namedMap(embedded(securityDefinitionsItem)))],
    ["tags", 14, repeated(tag)],
    ["externalDocs", 15, embedded(externalDocs)],
  ],
  vendorExtension: 16,
});

/**
 * The swagger 2.0 document (as `buildOpenAPIV2` returns it) as the bytes of
 * a gnostic `openapi.v2.Document`. Pure and deterministic: the same document
 * gives the same bytes, so callers may cache the result beside the JSON form.
 */
export function encodeOpenAPIV2Protobuf(doc: Record<string, unknown>): Uint8Array {
  const w = new ProtoWriter(1024 * 1024);
  document(w, doc);
  return w.finish();
}
