/**
 * JSON patch (RFC 6902, `application/json-patch+json`) with the semantics and
 * error text of the library upstream's API server uses (evanphx/json-patch
 * v4): negative array indices count from the end, a `test` of a missing key
 * against null passes, every failure while applying is a 422, an undecodable
 * patch a 400, more than 10000 operations a 413.
 */
import jsonpatch from "fast-json-patch";
import {
  JsonPatchTestFailedError,
  PatchBadRequestError,
  PatchTooLargeError,
  PatchUnprocessableError,
} from "./errors.js";
import { cloneJson, isObject, type JsonObject } from "./json-value.js";

/** Upstream's limit on operations in one JSON patch. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

type Container = JsonObject | unknown[];

interface Slot {
  container: Container;
  key: string;
}

const MISSING = "missing value";
const INVALID_INDEX = "invalid index referenced";

function fail(message: string, cause: string): never {
  throw new PatchUnprocessableError(`${message}: ${cause}`);
}

/** The container holding the last path segment, or undefined (upstream's findObject). */
function locate(doc: Container, path: string): Slot | undefined {
  const split = path.split("/");
  if (split.length < 2) return undefined;
  let cur: unknown = doc;
  for (const raw of split.slice(1, -1)) {
    const part = jsonpatch.unescapePathComponent(raw);
    let next: unknown;
    if (Array.isArray(cur)) {
      const i = arrayIndex(cur.length, part, false);
      if (i === undefined) return undefined;
      next = cur[i];
    } else if (isObject(cur)) next = Object.hasOwn(cur, part) ? cur[part] : undefined;
    if (!Array.isArray(next) && !isObject(next)) return undefined;
    cur = next;
  }
  const key = jsonpatch.unescapePathComponent(split[split.length - 1] as string);
  return { container: cur as Container, key };
}

const INT_RE = /^[+-]?[0-9]+$/;

/** An index within `length` (negative counts from the end), or undefined. */
function arrayIndex(length: number, key: string, forInsert: boolean): number | undefined {
  if (!INT_RE.test(key)) return undefined;
  let i = Number(key);
  const size = forInsert ? length + 1 : length;
  if (i >= size) return undefined;
  if (i < 0) {
    if (i < -size) return undefined;
    i += size;
  }
  return i;
}

function indexError(key: string, path: string, verb: string): never {
  if (!INT_RE.test(key)) {
    fail(
      `error in ${verb} for path: '${path}'`,
      `strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`,
    );
  }
  fail(
    `error in ${verb} for path: '${path}': Unable to access invalid index: ${key}`,
    INVALID_INDEX,
  );
}

function get(slot: Slot): { found: boolean; value: unknown } {
  const { container, key } = slot;
  if (Array.isArray(container)) {
    const i = arrayIndex(container.length, key, false);
    return i === undefined
      ? { found: false, value: undefined }
      : { found: true, value: container[i] };
  }
  return Object.hasOwn(container, key)
    ? { found: true, value: container[key] }
    : { found: false, value: undefined };
}

function add(slot: Slot, value: unknown, path: string, verb: string): void {
  const { container, key } = slot;
  if (!Array.isArray(container)) {
    container[key] = value;
    return;
  }
  if (key === "-") {
    container.push(value);
    return;
  }
  const i = arrayIndex(container.length, key, true);
  if (i === undefined) {
    if (!INT_RE.test(key)) {
      fail(
        `error in ${verb} for path: '${path}': value was not a proper array index: '${key}'`,
        `strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`,
      );
    }
    indexError(key, path, verb);
  }
  container.splice(i, 0, value);
}

function remove(slot: Slot, path: string, verb: string): unknown {
  const { container, key } = slot;
  if (Array.isArray(container)) {
    const i = arrayIndex(container.length, key, false);
    if (i === undefined) indexError(key, path, verb);
    return container.splice(i, 1)[0];
  }
  if (!Object.hasOwn(container, key)) {
    fail(`error in ${verb} for path: '${path}': Unable to remove nonexistent key: ${key}`, MISSING);
  }
  const v = container[key];
  delete container[key];
  return v;
}

function stringField(op: JsonObject, name: "path" | "from"): string | undefined {
  const v = op[name];
  return typeof v === "string" ? v : undefined;
}

/** One operation applied in place to `root`; returns the (possibly replaced) root. */
function applyOne(root: Container, op: JsonObject): Container {
  const kind = typeof op.op === "string" ? op.op : "unknown";
  const path = stringField(op, "path");
  const value = Object.hasOwn(op, "value") ? cloneJson(op.value) : null;
  switch (kind) {
    case "add": {
      if (path === undefined) fail("add operation failed to decode path", MISSING);
      const slot = locate(root, path);
      if (!slot) fail(`add operation does not apply: doc is missing path: "${path}"`, MISSING);
      add(slot, value, path, "add");
      return root;
    }
    case "remove": {
      if (path === undefined) fail("remove operation failed to decode path", MISSING);
      const slot = locate(root, path);
      if (!slot) fail(`remove operation does not apply: doc is missing path: "${path}"`, MISSING);
      remove(slot, path, "remove");
      return root;
    }
    case "replace": {
      if (path === undefined) fail("replace operation failed to decode path", MISSING);
      if (path === "") {
        if (!Array.isArray(value) && !isObject(value)) {
          throw new PatchUnprocessableError("replace operation value must be object or array");
        }
        return value;
      }
      const slot = locate(root, path);
      if (!slot) fail(`replace operation does not apply: doc is missing path: ${path}`, MISSING);
      if (!get(slot).found)
        fail(`replace operation does not apply: doc is missing key: ${path}`, MISSING);
      if (Array.isArray(slot.container)) {
        slot.container[arrayIndex(slot.container.length, slot.key, false) as number] = value;
      } else slot.container[slot.key] = value;
      return root;
    }
    case "move":
    case "copy": {
      const from = stringField(op, "from");
      if (from === undefined) fail(`${kind} operation failed to decode from`, MISSING);
      const src = locate(root, from);
      if (!src)
        fail(`${kind} operation does not apply: doc is missing from path: ${from}`, MISSING);
      let moved: unknown;
      if (kind === "move") moved = remove(src, src.key, "move");
      else {
        const got = get(src);
        if (!got.found) {
          if (Array.isArray(src.container)) indexError(src.key, from, "copy");
          fail(`error in copy for from: '${from}'`, MISSING);
        }
        moved = cloneJson(got.value);
      }
      if (path === undefined) fail(`${kind} operation failed to decode path`, MISSING);
      const dst = locate(root, path);
      if (!dst)
        fail(`${kind} operation does not apply: doc is missing destination path: ${path}`, MISSING);
      add(dst, moved, path, kind === "move" ? "move" : "add");
      return root;
    }
    case "test": {
      if (path === undefined) fail("test operation failed to decode path", MISSING);
      if (path === "") {
        if (jsonpatch._areEquals(root, value)) return root;
        throw new JsonPatchTestFailedError(`testing value ${path} failed: test failed`);
      }
      const slot = locate(root, path);
      if (!slot) fail(`test operation does not apply: is missing path: ${path}`, MISSING);
      const got = get(slot);
      const actual = got.found ? got.value : null;
      if (jsonpatch._areEquals(actual, value)) return root;
      throw new JsonPatchTestFailedError(`testing value ${path} failed: test failed`);
    }
    default:
      throw new PatchUnprocessableError(`Unexpected kind: ${kind}`);
  }
}

/** Check a decoded patch is a list of operation objects (upstream's DecodePatch). */
export function decodeJsonPatch(patch: unknown): JsonObject[] {
  if (!Array.isArray(patch)) {
    const what = patch === null ? "null" : isObject(patch) ? "object" : typeof patch;
    if (patch === null) return [];
    throw new PatchBadRequestError(
      `json: cannot unmarshal ${what} into Go value of type jsonpatch.Patch`,
    );
  }
  return patch.map((op) => {
    if (!isObject(op)) {
      const what = Array.isArray(op) ? "array" : typeof op;
      throw new PatchBadRequestError(
        `json: cannot unmarshal ${what} into Go value of type jsonpatch.Operation`,
      );
    }
    return op;
  });
}

/**
 * Apply a JSON patch to a document, returning a new document (inputs are not
 * changed). Throws PatchBadRequestError, PatchTooLargeError,
 * PatchUnprocessableError or its subclass JsonPatchTestFailedError.
 */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const ops = decodeJsonPatch(patch);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new PatchTooLargeError(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  }
  if (!Array.isArray(doc) && !isObject(doc)) {
    throw new PatchUnprocessableError("unknown object type");
  }
  let root: Container = cloneJson(doc);
  for (const op of ops) root = applyOne(root, op);
  return root;
}
