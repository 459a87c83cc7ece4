/**
 * Generates src/api/proto/messages.ts: the table the Kubernetes protobuf
 * decoder (src/api/proto/) walks. Dev-time only; CI never runs it.
 *
 * Inputs are plain file trees of three upstream repositories at one release
 * tag. With the repositories mirrored as bare git directories:
 *
 *     for r in api apimachinery apiextensions-apiserver; do
 *       mkdir -p /tmp/k8s-src/$r
 *       git --git-dir <mirror of kubernetes/$r> archive v0.32.13 | tar -x -C /tmp/k8s-src/$r
 *     done
 *     node --import tsx scripts/gen-proto.ts --src /tmp/k8s-src --ref v0.32.13
 *     npx biome check --write src/api/proto/messages.ts
 *
 * What it reads (facts only; no upstream text lands in the output):
 * - every `generated.proto` of a GA package (version `v1`, `v2`, ...), plus
 *   the apimachinery packages they import: field numbers, wire types,
 *   repeated/map shapes and message references (parsed with protobufjs);
 * - the Go struct tags in the same packages' `.go` files: the json name,
 *   `omitempty`, whether the Go field is a pointer and whether it is an
 *   embedded struct, matched to proto fields by the number in the
 *   `protobuf:"..."` tag; named slice types (`type Verbs []string`), whose
 *   proto message wraps an `items` field; types with their own MarshalJSON;
 * - `register.go`: the group name and the kinds each group version registers.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import protobuf from "protobufjs";
import { INLINE, ITEMS, OMITEMPTY, POINTER, REPEATED } from "../src/api/proto/table.js";
import { apiVersionOf, BUILTIN_RESOURCES } from "../src/api/resources.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT_FILE = join(ROOT, "src", "api", "proto", "messages.ts");

/** Where each upstream module lives under --src. */
const MODULES: Record<string, string> = {
  "k8s.io/api": "api",
  "k8s.io/apimachinery": "apimachinery",
  "k8s.io/apiextensions-apiserver": "apiextensions-apiserver",
};

/** Packages always included besides the GA API groups. */
const BASE_PACKAGES = [
  "k8s.io/apimachinery/pkg/apis/meta/v1",
  "k8s.io/apimachinery/pkg/runtime",
  "k8s.io/apimachinery/pkg/api/resource",
  "k8s.io/apimachinery/pkg/util/intstr",
];

/**
 * Kinds metav1.AddToGroupVersion registers in every group version, so a
 * client may send them with any apiVersion (DeleteOptions on DELETE).
 */
const EVERY_GROUP_VERSION_KINDS = [
  "WatchEvent",
  "ListOptions",
  "GetOptions",
  "DeleteOptions",
  "CreateOptions",
  "UpdateOptions",
  "PatchOptions",
  "Status",
];

interface GoField {
  goName: string;
  goType: string;
  jsonName: string;
  omitempty: boolean;
  embedded: boolean;
}

interface GoPackage {
  structs: Map<string, Map<number, GoField>>;
  namedSlices: Set<string>;
  customJson: Set<string>;
  groupName: string | undefined;
  version: string | undefined;
  kinds: string[];
}

function main(): void {
  const { values } = parseArgs({
    options: { src: { type: "string" }, ref: { type: "string" } },
  });
  if (!values.src || !values.ref) {
    throw new Error("usage: gen-proto.ts --src <dir with api/ apimachinery/ ...> --ref <tag>");
  }
  const src = values.src;
  const packages = collectPackages(src);
  const root = new protobuf.Root();
  const goPackages = new Map<string, GoPackage>();
  const protoPackageOf = new Map<string, string>();
  for (const pkg of packages) {
    const text = readFileSync(join(dirOf(src, pkg), "generated.proto"), "utf8");
    const parsed = protobuf.parse(text, root, { keepCase: true });
    if (parsed.package) protoPackageOf.set(parsed.package, pkg);
    goPackages.set(pkg, readGoPackage(dirOf(src, pkg)));
  }
  root.resolveAll();

  const rows: string[] = [];
  const custom: string[] = [];
  const warnings: string[] = [];
  for (const type of allTypes(root)) {
    const fqn = type.fullName.slice(1);
    const protoPkg = fqn.slice(0, fqn.lastIndexOf("."));
    const go = goPackages.get(protoPackageOf.get(protoPkg) ?? "");
    if (!go) throw new Error(`no Go package for ${fqn}`);
    if (go.customJson.has(type.name)) custom.push(fqn);
    const fields = go.structs.get(type.name);
    const wraps = go.namedSlices.has(type.name);
    if (!fields && !wraps && !go.customJson.has(type.name) && type.fieldsArray.length > 0) {
      warnings.push(`${fqn}: no Go struct; fields default to omitempty`);
    }
    const isCustom = go.customJson.has(type.name);
    const cells = type.fieldsArray
      .slice()
      .sort((a, b) => a.id - b.id)
      .map((f) =>
        fieldRow(f, {
          go: isCustom ? "custom" : wraps ? "items" : fields?.get(f.id),
          fqn,
          warnings,
        }),
      );
    rows.push(`  ${JSON.stringify(fqn)}: [${cells.filter((c) => c !== "").join(", ")}],`);
  }

  const kinds = kindTable({ goPackages, protoPackageOf, root }, warnings);
  const gvs = new Set(Object.keys(kinds).map((k) => k.slice(0, k.lastIndexOf("/"))));
  for (const d of BUILTIN_RESOURCES) {
    if (!gvs.has(apiVersionOf(d)))
      warnings.push(`BUILTIN_RESOURCES ${apiVersionOf(d)} not covered`);
  }
  const everyGv = EVERY_GROUP_VERSION_KINDS.map(
    (k) => `  ${k}: "k8s.io.apimachinery.pkg.apis.meta.v1.${k}",`,
  );
  writeFileSync(OUT_FILE, render({ ref: values.ref, rows, kinds, custom, everyGv }));
  for (const w of warnings) console.warn(`warning: ${w}`);
  console.log(`wrote ${OUT_FILE}: ${rows.length} messages, ${Object.keys(kinds).length} kinds`);
}

/** GA packages of every module plus BASE_PACKAGES, closed over proto imports. */
function collectPackages(src: string): string[] {
  const wanted: string[] = [...BASE_PACKAGES];
  for (const [module, dir] of Object.entries(MODULES)) {
    for (const path of findFiles(join(src, dir), "generated.proto")) {
      const rel = path.slice(join(src, dir).length + 1, -"/generated.proto".length);
      if (/(^|\/)v\d+$/.test(rel) && !rel.startsWith("pkg/apis/testapigroup")) {
        wanted.push(`${module}/${rel}`);
      }
    }
  }
  const seen = new Set<string>();
  while (wanted.length > 0) {
    const pkg = wanted.pop() as string;
    if (seen.has(pkg)) continue;
    seen.add(pkg);
    const text = readFileSync(join(dirOf(src, pkg), "generated.proto"), "utf8");
    for (const m of text.matchAll(/^import "(.+)\/generated\.proto";/gm))
      wanted.push(m[1] as string);
  }
  return [...seen].sort();
}

function dirOf(src: string, pkg: string): string {
  for (const [module, dir] of Object.entries(MODULES)) {
    if (pkg.startsWith(`${module}/`)) return join(src, dir, pkg.slice(module.length + 1));
  }
  throw new Error(`unknown module for ${pkg}`);
}

function findFiles(dir: string, name: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && e.name !== "vendor" && e.name !== "testdata") {
      out.push(...findFiles(join(dir, e.name), name));
    } else if (e.name === name) out.push(join(dir, e.name));
  }
  return out;
}

function allTypes(ns: protobuf.NamespaceBase): protobuf.Type[] {
  const out: protobuf.Type[] = [];
  for (const child of ns.nestedArray) {
    if (child instanceof protobuf.Type) out.push(child);
    if (child instanceof protobuf.Namespace || child instanceof protobuf.Type) {
      out.push(...allTypes(child));
    }
  }
  return out.sort((a, b) => (a.fullName < b.fullName ? -1 : 1));
}

function fieldRow(
  f: protobuf.Field,
  ctx: { go: GoField | "items" | "custom" | undefined; fqn: string; warnings: string[] },
): string {
  const { go } = ctx;
  let type = typeName(f.resolvedType, f.type);
  // Same-package references are written as the bare (capitalised) message name.
  const pkg = ctx.fqn.slice(0, ctx.fqn.lastIndexOf(".") + 1);
  if (type.startsWith(pkg) && !type.slice(pkg.length).includes(".")) type = type.slice(pkg.length);
  if (f instanceof protobuf.MapField) type = `map:${f.keyType}:${type}`;
  let flags = f.repeated ? REPEATED : 0;
  let json = f.name;
  if (go === "custom") {
    // converted by hand in json.ts, which reads fields by number
  } else if (go === "items") {
    flags |= ITEMS;
  } else if (go === undefined) {
    ctx.warnings.push(`${ctx.fqn}.${f.name} (${f.id}): no Go field`);
    flags |= OMITEMPTY;
  } else {
    if (go.jsonName === "-") return "";
    json = go.jsonName === "" && !go.embedded ? go.goName : go.jsonName;
    if (go.omitempty) flags |= OMITEMPTY;
    if (go.goType.startsWith("*")) flags |= POINTER;
    if (go.embedded && go.jsonName === "") flags |= INLINE;
  }
  return `[${f.id}, ${JSON.stringify(json)}, ${JSON.stringify(type)}, ${flags}]`;
}

function typeName(resolved: protobuf.Type | protobuf.Enum | null, declared: string): string {
  if (resolved instanceof protobuf.Enum) return "int32";
  if (resolved) return resolved.fullName.slice(1);
  return declared;
}

/** Struct tags, named slices, MarshalJSON owners and registered kinds of one Go package. */
function readGoPackage(dir: string): GoPackage {
  const pkg: GoPackage = {
    structs: new Map(),
    namedSlices: new Set(),
    customJson: new Set(),
    groupName: undefined,
    version: undefined,
    kinds: [],
  };
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".go") || name.endsWith("_test.go")) continue;
    if (name === "generated.pb.go" || name.startsWith("zz_generated")) continue;
    const text = readFileSync(join(dir, name), "utf8");
    readGoFile(text, pkg);
    if (name === "register.go") readRegister(text, pkg);
  }
  return pkg;
}

function readGoFile(text: string, pkg: GoPackage): void {
  for (const m of text.matchAll(/^type (\w+) \[\]/gm)) pkg.namedSlices.add(m[1] as string);
  for (const m of text.matchAll(/^func \(\w+ \*?(\w+)\) MarshalJSON\(\)/gm)) {
    pkg.customJson.add(m[1] as string);
  }
  for (const m of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    const fields = new Map<number, GoField>();
    for (const line of (m[2] as string).split("\n")) {
      const f = parseGoField(line);
      if (f) fields.set(f.number, f.field);
    }
    pkg.structs.set(m[1] as string, fields);
  }
}

function parseGoField(line: string): { number: number; field: GoField } | undefined {
  const named = /^\t(\w+)\s+(\S+)\s+`(.*)`/.exec(line);
  const embedded = named ? null : /^\t(\*?[\w.]+)\s+`(.*)`/.exec(line);
  const tags = named?.[3] ?? embedded?.[2];
  if (tags === undefined) return undefined;
  const proto = /protobuf:"[a-z0-9]+,(\d+),/.exec(tags);
  if (!proto) return undefined;
  const json = /json:"([^"]*)"/.exec(tags)?.[1] ?? "";
  const [jsonName = "", ...opts] = json.split(",");
  const goType = named ? (named[2] as string) : (embedded?.[1] as string);
  return {
    number: Number(proto[1]),
    field: {
      goName: named ? (named[1] as string) : (goType.replace(/^\*/, "").split(".").pop() as string),
      goType,
      jsonName,
      omitempty: opts.includes("omitempty"),
      embedded: !named,
    },
  };
}

function readRegister(text: string, pkg: GoPackage): void {
  pkg.groupName = /const GroupName = "([^"]*)"/.exec(text)?.[1];
  pkg.version =
    /SchemeGroupVersion = schema\.GroupVersion\{Group: GroupName, Version: "(\w+)"\}/.exec(
      text,
    )?.[1];
  for (const m of text.matchAll(/&(\w+)\{\}/g)) pkg.kinds.push(m[1] as string);
}

function kindTable(
  ctx: {
    goPackages: Map<string, GoPackage>;
    protoPackageOf: Map<string, string>;
    root: protobuf.Root;
  },
  warnings: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [protoPkg, path] of ctx.protoPackageOf) {
    const go = ctx.goPackages.get(path);
    if (go?.groupName === undefined || go.version === undefined) continue;
    const apiVersion = go.groupName === "" ? go.version : `${go.groupName}/${go.version}`;
    for (const kind of go.kinds) {
      const type = ctx.root.lookup(`${protoPkg}.${kind}`);
      if (!(type instanceof protobuf.Type)) {
        warnings.push(`${apiVersion} ${kind}: no proto message`);
        continue;
      }
      out[`${apiVersion}/${kind}`] = type.fullName.slice(1);
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function render(p: {
  ref: string;
  rows: string[];
  kinds: Record<string, string>;
  custom: string[];
  everyGv: string[];
}): string {
  const kinds = Object.entries(p.kinds).map(
    ([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`,
  );
  return `// Generated by scripts/gen-proto.ts from the generated.proto files and Go struct tags of
// k8s.io/api, k8s.io/apimachinery and k8s.io/apiextensions-apiserver at ${p.ref}
// (Kubernetes ${p.ref.replace(/^v0\./, "v1.")}). Do not edit by hand: regenerate as that script's header says.
import type { FieldRow } from "./table.js";

/** Fields of every message, keyed by fully qualified protobuf name. Rows: see table.ts. */
// biome-ignore format: generated data, one message a line
export const MESSAGES: Readonly<Record<string, readonly FieldRow[]>> = {
${p.rows.join("\n")}
};

/** The message of each registered kind, keyed \`<apiVersion>/<kind>\`. */
// biome-ignore format: generated data, one kind a line
export const KINDS: Readonly<Record<string, string>> = {
${kinds.join("\n")}
};

/** Kinds every group version accepts (metav1.AddToGroupVersion), by kind. */
export const EVERY_GROUP_VERSION_KINDS: Readonly<Record<string, string>> = {
${p.everyGv.join("\n")}
};

/** Messages whose Go type has its own MarshalJSON; json.ts converts each. */
export const CUSTOM_JSON: readonly string[] = ${JSON.stringify(p.custom)};
`;
}

main();
