/**
 * The CustomResourceDefinitions the API server serves, kept in memory from
 * the store the way upstream's apiextensions-apiserver reads them through a
 * shared informer: one list of the CRD prefix, then a watch from that
 * revision; a failed or compacted watch starts over with a fresh list
 * (storage/list-watch.ts, as for rbac/cache.ts). Every served version of
 * every CRD whose status says Established becomes a ResourceDescriptor
 * (upstream's customresource_discovery_controller and crdHandler serve
 * only those).
 * Reads are synchronous: request routing asks on every request.
 */
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionVersion,
} from "kubernetes-types/apiextensions/v1.js";
import type { ResourceDescriptor, Verb } from "../../api/resources.js";
import { PrefixMirror } from "../../storage/list-watch.js";
import type { KeyValue, Store, WatchEvent } from "../../storage/types.js";
import type { Logger } from "../../util/log.js";
import { canonicalJson, decodeObject } from "../registry/codec.js";
import { prefixFor } from "../registry/keys.js";
import type { CustomResources, CustomResourceVersion } from "./types.js";

export const CRD_GROUP = "apiextensions.k8s.io";
/** `/registry/apiextensions.k8s.io/customresourcedefinitions/` */
export const CRD_PREFIX = prefixFor({ group: CRD_GROUP, plural: "customresourcedefinitions" });

/** The store key of a CRD. */
export function crdKey(name: string): string {
  return `${CRD_PREFIX}${name}`;
}

const CR_VERBS: readonly Verb[] = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];

/** Whether the CRD has condition `type` with status True. */
export function hasCondition(crd: CustomResourceDefinition, type: string): boolean {
  return (crd.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");
}

/**
 * Upstream's version.CompareKubeAwareVersionStrings as a sort order:
 * kube-like versions (v2, v1, v1beta2, v1alpha1) first, GA before beta
 * before alpha, higher numbers first; other names after, alphabetically.
 */
export function compareVersionPriority(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?$/.exec(v);
    if (!m) return undefined;
    const stage = m[2] === undefined ? 2 : m[2] === "beta" ? 1 : 0;
    return { major: Number(m[1]), stage, minor: Number(m[3] ?? 0) };
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) {
    if (pa.stage !== pb.stage) return pb.stage - pa.stage;
    if (pa.major !== pb.major) return pb.major - pa.major;
    return pb.minor - pa.minor;
  }
  if (pa) return -1;
  if (pb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The names a CRD is served under: the accepted ones, the requested ones until then. */
function servedNames(crd: CustomResourceDefinition): CustomResourceDefinitionNames {
  const accepted = crd.status?.acceptedNames;
  return accepted && accepted.plural !== "" ? accepted : crd.spec.names;
}

/** The served versions of one established CRD, in discovery order (highest priority first). */
export function servedVersions(crd: CustomResourceDefinition): CustomResourceVersion[] {
  if (!hasCondition(crd, "Established")) return [];
  const names = servedNames(crd);
  const storage = crd.spec.versions.find((v) => v.storage)?.name ?? "";
  const versions = [...crd.spec.versions]
    .filter((v) => v.served)
    .sort((a, b) => compareVersionPriority(a.name, b.name));
  return versions.map((version: CustomResourceDefinitionVersion) => {
    const subresources: string[] = [];
    if (version.subresources?.status) subresources.push("status");
    if (version.subresources?.scale) subresources.push("scale");
    const descriptor: ResourceDescriptor = {
      group: crd.spec.group,
      version: version.name,
      kind: names.kind,
      plural: names.plural,
      singular: names.singular || names.kind.toLowerCase(),
      shortNames: names.shortNames ?? [],
      categories: names.categories ?? [],
      namespaced: crd.spec.scope === "Namespaced",
      verbs: CR_VERBS,
      subresources,
      ...(version.subresources?.scale
        ? {
            scalePaths: {
              specReplicas: version.subresources.scale.specReplicasPath,
              statusReplicas: version.subresources.scale.statusReplicasPath,
              ...(version.subresources.scale.labelSelectorPath
                ? { labelSelector: version.subresources.scale.labelSelectorPath }
                : {}),
            },
          }
        : {}),
    };
    return {
      crd,
      version,
      schema: version.schema?.openAPIV3Schema,
      descriptor,
      storageVersion: storage,
    };
  });
}

/**
 * Whether a CRD is terminating, as upstream's crdHandler decides it
 * (Terminating condition True); also between its deletionTimestamp and
 * the CRD finalizer's first status update.
 */
export function isTerminating(crd: CustomResourceDefinition): boolean {
  const cond = (crd.status?.conditions ?? []).find((c) => c.type === "Terminating");
  if (cond) return cond.status === "True";
  return crd.metadata?.deletionTimestamp !== undefined;
}

/** For each served descriptor: whether its CRD, as last seen, is terminating. */
const terminatingChecks = new WeakMap<ResourceDescriptor, () => boolean>();

/**
 * Whether `d` is a custom resource whose CRD is terminating (upstream's
 * crdHandler then refuses creates with 405 MethodNotAllowed).
 */
export function customResourceTerminating(d: ResourceDescriptor): boolean {
  return terminatingChecks.get(d)?.() ?? false;
}

/** What of a CRD changes what is served (not its conditions' timestamps). */
function servingSignature(crd: CustomResourceDefinition): string {
  if (!hasCondition(crd, "Established")) return "";
  return canonicalJson({
    uid: crd.metadata?.uid,
    spec: crd.spec,
    names: crd.status?.acceptedNames,
  });
}

export interface CustomResourceRegistryOptions {
  readonly log?: Logger;
  /** First wait before starting over after an error (doubles up to 5 s). */
  readonly retryMs?: number;
}

interface Entry {
  readonly crd: CustomResourceDefinition;
  readonly modRevision: number;
}

export class CustomResourceRegistry extends PrefixMirror implements CustomResources {
  private entries = new Map<string, Entry>();
  private served: readonly CustomResourceVersion[] = [];
  private descriptorList: readonly ResourceDescriptor[] = [];
  private byKindMap = new Map<string, CustomResourceVersion>();
  private byResourceMap = new Map<string, CustomResourceVersion>();
  private signature = "";
  private readonly changeListeners: (() => void)[] = [];
  private readonly definitionListeners: ((name: string) => void)[] = [];

  constructor(
    store: Store,
    private readonly opts: CustomResourceRegistryOptions = {},
  ) {
    super(store, CRD_PREFIX, { name: "CRD registry", ...opts });
  }

  versions(): readonly CustomResourceVersion[] {
    return this.served;
  }

  /** The descriptors of every served version (a new array after each change). */
  descriptors(): readonly ResourceDescriptor[] {
    return this.descriptorList;
  }

  byKind(group: string, version: string, kind: string): CustomResourceVersion | undefined {
    return this.byKindMap.get(`${group}/${version}/${kind}`);
  }

  byResource(group: string, version: string, plural: string): CustomResourceVersion | undefined {
    return this.byResourceMap.get(`${group}/${version}/${plural}`);
  }

  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  /** Every CRD as last seen in the store, established or not. */
  definitions(): CustomResourceDefinition[] {
    return [...this.entries.values()].map((e) => e.crd);
  }

  definition(name: string): CustomResourceDefinition | undefined {
    return this.entries.get(name)?.crd;
  }

  /** Called with a CRD's name whenever it is created, changed or removed (and for each after a relist). */
  onDefinition(listener: (name: string) => void): void {
    this.definitionListeners.push(listener);
  }

  /**
   * A CRD this process just wrote: taken in at once rather than when the
   * watch delivers it, so what a client sees (Established) is already served.
   */
  observe(kv: KeyValue): void {
    this.put(kv);
    this.recompute();
  }

  /** A fresh snapshot: it replaces every entry, and each CRD it adds, changes or drops is reported. */
  protected override relist(kvs: readonly KeyValue[]): void {
    const entries = new Map<string, Entry>();
    for (const kv of kvs) {
      const crd = this.decode(kv);
      if (crd) entries.set(kv.key.slice(CRD_PREFIX.length), { crd, modRevision: kv.modRevision });
    }
    const touched = new Set([...this.entries.keys(), ...entries.keys()]);
    this.entries = entries;
    this.recompute();
    for (const name of touched) this.notifyDefinition(name);
  }

  protected override apply(ev: WatchEvent): void {
    if (ev.type === "put") this.put(ev.kv);
    else {
      const name = ev.key.slice(CRD_PREFIX.length);
      const known = this.entries.get(name);
      if (known && known.modRevision <= ev.revision) this.entries.delete(name);
      this.notifyDefinition(name);
    }
    this.recompute();
  }

  private put(kv: KeyValue): void {
    const name = kv.key.slice(CRD_PREFIX.length);
    if (name === "" || name.includes("/")) return;
    const known = this.entries.get(name);
    // An older version than one already taken in (observe() ran ahead of the watch).
    if (known && known.modRevision >= kv.modRevision) return;
    const crd = this.decode(kv);
    if (!crd) return;
    this.entries.set(name, { crd, modRevision: kv.modRevision });
    this.notifyDefinition(name);
  }

  private decode(kv: KeyValue): CustomResourceDefinition | undefined {
    try {
      return decodeObject(kv) as unknown as CustomResourceDefinition;
    } catch (err) {
      this.opts.log?.warn("CRD registry: undecodable object", { key: kv.key, err: String(err) });
      return undefined;
    }
  }

  private notifyDefinition(name: string): void {
    for (const l of this.definitionListeners) {
      try {
        l(name);
      } catch (err) {
        this.opts.log?.warn("CRD registry: listener failed", { err: String(err) });
      }
    }
  }

  /** Rebuilds the served set; tells the listeners when it changed. */
  private recompute(): void {
    const crds = [...this.entries.values()]
      .map((e) => e.crd)
      .sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
    const signature = crds.map(servingSignature).join("\n");
    if (signature === this.signature) return;
    this.signature = signature;
    const served = crds.flatMap(servedVersions);
    this.served = served;
    this.descriptorList = served.map((v) => v.descriptor);
    this.byKindMap = new Map();
    this.byResourceMap = new Map();
    for (const v of served) {
      const d = v.descriptor;
      const name = v.crd.metadata?.name ?? "";
      terminatingChecks.set(d, () => {
        const crd = this.definition(name);
        return crd !== undefined && isTerminating(crd);
      });
      this.byKindMap.set(`${d.group}/${d.version}/${d.kind}`, v);
      this.byResourceMap.set(`${d.group}/${d.version}/${d.plural}`, v);
    }
    for (const l of this.changeListeners) {
      try {
        l();
      } catch (err) {
        this.opts.log?.warn("CRD registry: change listener failed", { err: String(err) });
      }
    }
  }
}
