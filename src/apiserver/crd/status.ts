/**
 * Upstream's naming and establishing controllers
 * (apiextensions-apiserver pkg/controller/status/naming_controller.go and
 * pkg/controller/establish), run inside the API server: for each CRD the
 * names it asks for are accepted unless another CRD of the same group (or a
 * built-in resource of that group) already holds them, NamesAccepted says
 * which conflicted, and Established turns True once the names are accepted.
 * status.storedVersions always holds the storage version. Writes go
 * straight to the store as compare-and-swap status updates, retried on
 * conflict; the registry takes each write in at once so a CRD is served by
 * the time a client sees it Established.
 */
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionCondition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionStatus,
} from "kubernetes-types/apiextensions/v1.js";
import type { ResourceDescriptor } from "../../api/resources.js";
import type { KubeObject } from "../../api/strategy.js";
import { ConflictError, KeyNotFoundError } from "../../storage/errors.js";
import type { KeyValue, Store } from "../../storage/types.js";
import type { Logger } from "../../util/log.js";
import { canonicalJson, decodeObject, encodeObject } from "../registry/codec.js";
import { timestamp } from "../registry/context.js";
import { type CustomResourceRegistry, crdKey } from "./registry.js";

type Condition = CustomResourceDefinitionCondition;

/** The condition of `type`, if any. */
export function findCondition(
  crd: CustomResourceDefinition,
  type: string,
): CustomResourceDefinitionCondition | undefined {
  return crd.status?.conditions?.find((c) => c.type === type);
}

/**
 * Upstream's SetCRDCondition: a new condition is appended; an existing one
 * takes the new reason and message, and the new lastTransitionTime only
 * when its status changes.
 */
export function setCondition(
  crd: CustomResourceDefinition,
  cond: Omit<Condition, "lastTransitionTime">,
  now: Date,
): void {
  const status: CustomResourceDefinitionStatus = crd.status ?? {};
  crd.status = status;
  const conditions = [...(status.conditions ?? [])];
  const i = conditions.findIndex((c) => c.type === cond.type);
  const existing = i >= 0 ? conditions[i] : undefined;
  if (existing === undefined) {
    conditions.push({ ...cond, lastTransitionTime: timestamp(now) });
  } else {
    const changed = existing.status !== cond.status || !existing.lastTransitionTime;
    conditions[i] = {
      type: cond.type,
      status: cond.status,
      lastTransitionTime: changed ? timestamp(now) : (existing.lastTransitionTime as string),
      ...(cond.reason !== undefined ? { reason: cond.reason } : {}),
      ...(cond.message !== undefined ? { message: cond.message } : {}),
    };
  }
  status.conditions = conditions;
}

/** upstream's equalToAcceptedOrFresh: the name is ours already, or nobody's. */
function acceptedOrFresh(
  requested: string,
  accepted: string | undefined,
  used: ReadonlySet<string>,
): string | undefined {
  if (requested === accepted) return undefined;
  if (!used.has(requested)) return undefined;
  return `"${requested}" is already in use`;
}

/** The names CRDs of `group` (all but `self`) and built-in resources of that group hold. */
function usedNames(
  group: string,
  self: string,
  others: readonly CustomResourceDefinition[],
  builtins: readonly ResourceDescriptor[],
): { resources: Set<string>; kinds: Set<string> } {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const crd of others) {
    if (crd.spec?.group !== group || crd.metadata?.name === self) continue;
    const n = crd.status?.acceptedNames;
    if (!n) continue;
    for (const r of [n.plural, n.singular ?? "", ...(n.shortNames ?? [])]) if (r) resources.add(r);
    for (const k of [n.kind, n.listKind ?? ""]) if (k) kinds.add(k);
  }
  for (const d of builtins) {
    if (d.group !== group) continue;
    for (const r of [d.plural, d.singular, ...d.shortNames]) resources.add(r);
    kinds.add(d.kind);
    kinds.add(`${d.kind}List`);
  }
  return { resources, kinds };
}

/**
 * The status the naming and establishing controllers give `crd`, given
 * every other CRD and the built-in resources (pure; `crd` is not changed).
 */
export function computeStatus(
  crd: CustomResourceDefinition,
  others: readonly CustomResourceDefinition[],
  builtins: readonly ResourceDescriptor[],
  now: Date,
): CustomResourceDefinition {
  const next = structuredClone(crd);
  const requested = next.spec.names;
  const accepted: Partial<CustomResourceDefinitionNames> = next.status?.acceptedNames ?? {};
  const { resources, kinds } = usedNames(
    next.spec.group,
    next.metadata?.name ?? "",
    others,
    builtins,
  );
  const names: Partial<CustomResourceDefinitionNames> = { ...accepted };
  let conflict: { reason: string; message: string } | undefined;
  const check = (reason: string, err: string | undefined, accept: () => void) => {
    if (err === undefined) accept();
    else conflict = { reason, message: err };
  };
  check("PluralConflict", acceptedOrFresh(requested.plural, accepted.plural, resources), () => {
    names.plural = requested.plural;
  });
  const singular = requested.singular ?? "";
  check("SingularConflict", acceptedOrFresh(singular, accepted.singular, resources), () => {
    if (singular) names.singular = singular;
    else delete names.singular;
  });
  const wantShort = requested.shortNames ?? [];
  if (canonicalJson(wantShort) !== canonicalJson(accepted.shortNames ?? [])) {
    const mine = new Set(accepted.shortNames ?? []);
    const errs = wantShort
      .filter((s) => !mine.has(s))
      .map((s) => acceptedOrFresh(s, "", resources))
      .filter((e): e is string => e !== undefined);
    const err =
      errs.length === 0 ? undefined : errs.length === 1 ? errs[0] : `[${errs.join(", ")}]`;
    check("ShortNamesConflict", err, () => {
      if (wantShort.length > 0) names.shortNames = wantShort;
      else delete names.shortNames;
    });
  }
  check("KindConflict", acceptedOrFresh(requested.kind, accepted.kind, kinds), () => {
    names.kind = requested.kind;
  });
  const listKind = requested.listKind ?? "";
  check("ListKindConflict", acceptedOrFresh(listKind, accepted.listKind, kinds), () => {
    if (listKind) names.listKind = listKind;
    else delete names.listKind;
  });
  const categories = requested.categories ?? [];
  if (categories.length > 0) names.categories = categories;
  else delete names.categories;

  const status: CustomResourceDefinitionStatus = next.status ?? {};
  next.status = status;
  status.acceptedNames = {
    ...names,
    plural: names.plural ?? "",
    kind: names.kind ?? "",
  } as CustomResourceDefinitionNames;
  const namesAccepted = conflict === undefined;
  setCondition(
    next,
    namesAccepted
      ? {
          type: "NamesAccepted",
          status: "True",
          reason: "NoConflicts",
          message: "no conflicts found",
        }
      : {
          type: "NamesAccepted",
          status: "False",
          ...(conflict as { reason: string; message: string }),
        },
    now,
  );
  const established = findCondition(next, "Established");
  if (established?.status !== "True") {
    setCondition(
      next,
      namesAccepted
        ? {
            type: "Established",
            status: "True",
            reason: "InitialNamesAccepted",
            message: "the initial names have been accepted",
          }
        : {
            type: "Established",
            status: "False",
            reason: "NotAccepted",
            message: "not all names are accepted",
          },
      now,
    );
  }
  const storage = next.spec.versions.find((v) => v.storage)?.name;
  const stored = [...(status.storedVersions ?? [])];
  if (storage !== undefined && !stored.includes(storage)) stored.push(storage);
  status.storedVersions = stored;
  return next;
}

/**
 * A queue of CRD names worked one at a time: a name queued while it is
 * being worked on is worked on again afterwards (upstream's workqueue).
 */
export class NameQueue {
  private readonly pending = new Set<string>();
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly work: (name: string) => Promise<void>,
    private readonly log?: Logger,
    private readonly what = "CRD controller",
  ) {}

  add(name: string): void {
    if (this.stopped) return;
    this.pending.add(name);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
      if (this.pending.size > 0 && !this.stopped) this.add([...this.pending][0] as string);
    });
  }

  /** Resolves when nothing is queued or being worked on. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pending.clear();
    await this.running;
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0 && !this.stopped) {
      const name = [...this.pending][0] as string;
      this.pending.delete(name);
      try {
        await this.work(name);
      } catch (err) {
        this.log?.warn(`${this.what}: ${name} failed`, {
          err: err instanceof Error ? err.message : String(err),
        });
        if (!this.stopped) {
          const retry = setTimeout(() => this.add(name), 1000);
          retry.unref();
        }
      }
    }
  }
}

/**
 * Writes `modify(current)` over the stored CRD with compare-and-swap,
 * re-reading and retrying on conflict. `modify` returns undefined to write
 * nothing. Returns the written key-value, or undefined when nothing was written.
 */
export async function updateCrd(
  store: Store,
  name: string,
  modify: (current: CustomResourceDefinition) => CustomResourceDefinition | undefined,
): Promise<KeyValue | undefined> {
  const key = crdKey(name);
  for (let attempt = 0; attempt < 16; attempt++) {
    const kv = await store.get(key);
    if (!kv) return undefined;
    const current = decodeObject(kv) as unknown as CustomResourceDefinition;
    const next = modify(structuredClone(current));
    if (next === undefined) return undefined;
    try {
      return await store.update(key, encodeObject(next as unknown as KubeObject), kv.modRevision);
    } catch (err) {
      if (err instanceof ConflictError) continue;
      if (err instanceof KeyNotFoundError) return undefined;
      throw err;
    }
  }
  throw new Error(`too many concurrent updates of customresourcedefinition ${name}`);
}

export interface CrdControllerOptions {
  readonly log?: Logger;
  /**
   * Built-in resources: CRDs of the same group may not take their names, and
   * a CRD's cleanup leaves the objects of one stored at the same prefix alone.
   */
  readonly builtins?: readonly ResourceDescriptor[];
  readonly now?: () => Date;
}

/**
 * What the API server's CRD controllers share: CRD names the registry
 * reports go through a NameQueue to `sync`, which writes to the store.
 */
export abstract class CrdController {
  private names: NameQueue | undefined;

  constructor(
    protected readonly store: Store,
    protected readonly registry: CustomResourceRegistry,
    protected readonly opts: CrdControllerOptions = {},
  ) {}

  /** What the controller is called in its warnings. */
  protected abstract get what(): string;

  protected get queue(): NameQueue {
    this.names ??= new NameQueue((name) => this.sync(name), this.opts.log, this.what);
    return this.names;
  }

  /** Starts reacting to the registry (call before registry.start() to see the first list). */
  abstract start(): void;

  /** Resolves when no CRD is queued or being worked on. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  stop(): Promise<void> {
    return this.queue.stop();
  }

  protected now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  protected abstract sync(name: string): Promise<void>;
}

export type CrdStatusControllerOptions = CrdControllerOptions;

/** Runs computeStatus for every CRD the registry reports and writes what changed. */
export class CrdStatusController extends CrdController {
  protected get what(): string {
    return "CRD naming controller";
  }

  start(): void {
    const groups = new Map<string, string>();
    this.registry.onDefinition((name) => {
      this.queue.add(name);
      // A CRD's names free or take names of the others in its group (also when it goes).
      const group = this.registry.definition(name)?.spec?.group ?? groups.get(name);
      if (this.registry.definition(name) === undefined) groups.delete(name);
      else if (group !== undefined) groups.set(name, group);
      if (group === undefined) return;
      for (const other of this.registry.definitions()) {
        const otherName = other.metadata?.name;
        if (other.spec?.group === group && otherName && otherName !== name) {
          if (findCondition(other, "NamesAccepted")?.status !== "True") this.queue.add(otherName);
        }
      }
    });
    for (const crd of this.registry.definitions())
      if (crd.metadata?.name) this.queue.add(crd.metadata.name);
  }

  protected async sync(name: string): Promise<void> {
    const written = await updateCrd(this.store, name, (current) => {
      if (current.metadata?.deletionTimestamp) return undefined;
      const others = this.registry.definitions().filter((c) => c.metadata?.name !== name);
      const next = computeStatus(current, others, this.opts.builtins ?? [], this.now());
      if (canonicalJson(next.status) === canonicalJson(current.status)) return undefined;
      return next;
    });
    if (written) this.registry.observe(written);
  }
}
