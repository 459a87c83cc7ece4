import { randomUUID } from "node:crypto";
import type { KubeObject } from "../../api/strategy.js";
import { KeyExistsError } from "../../storage/errors.js";
import { alreadyExists, badRequest, invalid } from "../status.js";
import { encodeObject, withResourceVersion } from "./codec.js";
import {
  metaOf,
  type RegistryContext,
  type ResourceScope,
  timestamp,
  type WriteOptions,
} from "./context.js";
import { checkFieldValidation } from "./field-validation.js";
import { keyFor, qualifiedResource, usesGeneration } from "./keys.js";
import { trackUpdate } from "./managed-fields.js";
import { generateName } from "./names.js";
import { prepareForCreate } from "./prepare.js";
import { checkTypeMeta } from "./type-meta.js";

/**
 * POST a new object: type and namespace checks, generateName, system
 * metadata, defaults, admission, validation, then create-if-absent in the
 * store. Returns the stored object (or, for dryRun, what would be stored).
 */
export async function createObject(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: {
    namespace: string;
    body: unknown;
    opts: WriteOptions;
    /** The body already carries its managedFields (a server-side apply that creates). */
    applied?: boolean;
  },
): Promise<KubeObject> {
  const { d, strategy } = scope;
  const obj = checkTypeMeta(req.body, d);
  checkFieldValidation(ctx, d, obj, req.opts);
  const meta = metaOf(obj);
  if (d.namespaced) {
    if (meta.namespace && meta.namespace !== req.namespace) {
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    meta.namespace = req.namespace;
  } else {
    delete meta.namespace;
  }
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  meta.uid = randomUUID();
  meta.creationTimestamp = timestamp(ctx.now());
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (usesGeneration(d)) meta.generation = 1;
  else delete meta.generation;

  prepareForCreate(d, obj);
  strategy.default?.(obj);
  const attrs = {
    operation: "CREATE" as const,
    resource: d,
    subresource: "",
    namespace: req.namespace,
    name: meta.name ?? "",
    object: obj,
    oldObject: undefined,
    user: req.opts.user,
    dryRun: req.opts.dryRun,
  };
  await ctx.admission.admit(attrs);
  strategy.prepareForCreate?.(obj);
  if (!req.applied)
    trackUpdate(ctx, scope, { live: undefined, next: obj, opts: req.opts, subresource: "" });
  const errors = [
    ...ctx.hooks.validateObjectMeta(obj, {
      namespaced: d.namespaced,
      nameRule: strategy.nameRule ?? "subdomain",
    }),
    ...(strategy.validate?.(obj) ?? []),
  ];
  if (errors.length > 0) throw invalid({ group: d.group, kind: d.kind }, meta.name ?? "", errors);
  await ctx.admission.validate(attrs);

  const name = meta.name as string;
  const key = keyFor(d, req.namespace, name);
  if (req.opts.dryRun) {
    if (await ctx.store.get(key)) throw alreadyExists(qualifiedResource(d), name);
    return obj;
  }
  try {
    const kv = await ctx.store.create(key, encodeObject(obj));
    return withResourceVersion(obj, kv.modRevision);
  } catch (err) {
    if (err instanceof KeyExistsError) throw alreadyExists(qualifiedResource(d), name);
    throw err;
  }
}
