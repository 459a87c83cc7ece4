import type { IncomingMessage, ServerResponse } from "node:http";
import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import { conversionFor } from "../../api/conversion/index.js";
import {
  apiVersionOf,
  BUILTIN_RESOURCES,
  groupResource,
  type ResourceDescriptor,
} from "../../api/resources.js";
import type { KubeObject } from "../../api/strategy.js";
import { fieldManagerFor, fieldManagerProblems } from "../../machinery/apply/index.js";
import { escapeValue } from "../../machinery/fields/index.js";
import { labelSelectorAsSelector } from "../../machinery/labels/index.js";
import { NO_PATCH_META } from "../../machinery/patch/meta.js";
import { CUSTOM_RESOURCE_PATCH_TYPES } from "../crd/hooks.js";
import { customResourceTerminating } from "../crd/registry.js";
import { carryBodySource, decodeBody, readBody } from "../http/body.js";
import { negotiateObject } from "../http/negotiate.js";
import type { ResourceRequest } from "../http/request-info.js";
import { writeObject } from "../http/respond.js";
import { servePodLog } from "../kubelet/pod-log.js";
import { PROXYABLE, serveProxy } from "../proxy/serve.js";
import { bindPod } from "../registry/binding.js";
import type {
  RegistryContext,
  ResourceScope,
  UserInfo,
  WriteOptions,
} from "../registry/context.js";
import { createObject } from "../registry/create.js";
import { type DeleteOptions, deleteObject } from "../registry/delete.js";
import { evictPod } from "../registry/eviction.js";
import { getObject } from "../registry/get.js";
import { listObjects } from "../registry/list.js";
import { patchObject, patchTypeOf } from "../registry/patch.js";
import { getScale, updateScale } from "../registry/scale.js";
import { checkFieldNames } from "../registry/select.js";
import { requestToken } from "../registry/token-request.js";
import { checkTypeMeta } from "../registry/type-meta.js";
import { updateObject } from "../registry/update.js";
import {
  badRequest,
  internalError,
  methodNotAllowed,
  notAcceptable,
  notFoundPath,
  notImplemented,
  success,
  unsupportedMediaType,
} from "../status.js";
import { boolParam, dryRunParam, fieldValidationParam, filterParams, intParam } from "./params.js";
import { renderList, renderObject } from "./render.js";
import { serveWatch } from "./watch.js";

export interface ResourceHandlerDeps {
  readonly ctx: RegistryContext;
  readonly lookup: (
    group: string,
    version: string,
    resource: string,
  ) => ResourceDescriptor | undefined;
}

const GENERIC_SUBRESOURCES = new Set([
  "",
  "status",
  "scale",
  "binding",
  "eviction",
  "finalize",
  "token",
  "ephemeralcontainers",
]);

/** Serves one resource request: routes by verb to the registry and renders the result. */
export async function handleResource(
  deps: ResourceHandlerDeps,
  info: ResourceRequest,
  http: { req: IncomingMessage; res: ServerResponse; query: URLSearchParams; user: UserInfo },
): Promise<void> {
  const { ctx } = deps;
  const d = deps.lookup(info.group, info.version, info.resource);
  if (!d) throw notFoundPath();
  if (d.namespaced === false && info.namespace !== "") throw notFoundPath();
  // Namespaced objects are addressed inside their namespace; across
  // namespaces only list and watch exist (as upstream's routes).
  if (d.namespaced && info.namespace === "" && info.verb !== "list" && info.verb !== "watch")
    throw notFoundPath();
  checkPathSegment("name", info.name);
  checkPathSegment("namespace", info.namespace);
  // A version stored as another one: the registry works on the stored form,
  // requests and responses are converted at this edge.
  const convert = conversionFor(d);
  const stored = convert
    ? deps.lookup(convert.storage.group, convert.storage.version, d.plural)
    : d;
  if (!stored) throw internalError(`no storage version for ${d.group}/${d.version} ${d.plural}`);
  const scope: ResourceScope = {
    d: stored,
    strategy: ctx.hooks.strategyFor(stored.group, stored.version, stored.kind),
  };
  const incoming = (body: unknown): unknown => {
    if (!convert) return body;
    const converted = convert.toStorage(checkTypeMeta(body, d));
    // Duplicate fields are looked for in the text the client sent.
    carryBodySource(body, converted);
    return converted;
  };
  const { req, res, query } = http;
  if (d.group === "" && d.plural === "pods" && info.subresource === "log") {
    const nodes = ctx.resources.byGroupResource("", "nodes");
    if (!nodes) throw internalError("no nodes resource");
    const nodeScope = { d: nodes, strategy: ctx.hooks.strategyFor("", "v1", "Node") };
    return servePodLog({
      verb: info.verb,
      pod: await getObject(ctx, scope, { namespace: info.namespace, name: info.name }),
      node: (name) => getObject(ctx, nodeScope, { namespace: "", name }),
      query,
      client: ctx.kubeletClient,
      req,
      res,
    });
  }
  if (d.group === "" && PROXYABLE.has(d.plural) && info.subresource.split("/")[0] === "proxy") {
    return serveProxy({
      resource: d.plural,
      namespace: info.namespace,
      id: info.name,
      path: info.path,
      query,
      get: (plural, namespace, name) => {
        const target = ctx.resources.byGroupResource("", plural);
        if (!target) throw internalError(`no ${plural} resource`);
        const strategy = ctx.hooks.strategyFor("", "v1", target.kind);
        return getObject(ctx, { d: target, strategy }, { namespace, name });
      },
      client: ctx.kubeletClient,
      req,
      res,
    });
  }
  const format = negotiateObject(req.headers.accept);
  if (!format) {
    throw notAcceptable(
      "only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io",
    );
  }
  const sub = info.subresource;
  if (sub !== "" && !d.subresources.includes(sub.split("/")[0] ?? "")) throw notFoundPath();
  if (!GENERIC_SUBRESOURCES.has(sub)) {
    throw subresourceUnavailable(d, sub);
  }
  const warnings: string[] = [];
  const writeOpts = (): WriteOptions => ({
    user: http.user,
    dryRun: dryRunParam(query),
    fieldValidation: fieldValidationParam(query),
    warnings,
    fieldManager: fieldManagerParam(query, req.headers["user-agent"]),
  });
  const hooks = ctx.hooks;
  const respond = (code: number, obj: KubeObject) =>
    renderObject(res, { code, obj, format, scope, served: d, convert, hooks, warnings, query });

  if (sub === "token") {
    if (info.verb !== "create") throw methodNotAllowed();
    const body = decodeBody(await readBody(req), req.headers["content-type"], {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
    });
    const issued = await requestToken(ctx, { namespace: info.namespace, name: info.name, body });
    const yaml = format.kind === "object" && format.encoding === "yaml";
    return writeObject(res, 201, issued, { warnings, yaml });
  }
  if (sub === "binding" || sub === "eviction") {
    if (info.verb !== "create") throw methodNotAllowed();
    const body = decodeBody(
      await readBody(req),
      req.headers["content-type"],
      sub === "binding"
        ? { apiVersion: "v1", kind: "Binding" }
        : { apiVersion: "policy/v1", kind: "Eviction" },
    );
    const target = { namespace: info.namespace, name: info.name };
    if (sub === "binding") {
      await bindPod(ctx, scope, { ...target, body, opts: writeOpts() });
    } else {
      await evictPod(ctx, scope, {
        ...target,
        body,
        user: http.user,
        dryRun: dryRunParam(query),
        matches: (selector, labels) => {
          try {
            return labelSelectorAsSelector(selector as LabelSelector).matches(labels);
          } catch {
            return false;
          }
        },
      });
    }
    return writeObject(res, 201, { ...success(), code: 201 }, { warnings });
  }
  if (sub === "scale")
    return handleScale(ctx, scope, info, {
      req,
      res,
      writeOpts,
      respond: (code, obj) => writeObject(res, code, obj, { warnings }),
    });

  switch (info.verb) {
    case "get": {
      const obj = await getObject(ctx, scope, { namespace: info.namespace, name: info.name });
      return respond(200, obj);
    }
    case "list": {
      if (sub !== "") throw methodNotAllowed();
      const filter = filterParams(ctx.hooks, query);
      checkFieldNames(scope, filter.fieldNames);
      const limit = intParam(query, "limit");
      const cont = query.get("continue") ?? "";
      const rv = query.get("resourceVersion");
      const rvm = query.get("resourceVersionMatch");
      const result = await listObjects(ctx, scope, {
        namespace: info.namespace,
        filter,
        ...(limit !== undefined ? { limit } : {}),
        ...(cont !== "" ? { continueToken: cont } : {}),
        ...(rv !== null ? { resourceVersion: rv } : {}),
        ...(rvm !== null && rvm !== "" ? { resourceVersionMatch: rvm } : {}),
      });
      return renderList(res, { result, format, scope, served: d, convert, hooks, warnings, query });
    }
    case "watch": {
      if (sub !== "") throw methodNotAllowed();
      const filter = filterParams(ctx.hooks, query);
      checkFieldNames(scope, filter.fieldNames);
      // GET .../pods/NAME?watch=1 watches one object, like a metadata.name field selector.
      const watchFilter =
        info.name === ""
          ? filter
          : {
              ...filter,
              name: info.name,
              field: ctx.hooks.parseFieldSelector(
                [filter.field.toString(), `metadata.name=${escapeValue(info.name)}`]
                  .filter(Boolean)
                  .join(","),
              ),
            };
      return serveWatch(ctx, scope, {
        req,
        res,
        query,
        format,
        filter: watchFilter,
        namespace: info.namespace,
        served: d,
        convert,
      });
    }
    case "create": {
      if (sub !== "") throw methodNotAllowed();
      if (customResourceTerminating(d)) throw createWhileTerminating(d);
      const body = incoming(
        decodeBody(await readBody(req), req.headers["content-type"], typeOf(d)),
      );
      const obj = await createObject(ctx, scope, {
        namespace: info.namespace,
        body,
        opts: writeOpts(),
      });
      return respond(201, obj);
    }
    case "update": {
      const body = incoming(
        decodeBody(await readBody(req), req.headers["content-type"], typeOf(d)),
      );
      const result = await updateObject(ctx, scope, {
        namespace: info.namespace,
        name: info.name,
        subresource: sub,
        body,
        opts: writeOpts(),
      });
      return respond(200, result.object);
    }
    case "patch": {
      const type = patchTypeOf(req.headers["content-type"]);
      if (type === "strategic" && isCustom(d))
        throw unsupportedMediaType(CUSTOM_RESOURCE_PATCH_TYPES);
      if (type === "apply" && !query.get("fieldManager")) {
        throw badRequest("PATCH, application/apply-patch+yaml requests must have a fieldManager");
      }
      const result = await patchObject(ctx, scope, {
        namespace: info.namespace,
        name: info.name,
        subresource: sub,
        type,
        body: (await readBody(req)).toString("utf8"),
        opts: writeOpts(),
        force: boolParam(query, "force") ?? false,
        ...(convert ? { convert } : {}),
      });
      return respond(result.created ? 201 : 200, result.object);
    }
    case "delete": {
      if (sub !== "") throw methodNotAllowed();
      const options = await deleteOptions(req, query);
      const result = await deleteObject(ctx, scope, {
        namespace: info.namespace,
        name: info.name,
        options,
        dryRun: dryRunParam(query),
        user: http.user,
      });
      // Pending (finalizers, grace period) or done, upstream answers 200; pods
      // return the object itself, other kinds a Status naming what went.
      if (!result.deleted || RETURNS_DELETED_OBJECT.has(groupResource(d)))
        return respond(200, result.object);
      const meta = result.object.metadata ?? {};
      return writeObject(
        res,
        200,
        success({
          name: meta.name ?? info.name,
          ...(d.group ? { group: d.group } : {}),
          kind: d.plural,
          ...(meta.uid ? { uid: meta.uid } : {}),
        }),
        { warnings },
      );
    }
    case "deletecollection": {
      if (sub !== "") throw methodNotAllowed();
      const options = await deleteOptions(req, query);
      const filter = filterParams(ctx.hooks, query);
      checkFieldNames(scope, filter.fieldNames);
      const listed = await listObjects(ctx, scope, { namespace: info.namespace, filter });
      const dryRun = dryRunParam(query);
      const deleted: KubeObject[] = [];
      for (const obj of listed.items) {
        const m = obj.metadata ?? {};
        try {
          const r = await deleteObject(ctx, scope, {
            namespace: m.namespace ?? "",
            name: m.name ?? "",
            options,
            dryRun,
            user: http.user,
          });
          deleted.push(r.object);
        } catch (err) {
          // Deleted meanwhile: nothing left to do for it.
          if ((err as { code?: number }).code !== 404) throw err;
        }
      }
      return renderList(res, {
        result: { items: deleted, resourceVersion: listed.resourceVersion },
        format,
        scope,
        served: d,
        convert,
        hooks,
        warnings,
        query,
      });
    }
    case "connect":
      throw subresourceUnavailable(d, sub);
  }
}

/** Kinds whose DELETE answers with the deleted object (upstream's ReturnDeletedObject). */
const RETURNS_DELETED_OBJECT = new Set(["pods"]);

const BUILTIN = new Set(BUILTIN_RESOURCES.map((b) => `${b.group}/${b.version}/${b.plural}`));

/** Upstream's crdHandler: NewMethodNotSupported with its message replaced. */
function createWhileTerminating(d: ResourceDescriptor) {
  const err = methodNotAllowed();
  err.status.message = "create not allowed while custom resource definition is terminating";
  err.message = err.status.message;
  err.status.details = { group: d.group, kind: d.plural };
  return err;
}

/** Served from a CustomResourceDefinition (strategic merge patch does not apply: no patch metadata). */
function isCustom(d: ResourceDescriptor): boolean {
  return !BUILTIN.has(`${d.group}/${d.version}/${d.plural}`);
}

function subresourceUnavailable(d: ResourceDescriptor, sub: string) {
  const base = sub.split("/")[0] ?? sub;
  // exec, attach and portforward are served as connection upgrades (server.ts).
  if (["exec", "attach", "portforward"].includes(base))
    return badRequest("Upgrade request required");
  return notImplemented(`the ${d.plural}/${base} subresource is not implemented yet`);
}

async function deleteOptions(req: IncomingMessage, query: URLSearchParams): Promise<DeleteOptions> {
  const raw = await readBody(req);
  const body =
    raw.toString("utf8").trim() === ""
      ? {}
      : (decodeBody(raw, req.headers["content-type"], {
          apiVersion: "v1",
          kind: "DeleteOptions",
        }) as Record<string, unknown>);
  if (body === null || typeof body !== "object")
    throw badRequest("DeleteOptions must be an object");
  const opts: DeleteOptions = {};
  const bodyGrace = body.gracePeriodSeconds;
  if (bodyGrace !== undefined && bodyGrace !== null && !Number.isInteger(bodyGrace)) {
    throw badRequest("gracePeriodSeconds must be an integer");
  }
  const grace = intParam(query, "gracePeriodSeconds") ?? (bodyGrace as number | undefined);
  if (grace !== undefined && grace !== null) opts.gracePeriodSeconds = grace;
  const policy = query.get("propagationPolicy") ?? (body.propagationPolicy as string | undefined);
  if (policy) {
    if (policy !== "Foreground" && policy !== "Background" && policy !== "Orphan") {
      throw badRequest(
        `propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
      );
    }
    opts.propagationPolicy = policy;
  }
  const orphan =
    boolParam(query, "orphanDependents") ?? (body.orphanDependents as boolean | undefined);
  if (orphan !== undefined && orphan !== null) opts.orphanDependents = orphan;
  const pre = body.preconditions as { uid?: string; resourceVersion?: string } | undefined;
  if (pre) opts.preconditions = pre;
  return opts;
}

/** GET/PUT/PATCH on `<resource>/<name>/scale`: the autoscaling/v1 Scale view of replicas. */
async function handleScale(
  ctx: RegistryContext,
  scope: ResourceScope,
  info: ResourceRequest,
  h: {
    req: IncomingMessage;
    res: ServerResponse;
    writeOpts: () => WriteOptions;
    respond: (code: number, obj: KubeObject) => void;
  },
): Promise<void> {
  const target = { namespace: info.namespace, name: info.name };
  if (info.verb === "get") return h.respond(200, await getScale(ctx, scope, target));
  if (info.verb === "update") {
    const body = decodeBody(await readBody(h.req), h.req.headers["content-type"], {
      apiVersion: "autoscaling/v1",
      kind: "Scale",
    }) as KubeObject;
    const scale = await updateScale(ctx, scope, {
      ...target,
      opts: h.writeOpts(),
      desired: () => body,
    });
    return h.respond(200, scale);
  }
  if (info.verb === "patch") {
    const type = patchTypeOf(h.req.headers["content-type"]);
    if (type === "strategic" && isCustom(scope.d))
      throw unsupportedMediaType(CUSTOM_RESOURCE_PATCH_TYPES);
    const patch = decodeBody(
      await readBody(h.req),
      type === "apply" ? "application/yaml" : "application/json",
    );
    const scale = await updateScale(ctx, scope, {
      ...target,
      opts: h.writeOpts(),
      desired: (current) => {
        switch (type) {
          case "json":
            return ctx.hooks.jsonPatch(current, patch);
          case "merge":
          case "apply":
            return ctx.hooks.mergePatch(current, patch);
          case "strategic":
            return ctx.hooks.strategicMerge(current, patch, NO_PATCH_META);
        }
      },
    });
    return h.respond(200, scale);
  }
  throw methodNotAllowed();
}

function typeOf(d: ResourceDescriptor): { apiVersion: string; kind: string } {
  return { apiVersion: apiVersionOf(d), kind: d.kind };
}

/** Upstream's IsValidPathSegmentName: a name in a URL can never reach another key. */
function checkPathSegment(_what: string, value: string): void {
  if (value === "") return;
  const problems: string[] = [];
  if (value === "." || value === "..") problems.push(`may not be '${value}'`);
  if (value.includes("/")) problems.push("may not contain '/'");
  if (value.includes("%")) problems.push("may not contain '%'");
  if (problems.length > 0) throw badRequest(problems.join(", "));
}

/** The manager a write is recorded under: ?fieldManager=, else the client's user agent up to its first "/". */
function fieldManagerParam(query: URLSearchParams, userAgent: string | undefined): string {
  const explicit = query.get("fieldManager");
  if (explicit !== null && explicit !== "") {
    const problems = fieldManagerProblems(explicit);
    if (problems.length > 0)
      throw badRequest(
        `fieldManager: Invalid value: ${JSON.stringify(explicit)}: ${problems.join(", ")}`,
      );
  }
  return fieldManagerFor({ fieldManager: explicit ?? undefined, userAgent: userAgent ?? "" });
}
