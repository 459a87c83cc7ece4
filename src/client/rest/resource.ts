import type { RestClient, WatchEvent } from "./client.js";

/** Which resource a client addresses. */
export interface ResourceRef {
  readonly group: string;
  readonly version: string;
  /** Plural resource name, as in URLs. */
  readonly resource: string;
  readonly namespaced: boolean;
}

/** The metadata fields the client machinery reads (kubernetes-types' ObjectMeta fits it). */
export interface ObjectMetaLike {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  uid?: string;
  labels?: { [k: string]: string };
  annotations?: { [k: string]: string };
  creationTimestamp?: string;
  deletionTimestamp?: string;
}

export interface KubeObjectLike {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMetaLike;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface ObjectList<T> {
  readonly items: T[];
  readonly metadata: ListMeta;
}

export interface ListOptions {
  namespace?: string;
  signal?: AbortSignal;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: "Exact" | "NotOlderThan";
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

export interface WriteOptions {
  namespace?: string;
  /** Aborts the request (e.g. a deadline). */
  signal?: AbortSignal;
  dryRun?: boolean;
  fieldManager?: string;
}

export type PatchType = "json" | "merge" | "strategic" | "apply";

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
};

export interface DeleteOptions {
  namespace?: string;
  gracePeriodSeconds?: number;
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** Typed verbs for one resource: get, list, create, update, updateStatus, patch, delete, watch. */
export class ResourceClient<T extends KubeObjectLike> {
  constructor(
    private readonly rest: RestClient,
    readonly ref: ResourceRef,
  ) {}

  /** `/api/v1/namespaces/ns/pods[/name[/sub]]`. */
  path(opts: { namespace?: string | undefined; name?: string; subresource?: string } = {}): string {
    const base =
      this.ref.group === ""
        ? `/api/${this.ref.version}`
        : `/apis/${this.ref.group}/${this.ref.version}`;
    const ns =
      this.ref.namespaced && opts.namespace
        ? `/namespaces/${encodeURIComponent(opts.namespace)}`
        : "";
    const name = opts.name ? `/${encodeURIComponent(opts.name)}` : "";
    const sub = opts.name && opts.subresource ? `/${opts.subresource}` : "";
    return `${base}${ns}/${this.ref.resource}${name}${sub}`;
  }

  private ns(explicit: string | undefined, obj?: T): string | undefined {
    if (!this.ref.namespaced) return undefined;
    return explicit ?? obj?.metadata?.namespace ?? this.rest.config.namespace;
  }

  get(name: string, opts: { namespace?: string; signal?: AbortSignal } = {}): Promise<T> {
    return this.rest.request<T>({
      method: "GET",
      path: this.path({ namespace: this.ns(opts.namespace), name }),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /** Lists across all namespaces unless one is given (`namespace: ""` means all). */
  list(opts: ListOptions = {}): Promise<ObjectList<T>> {
    const { namespace, signal, ...query } = opts;
    return this.rest.request<ObjectList<T>>({
      method: "GET",
      path: this.path({ namespace }),
      query: { ...query },
      ...(signal ? { signal } : {}),
    });
  }

  create(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>({
      method: "POST",
      path: this.path({ namespace: this.ns(opts.namespace, obj) }),
      query: writeQuery(opts),
      body: obj,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.write(obj, opts, undefined);
  }

  updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.write(obj, opts, "status");
  }

  private write(obj: T, opts: WriteOptions, subresource: string | undefined): Promise<T> {
    const name = obj.metadata?.name;
    if (!name) throw new Error("update needs metadata.name");
    return this.rest.request<T>({
      method: "PUT",
      path: this.path({
        namespace: this.ns(opts.namespace, obj),
        name,
        ...(subresource ? { subresource } : {}),
      }),
      query: writeQuery(opts),
      body: obj,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  patch(
    name: string,
    patch: unknown,
    opts: WriteOptions & { type?: PatchType; subresource?: string; force?: boolean } = {},
  ): Promise<T> {
    const type = opts.type ?? "merge";
    return this.rest.request<T>({
      method: "PATCH",
      path: this.path({
        namespace: this.ns(opts.namespace),
        name,
        ...(opts.subresource ? { subresource: opts.subresource } : {}),
      }),
      query: { ...writeQuery(opts), ...(opts.force !== undefined ? { force: opts.force } : {}) },
      body: type === "apply" && typeof patch !== "string" ? JSON.stringify(patch) : patch,
      contentType: PATCH_CONTENT_TYPES[type],
    });
  }

  delete(name: string, opts: DeleteOptions = {}): Promise<unknown> {
    const { namespace, dryRun, ...body } = opts;
    return this.rest.request({
      method: "DELETE",
      path: this.path({ namespace: this.ns(namespace), name }),
      query: dryRun ? { dryRun: "All" } : {},
      body: { apiVersion: "v1", kind: "DeleteOptions", ...body },
    });
  }

  /** Watches across all namespaces unless one is given. */
  watch(opts: WatchOptions = {}): AsyncGenerator<WatchEvent<T>> {
    const { namespace, signal, ...query } = opts;
    return this.rest.watch<T>({
      path: this.path({ namespace }),
      query: { ...query },
      ...(signal ? { signal } : {}),
    });
  }
}

function writeQuery(opts: WriteOptions): Record<string, string | undefined> {
  return {
    ...(opts.dryRun ? { dryRun: "All" } : {}),
    ...(opts.fieldManager ? { fieldManager: opts.fieldManager } : {}),
  };
}
