/**
 * A resource client whose lists and watches keep only what the garbage
 * collector reads (name, namespace, uid, resourceVersion, ownerReferences,
 * finalizers, deletionTimestamp), so caching every object of every
 * resource stays small. (The server can send metadata only, but the REST
 * client always asks for whole objects; this trims them on arrival.)
 */
import type { OwnerReference } from "kubernetes-types/meta/v1.js";
import type { WatchEvent } from "../../client/rest/client.js";
import {
  type KubeObjectLike,
  type ListOptions,
  type ObjectList,
  ResourceClient,
  type WatchOptions,
} from "../../client/rest/resource.js";

export interface MetadataObject extends KubeObjectLike {
  metadata?: KubeObjectLike["metadata"] & {
    ownerReferences?: OwnerReference[];
    finalizers?: string[];
  };
}

export function trimToMetadata(obj: MetadataObject): MetadataObject {
  const m = obj.metadata ?? {};
  const keep: NonNullable<MetadataObject["metadata"]> = {};
  if (m.name !== undefined) keep.name = m.name;
  if (m.namespace !== undefined) keep.namespace = m.namespace;
  if (m.uid !== undefined) keep.uid = m.uid;
  if (m.resourceVersion !== undefined) keep.resourceVersion = m.resourceVersion;
  if (m.deletionTimestamp !== undefined) keep.deletionTimestamp = m.deletionTimestamp;
  if (m.ownerReferences !== undefined) keep.ownerReferences = m.ownerReferences;
  if (m.finalizers !== undefined) keep.finalizers = m.finalizers;
  return { metadata: keep };
}

export class MetadataClient extends ResourceClient<MetadataObject> {
  override async list(opts: ListOptions = {}): Promise<ObjectList<MetadataObject>> {
    const list = await super.list(opts);
    return { metadata: list.metadata, items: list.items.map(trimToMetadata) };
  }

  override async *watch(opts: WatchOptions = {}): AsyncGenerator<WatchEvent<MetadataObject>> {
    for await (const ev of super.watch(opts))
      yield { type: ev.type, object: trimToMetadata(ev.object) };
  }
}
