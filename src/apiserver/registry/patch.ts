import { parse as parseYaml } from "yaml";
import type { Conversion } from "../../api/conversion/index.js";
import type { KubeObject } from "../../api/strategy.js";
import {
  ApiError,
  badRequest,
  conflict,
  OBJECT_MODIFIED,
  unsupportedMediaType,
} from "../status.js";
import { metaOf, type RegistryContext, type ResourceScope, type WriteOptions } from "./context.js";
import { createObject } from "./create.js";
import {
  checkFieldValidation,
  checkPatchFieldValidation,
  goFormat,
  goJson,
  patchBodyStrictErrors,
} from "./field-validation.js";
import type { UpdateResult } from "./guaranteed-update.js";
import { qualifiedResource } from "./keys.js";
import { applyTo } from "./managed-fields.js";
import { checkTypeMeta } from "./type-meta.js";
import { prepareUpdate, writeUpdate } from "./update.js";

export type PatchType = "json" | "merge" | "strategic" | "apply";

const PATCH_TYPES: Record<string, PatchType> = {
  "application/json-patch+json": "json",
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
};

export function patchTypeOf(contentType: string | undefined): PatchType {
  const base = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const t = PATCH_TYPES[base];
  if (!t) throw unsupportedMediaType(Object.keys(PATCH_TYPES));
  return t;
}

function parseBody(type: PatchType, body: string): unknown {
  try {
    return type === "apply" ? parseYaml(body) : JSON.parse(body);
  } catch (err) {
    throw badRequest(`error decoding patch: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * PATCH: apply a JSON, merge or strategic-merge patch to the stored object,
 * or server-side apply a configuration, then store the result through the
 * same path as an update (defaults, admission, validation, CAS with retry).
 */
export async function patchObject(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: {
    namespace: string;
    name: string;
    subresource: string;
    type: PatchType;
    body: string;
    opts: WriteOptions;
    force: boolean;
    /** Set when the client addresses a version stored as another: patches apply to the served form. */
    convert?: Conversion;
  },
): Promise<UpdateResult & { created?: boolean }> {
  const { d } = scope;
  const patch = parseBody(req.type, req.body);
  // The patch body's own strict errors (duplicate fields; unknown fields of
  // JSON patch operations), which JSON.parse has already resolved.
  const patchErrors =
    req.type === "apply" || req.opts.fieldValidation === "Ignore"
      ? []
      : patchBodyStrictErrors(req.type, req.body, patch);
  /** The patched object in the served version, as the last attempt made it. */
  let served: KubeObject | undefined;
  const gvk = { group: d.group, version: d.version, kind: d.kind };
  const applied =
    req.type !== "apply"
      ? undefined
      : req.convert
        ? req.convert.toStorage(patch as KubeObject)
        : checkTypeMeta(patch, d);
  if (applied) {
    if (applied.metadata?.name && applied.metadata.name !== req.name) {
      throw badRequest(
        `the name of the object (${applied.metadata.name}) does not match the name on the URL (${req.name})`,
      );
    }
    checkFieldValidation(ctx, d, applied, req.opts);
    metaOf(applied).name = req.name;
    try {
      return await patchExisting();
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404) || req.subresource !== "") throw err;
      const body = applyTo(ctx, scope, {
        live: undefined,
        applied: structuredClone(applied),
        opts: req.opts,
        subresource: "",
        force: req.force,
      });
      const object = await createObject(ctx, scope, {
        namespace: req.namespace,
        body,
        opts: req.opts,
        applied: true,
      });
      return { object, changed: true, previous: object, created: true };
    }
  }
  return patchExisting();

  async function patchExisting(): Promise<UpdateResult> {
    return writeUpdate(ctx, scope, {
      namespace: req.namespace,
      name: req.name,
      opts: req.opts,
      modify: async (current) => {
        const isApply = req.type === "apply";
        const patched = isApply
          ? applyTo(ctx, scope, {
              live: current,
              applied: structuredClone(applied as KubeObject),
              opts: req.opts,
              subresource: req.subresource,
              force: req.force,
            })
          : applyPatch(current);
        const desired = checkTypeMeta(patched, d);
        const meta = metaOf(desired);
        if (meta.name !== req.name)
          throw badRequest("metadata.name: the name of the object cannot be changed by a patch");
        // A resourceVersion in the patch is a precondition on the stored object.
        const rv = meta.resourceVersion;
        if (rv && rv !== current.metadata?.resourceVersion) {
          throw conflict(qualifiedResource(d), req.name, OBJECT_MODIFIED);
        }
        if (!isApply) {
          checkPatchFieldValidation(ctx, d, desired, req.opts, {
            errors: patchErrors,
            // Upstream shows the patched object as JSON (json and merge
            // patches) or the decoded patch as Go prints a map (strategic).
            badValue: () => (req.type === "strategic" ? goFormat(patch) : goJson(served)),
          });
        }
        return prepareUpdate(ctx, scope, {
          subresource: req.subresource,
          desired,
          current,
          opts: req.opts,
          applied: isApply,
        });
      },
    });
  }

  function applyPatch(stored: KubeObject): KubeObject {
    if (!req.convert) {
      served = applyServed(stored);
      return served;
    }
    served = applyServed(req.convert.fromStorage(stored));
    return req.convert.toStorage(served);
  }

  function applyServed(current: KubeObject): KubeObject {
    try {
      switch (req.type) {
        case "json":
          return ctx.hooks.jsonPatch(current, patch);
        case "merge":
          return ctx.hooks.mergePatch(current, patch);
        case "strategic":
          return ctx.hooks.strategicMerge(current, patch, ctx.hooks.patchMetaFor(gvk));
        case "apply":
          throw new Error("server-side apply is merged by applyTo, never as a patch");
      }
    } catch (err) {
      if (err instanceof ApiError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      if (
        (err as { name?: string }).name?.includes("Conflict") ||
        /test operation failed/i.test(message)
      ) {
        throw new ApiError(
          {
            kind: "Status",
            apiVersion: "v1",
            metadata: {},
            status: "Failure",
            message: `the server rejected our request due to an error in our request: ${message}`,
            reason: "Invalid",
            code: 422,
          },
          { cause: err },
        );
      }
      throw badRequest(message);
    }
  }
}
