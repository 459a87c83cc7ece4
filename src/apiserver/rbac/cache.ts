/**
 * RBAC objects kept in memory from the store, as upstream's authorizer
 * reads them through shared informers: one list of the
 * rbac.authorization.k8s.io prefix, then a watch from that revision that
 * keeps the maps current; a failed or compacted watch starts over with a
 * fresh list (the loop is storage/list-watch.ts). Reads are synchronous
 * (authorization runs on every request).
 */
import type {
  ClusterRole,
  ClusterRoleBinding,
  Role,
  RoleBinding,
} from "kubernetes-types/rbac/v1.js";
import { PrefixMirror } from "../../storage/list-watch.js";
import type { KeyValue, Store, WatchEvent } from "../../storage/types.js";
import type { Logger } from "../../util/log.js";
import { decodeValue } from "../registry/codec.js";
import { prefixFor } from "../registry/keys.js";
import type { RbacObjects } from "./types.js";

const GROUP = "rbac.authorization.k8s.io";
const PREFIXES = {
  clusterroles: prefixFor({ group: GROUP, plural: "clusterroles" }),
  clusterrolebindings: prefixFor({ group: GROUP, plural: "clusterrolebindings" }),
  roles: prefixFor({ group: GROUP, plural: "roles" }),
  rolebindings: prefixFor({ group: GROUP, plural: "rolebindings" }),
};
/** Where all four live: `/registry/rbac.authorization.k8s.io/`. */
const GROUP_PREFIX = PREFIXES.clusterroles.slice(0, -"clusterroles/".length);

class Maps {
  readonly clusterRoles = new Map<string, ClusterRole>();
  readonly clusterRoleBindings = new Map<string, ClusterRoleBinding>();
  /** namespace → name → object */
  readonly roles = new Map<string, Map<string, Role>>();
  readonly roleBindings = new Map<string, Map<string, RoleBinding>>();
}

export interface RbacCacheOptions {
  readonly log?: Logger;
  /** First wait before starting over after an error (doubles up to 5 s). */
  readonly retryMs?: number;
}

export class RbacCache extends PrefixMirror implements RbacObjects {
  private maps = new Maps();
  private crbList: readonly ClusterRoleBinding[] | undefined;
  private rbLists = new Map<string, readonly RoleBinding[]>();

  constructor(
    store: Store,
    private readonly opts: RbacCacheOptions = {},
  ) {
    super(store, GROUP_PREFIX, { name: "RBAC cache", ...opts });
  }

  clusterRole(name: string): ClusterRole | undefined {
    return this.maps.clusterRoles.get(name);
  }

  role(namespace: string, name: string): Role | undefined {
    return this.maps.roles.get(namespace)?.get(name);
  }

  clusterRoleBindings(): readonly ClusterRoleBinding[] {
    this.crbList ??= [...this.maps.clusterRoleBindings.values()];
    return this.crbList;
  }

  roleBindings(namespace: string): readonly RoleBinding[] {
    let list = this.rbLists.get(namespace);
    if (!list) {
      list = [...(this.maps.roleBindings.get(namespace)?.values() ?? [])];
      this.rbLists.set(namespace, list);
    }
    return list;
  }

  /** A fresh snapshot: the maps are rebuilt from it and replace the old ones. */
  protected override relist(kvs: readonly KeyValue[]): void {
    const maps = new Maps();
    for (const kv of kvs) this.put(maps, kv);
    this.maps = maps;
    this.crbList = undefined;
    this.rbLists.clear();
  }

  protected override apply(ev: WatchEvent): void {
    if (ev.type === "put") this.put(this.maps, ev.kv);
    else this.remove(this.maps, ev.key);
  }

  private put(maps: Maps, kv: KeyValue): void {
    const where = locate(kv.key);
    if (!where) return;
    let obj: unknown;
    try {
      obj = decodeValue(kv.value);
    } catch (err) {
      this.opts.log?.warn("RBAC cache: undecodable object", { key: kv.key, err: String(err) });
      return;
    }
    this.change(maps, where, obj);
  }

  private remove(maps: Maps, key: string): void {
    const where = locate(key);
    if (where) this.change(maps, where, undefined);
  }

  private change(maps: Maps, where: Location, obj: unknown): void {
    const set = <T>(m: Map<string, T>, name: string) => {
      if (obj === undefined) m.delete(name);
      else m.set(name, obj as T);
    };
    const nested = <T>(m: Map<string, Map<string, T>>, ns: string, name: string) => {
      let inner = m.get(ns);
      if (!inner) {
        if (obj === undefined) return;
        inner = new Map();
        m.set(ns, inner);
      }
      set(inner, name);
      if (inner.size === 0) m.delete(ns);
    };
    switch (where.resource) {
      case "clusterroles":
        set(maps.clusterRoles, where.name);
        break;
      case "clusterrolebindings":
        set(maps.clusterRoleBindings, where.name);
        if (maps === this.maps) this.crbList = undefined;
        break;
      case "roles":
        nested(maps.roles, where.namespace, where.name);
        break;
      case "rolebindings":
        nested(maps.roleBindings, where.namespace, where.name);
        if (maps === this.maps) this.rbLists.delete(where.namespace);
        break;
    }
  }
}

interface Location {
  readonly resource: keyof typeof PREFIXES;
  readonly namespace: string;
  readonly name: string;
}

/** Which object a key holds: `<prefix><name>` or `<prefix><namespace>/<name>`. */
function locate(key: string): Location | undefined {
  for (const resource of Object.keys(PREFIXES) as (keyof typeof PREFIXES)[]) {
    const prefix = PREFIXES[resource];
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length).split("/");
    const namespaced = resource === "roles" || resource === "rolebindings";
    if (namespaced && rest.length === 2) {
      return { resource, namespace: rest[0] as string, name: rest[1] as string };
    }
    if (!namespaced && rest.length === 1)
      return { resource, namespace: "", name: rest[0] as string };
    return undefined;
  }
  return undefined;
}
