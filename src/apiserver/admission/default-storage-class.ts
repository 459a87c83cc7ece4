/**
 * Upstream's DefaultStorageClass admission: a claim created without a
 * class (spec.storageClassName absent, not "", and no beta class
 * annotation) gets the cluster's default StorageClass, so dynamic
 * provisioning serves it. With several defaults, the newest wins (ties:
 * the first name), as upstream since 1.26.
 */
import type { KubeObject } from "../../api/strategy.js";
import type { Store } from "../../storage/types.js";
import { decodeValue } from "../registry/codec.js";
import type { AdmissionPlugin } from "./chain.js";

const STORAGE_CLASSES = "/registry/storage.k8s.io/storageclasses/";
const BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";
const DEFAULT_ANNOTATIONS = [
  "storageclass.kubernetes.io/is-default-class",
  "storageclass.beta.kubernetes.io/is-default-class",
];

function isDefault(sc: KubeObject): boolean {
  const annotations = (sc.metadata?.annotations ?? {}) as Record<string, string>;
  return DEFAULT_ANNOTATIONS.some((a) => annotations[a] === "true");
}

/** The default class among `classes`, if any: newest creationTimestamp first, then name. */
export function pickDefaultClass(classes: readonly KubeObject[]): KubeObject | undefined {
  const created = (sc: KubeObject) => Date.parse(String(sc.metadata?.creationTimestamp ?? "")) || 0;
  const name = (sc: KubeObject) => String(sc.metadata?.name ?? "");
  return classes
    .filter(isDefault)
    .sort(
      (a, b) => created(b) - created(a) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0),
    )[0];
}

export function defaultStorageClass(store: Store): AdmissionPlugin {
  return {
    name: "DefaultStorageClass",
    handles: (a) =>
      a.operation === "CREATE" &&
      a.resource.group === "" &&
      a.resource.plural === "persistentvolumeclaims" &&
      a.subresource === "",
    async admit(a) {
      const claim = a.object;
      if (!claim) return;
      const spec = (claim.spec ?? {}) as { storageClassName?: string | null };
      // "" asks for no class on purpose; only an absent one is defaulted.
      if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
      const annotations = (claim.metadata?.annotations ?? {}) as Record<string, string>;
      if (annotations[BETA_CLASS_ANNOTATION] !== undefined) return;
      const list = await store.list(STORAGE_CLASSES);
      const sc = pickDefaultClass(list.items.map((kv) => decodeValue(kv.value)));
      if (!sc) return;
      claim.spec = { ...spec, storageClassName: String(sc.metadata?.name ?? "") };
    },
  };
}
