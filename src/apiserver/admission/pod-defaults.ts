import type { KubeObject } from "../../api/strategy.js";
import type { Store } from "../../storage/types.js";
import { decodeValue } from "../registry/codec.js";
import { forbidden } from "../status.js";
import type { AdmissionAttributes, AdmissionPlugin } from "./chain.js";

const isPodCreate = (a: AdmissionAttributes) =>
  a.operation === "CREATE" &&
  a.resource.group === "" &&
  a.resource.plural === "pods" &&
  a.subresource === "";

type PodSpec = {
  tolerations?: Array<{
    key?: string;
    operator?: string;
    effect?: string;
    tolerationSeconds?: number;
  }>;
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: string;
};

function specOf(obj: KubeObject | undefined): PodSpec {
  if (!obj) return {};
  if (!obj.spec || typeof obj.spec !== "object") obj.spec = {};
  return obj.spec as PodSpec;
}

const TAINT_NOT_READY = "node.kubernetes.io/not-ready";
const TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";

/**
 * Upstream's DefaultTolerationSeconds: every pod tolerates a not-ready or
 * unreachable node for 300 s before the node lifecycle controller evicts it.
 */
export const defaultTolerationSeconds: AdmissionPlugin = {
  name: "DefaultTolerationSeconds",
  handles: isPodCreate,
  async admit(a) {
    const spec = specOf(a.object);
    const tolerations = spec.tolerations ?? [];
    for (const key of [TAINT_NOT_READY, TAINT_UNREACHABLE]) {
      const covered = tolerations.some(
        (t) =>
          (t.key === key || ((t.key === undefined || t.key === "") && t.operator === "Exists")) &&
          (t.effect === undefined || t.effect === "" || t.effect === "NoExecute"),
      );
      if (!covered)
        tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
    }
    spec.tolerations = tolerations;
  },
};

/** The PriorityClasses every cluster has (created at bootstrap). */
export const SYSTEM_PRIORITY_CLASSES = [
  { name: "system-node-critical", value: 2000001000 },
  { name: "system-cluster-critical", value: 2000000000 },
];

/**
 * Upstream's Priority admission: a pod's priority comes from its
 * priorityClassName, or the global default class, or is 0.
 */
export function priority(store: Store): AdmissionPlugin {
  return {
    name: "Priority",
    handles: isPodCreate,
    async admit(a) {
      const spec = specOf(a.object);
      let cls: KubeObject | undefined;
      if (spec.priorityClassName) {
        const kv = await store.get(
          `/registry/scheduling.k8s.io/priorityclasses/${spec.priorityClassName}`,
        );
        if (!kv) {
          throw forbidden(
            `pods "${a.name}" is forbidden: no PriorityClass with name ${spec.priorityClassName} was found`,
          );
        }
        cls = decodeValue(kv.value);
      } else {
        const all = await store.list("/registry/scheduling.k8s.io/priorityclasses/");
        cls = all.items.map((kv) => decodeValue(kv.value)).find((c) => c.globalDefault === true);
        if (cls) spec.priorityClassName = cls.metadata?.name ?? "";
      }
      const value = typeof cls?.value === "number" ? cls.value : 0;
      if (spec.priority !== undefined && spec.priority !== value) {
        throw forbidden(
          `pods "${a.name}" is forbidden: the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`,
        );
      }
      spec.priority = value;
      spec.preemptionPolicy =
        (cls?.preemptionPolicy as string | undefined) ?? "PreemptLowerPriority";
    },
  };
}
