/**
 * The REST operations of the served resources, in one neutral form that the
 * OpenAPI v2 and v3 builders both render: path, method, the
 * `x-kubernetes-action`, the kind, query parameters, request body and
 * response. Paths, operation ids and parameter names follow upstream's
 * conventions, since clients (kubectl's field-validation check, explain,
 * apply) look operations up by them.
 */
import type { ResourceDescriptor, Verb } from "../../api/resources.js";
import { definitionNameForKind, type GroupVersionKind } from "../../api/schema/index.js";

export type HttpMethod = "get" | "put" | "post" | "delete" | "patch";

export type Action =
  | "get"
  | "list"
  | "post"
  | "put"
  | "patch"
  | "delete"
  | "deletecollection"
  | "watch"
  | "watchlist";

export interface Parameter {
  readonly name: string;
  readonly in: "path" | "query";
  readonly type: "string" | "boolean" | "integer";
  readonly description: string;
  readonly required?: boolean;
}

/**
 * What the request body is: an object of a definition, a patch (of the
 * given content types, by default PATCH_CONTENT_TYPES), or none.
 */
export type RequestBody =
  | { readonly kind: "object"; readonly definition: string }
  | { readonly kind: "patch"; readonly contentTypes?: readonly string[] };

export interface Operation {
  readonly path: string;
  readonly method: HttpMethod;
  readonly action: Action;
  readonly operationId: string;
  readonly description: string;
  readonly tag: string;
  readonly gvk: GroupVersionKind;
  /** Query parameters of this operation (path-level ones are in PathItem). */
  readonly parameters: readonly Parameter[];
  readonly body?: RequestBody;
  /** Definition name of the response body; undefined for plain-text responses. */
  readonly response?: string;
  /** Response codes besides 401: 200 always, then 201/202 where upstream lists them. */
  readonly codes: readonly ("200" | "201" | "202")[];
  /** Whether the response is a watch stream. */
  readonly streaming?: boolean;
}

export interface PathItem {
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly operations: Operation[];
}

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";

export const PATCH_CONTENT_TYPES = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
] as const;

export const RESPONSE_CONTENT_TYPES = [
  "application/json",
  "application/yaml",
  "application/vnd.kubernetes.protobuf",
] as const;

export const WATCH_CONTENT_TYPES = [
  "application/json",
  "application/yaml",
  "application/vnd.kubernetes.protobuf",
  "application/json;stream=watch",
  "application/vnd.kubernetes.protobuf;stream=watch",
] as const;

// Parameter descriptions are our own words.
const q = (name: string, type: Parameter["type"], description: string): Parameter => ({
  name,
  in: "query",
  type,
  description,
});

const PRETTY = q("pretty", "string", "If 'true', the output is indented for reading.");
const DRY_RUN = q("dryRun", "string", "All: run every stage of the request but persist nothing.");
const FIELD_MANAGER = q(
  "fieldManager",
  "string",
  "Name of the actor making the change, recorded in managedFields.",
);
const FIELD_VALIDATION = q(
  "fieldValidation",
  "string",
  "How to treat unknown or duplicate fields in the body: Ignore, Warn (the default) or Strict.",
);
const FORCE = q("force", "boolean", "Take over fields other managers own (apply patches only).");
const LIST_PARAMS: readonly Parameter[] = [
  q("allowWatchBookmarks", "boolean", "Ask for BOOKMARK events in a watch."),
  q("continue", "string", "The continue token from a previous page of a list."),
  q("fieldSelector", "string", "Restrict results to objects whose fields match."),
  q("labelSelector", "string", "Restrict results to objects whose labels match."),
  q("limit", "integer", "The most items to return in one page."),
  q("resourceVersion", "string", "Which version of the data to serve or watch from."),
  q("resourceVersionMatch", "string", "How resourceVersion is applied: Exact or NotOlderThan."),
  q("sendInitialEvents", "boolean", "Start a watch with synthetic events for existing objects."),
  q("timeoutSeconds", "integer", "End a list or watch call after this many seconds."),
  q("watch", "boolean", "Stream changes instead of returning a list."),
];
const DELETE_PARAMS: readonly Parameter[] = [
  DRY_RUN,
  q("gracePeriodSeconds", "integer", "Seconds to wait before the object is deleted."),
  q(
    "ignoreStoreReadErrorWithClusterBreakingPotential",
    "boolean",
    "Delete an object that cannot be read from storage (unsafe).",
  ),
  q("orphanDependents", "boolean", "Deprecated: use propagationPolicy."),
  q(
    "propagationPolicy",
    "string",
    "Garbage collection of dependents: Orphan, Background or Foreground.",
  ),
];

const pathParam = (name: string, description: string): Parameter => ({
  name,
  in: "path",
  type: "string",
  description,
  required: true,
});
const NAMESPACE = pathParam("namespace", "The namespace of the object.");

/** `apps` → `Apps`, `rbac.authorization.k8s.io` → `RbacAuthorization`, `` → `Core`. */
export function groupIdentifier(group: string): string {
  if (group === "") return "Core";
  return group
    .replace(/\.k8s\.io$/, "")
    .split(".")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** The tag upstream gives a group-version's operations: `core_v1`, `rbacAuthorization_v1`. */
export function groupVersionTag(group: string, version: string): string {
  const id = groupIdentifier(group);
  return `${id.charAt(0).toLowerCase()}${id.slice(1)}_${version}`;
}

/** `/api/v1` or `/apis/apps/v1`. */
export function groupVersionPrefix(d: { group: string; version: string }): string {
  return d.group === "" ? `/api/${d.version}` : `/apis/${d.group}/${d.version}`;
}

/** `api/v1` or `apis/apps/v1`: the key of a group-version in the /openapi/v3 root. */
export function groupVersionPath(d: { group: string; version: string }): string {
  return groupVersionPrefix(d).slice(1);
}

function definitionName(d: ResourceDescriptor, kind = d.kind): string | undefined {
  return definitionNameForKind({ group: d.group, version: d.version, kind });
}

/** Subresources with a fixed body kind (beyond status and scale). */
const SUBRESOURCE_BODIES: Record<
  string,
  { gvk: GroupVersionKind; definition: string; verbs: readonly HttpMethod[] }
> = {
  binding: {
    gvk: { group: "", kind: "Binding", version: "v1" },
    definition: "io.k8s.api.core.v1.Binding",
    verbs: ["post"],
  },
  eviction: {
    gvk: { group: "policy", kind: "Eviction", version: "v1" },
    definition: "io.k8s.api.policy.v1.Eviction",
    verbs: ["post"],
  },
  token: {
    gvk: { group: "authentication.k8s.io", kind: "TokenRequest", version: "v1" },
    definition: "io.k8s.api.authentication.v1.TokenRequest",
    verbs: ["post"],
  },
};

interface Builder {
  readonly d: ResourceDescriptor;
  readonly id: string;
  readonly tag: string;
  readonly gvk: GroupVersionKind;
  readonly def: string;
  readonly listDef: string;
  readonly has: (v: Verb) => boolean;
  /** "list or watch objects of kind" (built-ins) or "list objects of kind" (custom resources). */
  readonly listDescription: string;
  readonly deleteParams: readonly Parameter[];
  readonly patchBody: RequestBody;
  /** Only status and scale subresources, and no deprecated /watch/ paths (custom resources). */
  readonly custom: boolean;
}

function op(
  b: Builder,
  spec: Omit<Operation, "tag" | "gvk" | "path"> & { gvk?: GroupVersionKind },
  path: string,
): Operation {
  return { tag: b.tag, gvk: spec.gvk ?? b.gvk, path, ...spec };
}

const writeParams = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
const patchParams = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE];

function objectPaths(b: Builder, ns: string, scope: string): PathItem[] {
  const { d } = b;
  const base = `${groupVersionPrefix(d)}${ns}/${d.plural}`;
  const kind = d.kind;
  const out: PathItem[] = [];

  const collection: Operation[] = [];
  if (b.has("list")) {
    collection.push(
      op(
        b,
        {
          method: "get",
          action: "list",
          operationId: `list${b.id}${scope}${kind}`,
          description: `${b.listDescription} ${kind}`,
          parameters: LIST_PARAMS,
          response: b.listDef,
          codes: ["200"],
          streaming: true,
        },
        base,
      ),
    );
  }
  if (b.has("create")) {
    collection.push(
      op(
        b,
        {
          method: "post",
          action: "post",
          operationId: `create${b.id}${scope}${kind}`,
          description: `create a ${kind}`,
          parameters: writeParams,
          body: { kind: "object", definition: b.def },
          response: b.def,
          codes: ["200", "201", "202"],
        },
        base,
      ),
    );
  }
  if (b.has("deletecollection")) {
    collection.push(
      op(
        b,
        {
          method: "delete",
          action: "deletecollection",
          operationId: `delete${b.id}Collection${scope}${kind}`,
          description: `delete collection of ${kind}`,
          parameters: [...b.deleteParams, ...LIST_PARAMS.filter((p) => p.name !== "watch")],
          body: { kind: "object", definition: `${META}.DeleteOptions` },
          response: `${META}.Status`,
          codes: ["200"],
        },
        base,
      ),
    );
  }
  const nsParams = ns === "" ? [] : [NAMESPACE];
  if (collection.length > 0) {
    out.push({ path: base, parameters: [...nsParams, PRETTY], operations: collection });
  }

  const named = `${base}/{name}`;
  const nameParam = pathParam("name", `name of the ${kind}`);
  const item: Operation[] = [];
  if (b.has("get")) {
    item.push(
      op(
        b,
        {
          method: "get",
          action: "get",
          operationId: `read${b.id}${scope}${kind}`,
          description: `read the specified ${kind}`,
          parameters: [],
          response: b.def,
          codes: ["200"],
        },
        named,
      ),
    );
  }
  if (b.has("update")) {
    item.push(
      op(
        b,
        {
          method: "put",
          action: "put",
          operationId: `replace${b.id}${scope}${kind}`,
          description: `replace the specified ${kind}`,
          parameters: writeParams,
          body: { kind: "object", definition: b.def },
          response: b.def,
          codes: ["200", "201"],
        },
        named,
      ),
    );
  }
  if (b.has("patch")) {
    item.push(
      op(
        b,
        {
          method: "patch",
          action: "patch",
          operationId: `patch${b.id}${scope}${kind}`,
          description: `partially update the specified ${kind}`,
          parameters: patchParams,
          body: b.patchBody,
          response: b.def,
          codes: ["200", "201"],
        },
        named,
      ),
    );
  }
  if (b.has("delete")) {
    item.push(
      op(
        b,
        {
          method: "delete",
          action: "delete",
          operationId: `delete${b.id}${scope}${kind}`,
          description: `delete a ${kind}`,
          parameters: b.deleteParams,
          body: { kind: "object", definition: `${META}.DeleteOptions` },
          response: `${META}.Status`,
          codes: ["200", "202"],
        },
        named,
      ),
    );
  }
  const itemParams = [nameParam, ...nsParams, PRETTY];
  if (item.length > 0) out.push({ path: named, parameters: itemParams, operations: item });

  for (const sub of d.subresources) {
    if (b.custom && sub !== "status" && sub !== "scale") continue;
    const suffix = sub.charAt(0).toUpperCase() + sub.slice(1);
    const subPath = `${named}/${sub}`;
    const ops: Operation[] = [];
    const scale = sub === "scale";
    if (sub === "status" || scale) {
      const gvk = scale ? { group: "autoscaling", kind: "Scale", version: "v1" } : b.gvk;
      const def = scale ? "io.k8s.api.autoscaling.v1.Scale" : b.def;
      const what = `${sub} of the specified ${kind}`;
      ops.push(
        op(
          b,
          {
            gvk,
            method: "get",
            action: "get",
            operationId: `read${b.id}${scope}${kind}${suffix}`,
            description: `read ${what}`,
            parameters: [],
            response: def,
            codes: ["200"],
          },
          subPath,
        ),
        op(
          b,
          {
            gvk,
            method: "put",
            action: "put",
            operationId: `replace${b.id}${scope}${kind}${suffix}`,
            description: `replace ${what}`,
            parameters: writeParams,
            body: { kind: "object", definition: def },
            response: def,
            codes: ["200", "201"],
          },
          subPath,
        ),
        op(
          b,
          {
            gvk,
            method: "patch",
            action: "patch",
            operationId: `patch${b.id}${scope}${kind}${suffix}`,
            description: `partially update ${what}`,
            parameters: patchParams,
            body: b.patchBody,
            response: def,
            codes: ["200", "201"],
          },
          subPath,
        ),
      );
    } else if (sub === "ephemeralcontainers") {
      ops.push(
        op(
          b,
          {
            method: "patch",
            action: "patch",
            operationId: `patch${b.id}${scope}${kind}Ephemeralcontainers`,
            description: `partially update ephemeralcontainers of the specified ${kind}`,
            parameters: patchParams,
            body: b.patchBody,
            response: b.def,
            codes: ["200", "201"],
          },
          subPath,
        ),
      );
    } else if (sub === "finalize") {
      ops.push(
        op(
          b,
          {
            method: "put",
            action: "put",
            operationId: `replace${b.id}${scope}${kind}Finalize`,
            description: `replace finalize of the specified ${kind}`,
            parameters: writeParams,
            body: { kind: "object", definition: b.def },
            response: b.def,
            codes: ["200", "201"],
          },
          subPath,
        ),
      );
    } else if (sub === "log") {
      ops.push(
        op(
          b,
          {
            method: "get",
            action: "get",
            operationId: `read${b.id}${scope}${kind}Log`,
            description: `read log of the specified ${kind}`,
            parameters: [
              q("container", "string", "The container whose log to return."),
              q("follow", "boolean", "Stream the log as it grows."),
              q("limitBytes", "integer", "Stop after this many bytes."),
              q("previous", "boolean", "The log of the previous, terminated container."),
              q("sinceSeconds", "integer", "Only lines newer than this many seconds."),
              q("tailLines", "integer", "Only this many lines from the end."),
              q("timestamps", "boolean", "Prefix every line with its timestamp."),
            ],
            codes: ["200"],
          },
          subPath,
        ),
      );
    } else {
      const fixed = SUBRESOURCE_BODIES[sub];
      if (fixed !== undefined) {
        ops.push(
          op(
            b,
            {
              gvk: fixed.gvk,
              method: "post",
              action: "post",
              operationId: `create${b.id}${scope}${kind}${suffix}`,
              description: `create ${sub} of a ${kind}`,
              parameters: writeParams,
              body: { kind: "object", definition: fixed.definition },
              response: fixed.definition,
              codes: ["200", "201", "202"],
            },
            subPath,
          ),
        );
      }
    }
    if (ops.length > 0) {
      const subParams = [pathParam("name", `name of the ${kind}`), ...nsParams];
      out.push({
        path: subPath,
        parameters: sub === "log" ? subParams : [...subParams, PRETTY],
        operations: ops,
      });
    }
  }

  if (b.has("watch") && !b.custom) {
    const watchBase = `${groupVersionPrefix(d)}/watch${ns}/${d.plural}`;
    const watchParams = LIST_PARAMS;
    out.push({
      path: watchBase,
      parameters: [...nsParams, PRETTY, ...watchParams],
      operations: [
        op(
          b,
          {
            method: "get",
            action: "watchlist",
            operationId: `watch${b.id}${scope}${kind}List`,
            description: `watch individual changes to a list of ${kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
            parameters: [],
            response: `${META}.WatchEvent`,
            codes: ["200"],
            streaming: true,
          },
          watchBase,
        ),
      ],
    });
    out.push({
      path: `${watchBase}/{name}`,
      parameters: [nameParam, ...nsParams, PRETTY, ...watchParams],
      operations: [
        op(
          b,
          {
            method: "get",
            action: "watch",
            operationId: `watch${b.id}${scope}${kind}`,
            description: `watch changes to an object of kind ${kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
            parameters: [],
            response: `${META}.WatchEvent`,
            codes: ["200"],
            streaming: true,
          },
          `${watchBase}/{name}`,
        ),
      ],
    });
  }
  return out;
}

/**
 * Every path of one resource, namespaced or not, in upstream's shape; none
 * for a resource whose kind has no definition (custom resources).
 */
export function pathsOf(d: ResourceDescriptor): PathItem[] {
  const def = definitionName(d);
  const listDef = definitionName(d, `${d.kind}List`);
  // Create-only kinds (the authorization reviews) have no List kind.
  const createOnly = d.verbs.every((v) => v === "create");
  if (def === undefined || (listDef === undefined && !createOnly)) return [];
  return resourcePaths(d, { definition: def, listDefinition: listDef ?? def });
}

export interface ResourcePathOptions {
  /** Definition names of the kind and of its list. */
  readonly definition: string;
  readonly listDefinition: string;
  /**
   * Paths of a custom resource, as apiextensions-apiserver's OpenAPI
   * builder makes them: "list objects of kind", DeleteOptions parameters
   * without ignoreStoreReadErrorWithClusterBreakingPotential, patches of
   * the given content types, only the status and scale subresources, and
   * no deprecated /watch/ paths.
   */
  readonly customResource?: { readonly patchContentTypes: readonly string[] };
}

/** Every path of one resource whose definition names are given, in upstream's shape. */
export function resourcePaths(d: ResourceDescriptor, options: ResourcePathOptions): PathItem[] {
  const id = `${groupIdentifier(d.group)}${d.version.charAt(0).toUpperCase()}${d.version.slice(1)}`;
  const custom = options.customResource;
  const b: Builder = {
    d,
    id,
    tag: groupVersionTag(d.group, d.version),
    gvk: { group: d.group, kind: d.kind, version: d.version },
    def: options.definition,
    listDef: options.listDefinition,
    has: (v) => d.verbs.includes(v),
    listDescription: custom ? "list objects of kind" : "list or watch objects of kind",
    deleteParams: custom
      ? DELETE_PARAMS.filter((p) => p.name !== "ignoreStoreReadErrorWithClusterBreakingPotential")
      : DELETE_PARAMS,
    patchBody: custom
      ? { kind: "patch", contentTypes: custom.patchContentTypes }
      : { kind: "patch" },
    custom: custom !== undefined,
  };
  if (!d.namespaced) return objectPaths(b, "", "");
  const out = objectPaths(b, "/namespaces/{namespace}", "Namespaced");
  // The all-namespaces list and watch.
  const all = `${groupVersionPrefix(d)}/${d.plural}`;
  if (b.has("list")) {
    out.push({
      path: all,
      parameters: [PRETTY, ...LIST_PARAMS],
      operations: [
        op(
          b,
          {
            method: "get",
            action: "list",
            operationId: `list${id}${d.kind}ForAllNamespaces`,
            description: `${b.listDescription} ${d.kind}`,
            parameters: [],
            response: b.listDef,
            codes: ["200"],
            streaming: true,
          },
          all,
        ),
      ],
    });
  }
  if (b.has("watch") && !b.custom) {
    const watchAll = `${groupVersionPrefix(d)}/watch/${d.plural}`;
    out.push({
      path: watchAll,
      parameters: [PRETTY, ...LIST_PARAMS],
      operations: [
        op(
          b,
          {
            method: "get",
            action: "watchlist",
            operationId: `watch${id}${d.kind}ListForAllNamespaces`,
            description: `watch individual changes to a list of ${d.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
            parameters: [],
            response: `${META}.WatchEvent`,
            codes: ["200"],
            streaming: true,
          },
          watchAll,
        ),
      ],
    });
  }
  return out;
}
