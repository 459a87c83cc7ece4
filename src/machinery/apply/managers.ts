/**
 * metadata.managedFields decoded into one field set per manager, and
 * encoded back. A manager is identified as upstream does: by name,
 * operation and subresource, plus apiVersion for Update entries (so an
 * applier keeps one entry across versions while updaters get one per
 * version they wrote).
 */
import { isObject } from "../patch/json-value.js";
import { ManagedFieldsError } from "./errors.js";
import { type FieldsV1, fromFieldsV1, toFieldsV1 } from "./fieldsv1.js";
import { compareStrings, goJson } from "./path.js";
import type { FieldSet } from "./set.js";

export type ManagedFieldsOperation = "Apply" | "Update";

/** One metadata.managedFields entry on the wire (keys in upstream's order). */
export interface ManagedFieldsEntry {
  manager?: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  time?: string;
  fieldsType: "FieldsV1";
  fieldsV1: FieldsV1;
  subresource?: string;
}

/** A decoded entry: who manages which fields, and since when. */
export interface ManagerEntry {
  readonly manager: string;
  readonly operation: ManagedFieldsOperation;
  readonly apiVersion: string;
  readonly subresource: string;
  /** RFC 3339 time as stored; undefined when the entry has none. */
  readonly time: string | undefined;
  readonly set: FieldSet;
}

/** Entries by manager identity. */
export type Managers = Map<string, ManagerEntry>;

/** The identity of a manager, upstream's JSON of the entry without time, fields and (for Apply) apiVersion. */
export function managerIdentity(e: {
  readonly manager: string;
  readonly operation: ManagedFieldsOperation;
  readonly apiVersion: string;
  readonly subresource: string;
}): string {
  const parts: string[] = [];
  if (e.manager !== "") parts.push(`"manager":${goJson(e.manager)}`);
  parts.push(`"operation":${goJson(e.operation)}`);
  if (e.operation === "Update" && e.apiVersion !== "")
    parts.push(`"apiVersion":${goJson(e.apiVersion)}`);
  if (e.subresource !== "") parts.push(`"subresource":${goJson(e.subresource)}`);
  return `{${parts.join(",")}}`;
}

/** RFC 3339 at second precision, as metav1.Time serializes. */
export function formatTime(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, "Z");
}

function timeSeconds(time: string | undefined): number {
  if (time === undefined) return 0;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/**
 * Decodes metadata.managedFields. Throws ManagedFieldsError for entries
 * upstream refuses: an operation other than Apply/Update, an empty
 * apiVersion, a fieldsType other than FieldsV1, undecodable fieldsV1.
 */
export function decodeManagedFields(entries: unknown): Managers {
  const out: Managers = new Map();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries))
    throw new ManagedFieldsError("metadata.managedFields must be a list");
  entries.forEach((raw, i) => {
    if (!isObject(raw)) throw new ManagedFieldsError(`managed fields entry ${i} is not an object`);
    const operation = raw.operation;
    if (operation !== "Apply" && operation !== "Update") {
      throw new ManagedFieldsError("operation must be `Apply` or `Update`");
    }
    const apiVersion = typeof raw.apiVersion === "string" ? raw.apiVersion : "";
    if (apiVersion === "") throw new ManagedFieldsError("apiVersion must not be empty");
    if (raw.fieldsType === undefined || raw.fieldsType === "") {
      throw new ManagedFieldsError(`missing fieldsType in managed fields entry ${i}`);
    }
    if (raw.fieldsType !== "FieldsV1") {
      throw new ManagedFieldsError(
        `invalid fieldsType ${JSON.stringify(raw.fieldsType)} in managed fields entry ${i}`,
      );
    }
    let set: FieldSet;
    try {
      set = fromFieldsV1(raw.fieldsV1 ?? {});
    } catch (cause) {
      throw new ManagedFieldsError(`error decoding versioned set from managed fields entry ${i}`, {
        cause,
      });
    }
    const entry: ManagerEntry = {
      manager: typeof raw.manager === "string" ? raw.manager : "",
      operation,
      apiVersion,
      subresource: typeof raw.subresource === "string" ? raw.subresource : "",
      time: typeof raw.time === "string" ? raw.time : undefined,
      set,
    };
    out.set(managerIdentity(entry), entry);
  });
  return out;
}

/** Decodes, treating anything undecodable as no managed fields (upstream's fallback for updates). */
export function decodeManagedFieldsOrEmpty(entries: unknown): Managers {
  try {
    return decodeManagedFields(entries);
  } catch (err) {
    if (err instanceof ManagedFieldsError) return new Map();
    throw err;
  }
}

/**
 * Encodes entries in upstream's order: Apply before Update, then by time
 * (seconds), manager, apiVersion and subresource. Undefined when none
 * remain (the object then has no managedFields).
 */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] | undefined {
  if (managers.size === 0) return undefined;
  const entries = [...managers.values()].sort(
    (p, q) =>
      compareStrings(p.operation, q.operation) ||
      timeSeconds(p.time) - timeSeconds(q.time) ||
      compareStrings(p.manager, q.manager) ||
      compareStrings(p.apiVersion, q.apiVersion) ||
      compareStrings(p.subresource, q.subresource),
  );
  return entries.map((e) => ({
    ...(e.manager !== "" ? { manager: e.manager } : {}),
    operation: e.operation,
    apiVersion: e.apiVersion,
    ...(e.time !== undefined ? { time: e.time } : {}),
    fieldsType: "FieldsV1",
    fieldsV1: toFieldsV1(e.set),
    ...(e.subresource !== "" ? { subresource: e.subresource } : {}),
  }));
}

/** Upstream's cap on Update entries before the oldest are merged into "ancient-changes". */
export const MAX_UPDATE_MANAGERS = 10;

/**
 * Keeps at most MAX_UPDATE_MANAGERS Update entries by merging the oldest
 * ones, per apiVersion, into an "ancient-changes" entry.
 */
export function capUpdateManagers(managers: Managers): Managers {
  const updaters = [...managers.entries()]
    .filter(([, e]) => e.operation === "Update")
    .map(([id]) => id);
  if (updaters.length <= MAX_UPDATE_MANAGERS) return managers;
  const out: Managers = new Map(managers);
  updaters.sort(
    (a, b) =>
      timeSeconds(managers.get(a)?.time) - timeSeconds(managers.get(b)?.time) ||
      compareStrings(a, b),
  );
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > MAX_UPDATE_MANAGERS; i++) {
    const id = updaters[i] as string;
    const entry = out.get(id);
    if (entry === undefined) continue;
    const version = entry.apiVersion;
    const first = firstOfVersion.get(version);
    if (first === undefined) {
      firstOfVersion.set(version, id);
      continue;
    }
    const bucketEntry = {
      manager: "ancient-changes",
      operation: "Update",
      apiVersion: version,
      subresource: "",
    } as const;
    const bucketId = managerIdentity(bucketEntry);
    if (!out.has(bucketId)) {
      const moved = out.get(first);
      out.delete(first);
      if (moved !== undefined) out.set(bucketId, { ...moved, ...bucketEntry });
    }
    const bucket = out.get(bucketId);
    if (bucket !== undefined)
      out.set(bucketId, { ...bucket, set: entry.set.union(bucket.set), time: entry.time });
    out.delete(id);
    length--;
  }
  return out;
}

/** Upstream's "%q using apps/v1" rendering of a manager in conflict messages. */
export function describeManager(
  e: Pick<ManagerEntry, "manager" | "operation" | "apiVersion" | "subresource">,
): string {
  let text = JSON.stringify(e.manager);
  if (e.subresource !== "") text += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === "Update") text += ` using ${e.apiVersion}`;
  return text;
}
