/** Disruption budgets and horizontal pod autoscalers. */
import type {
  HorizontalPodAutoscaler,
  MetricSpec,
  MetricStatus,
} from "kubernetes-types/autoscaling/v2.js";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import type { KubeObject } from "../strategy.js";
import { since } from "./duration.js";
import { AGE_COLUMN, column, intOrString, NAME_COLUMN, nameOf, quantity, view } from "./format.js";
import type { TablePrinter } from "./types.js";

export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Min Available", { description: "Pods that must stay available." }),
    column("Max Unavailable", { description: "Pods that may be unavailable at once." }),
    column("Allowed Disruptions", {
      type: "integer",
      description: "Pods that may be evicted right now.",
    }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const pdb = view<PodDisruptionBudget>(obj);
    const min = pdb.spec?.minAvailable;
    const max = pdb.spec?.maxUnavailable;
    return [
      nameOf(obj),
      min === undefined || min === null ? "N/A" : intOrString(min),
      max === undefined || max === null ? "N/A" : intOrString(max),
      pdb.status?.disruptionsAllowed ?? 0,
      since(obj.metadata?.creationTimestamp, now),
    ];
  },
};

/** An autoscaling/v1 object seen through the v2 shape (CPU utilization target only). */
function asV2(obj: KubeObject): HorizontalPodAutoscaler {
  const spec = obj.spec as Record<string, unknown> | undefined;
  if (!spec || "metrics" in spec || !("targetCPUUtilizationPercentage" in spec)) {
    return view<HorizontalPodAutoscaler>(obj);
  }
  const hpa = view<HorizontalPodAutoscaler>(obj);
  const status = obj.status as Record<string, unknown> | undefined;
  const target = spec.targetCPUUtilizationPercentage as number;
  const current = status?.currentCPUUtilizationPercentage as number | undefined;
  const metrics: MetricSpec[] = [
    {
      type: "Resource",
      resource: { name: "cpu", target: { type: "Utilization", averageUtilization: target } },
    },
  ];
  const currentMetrics: MetricStatus[] =
    current === undefined
      ? []
      : [
          {
            type: "Resource",
            resource: { name: "cpu", current: { averageUtilization: current } },
          },
        ];
  return {
    ...hpa,
    spec: { ...(hpa.spec ?? { maxReplicas: 0, scaleTargetRef: { kind: "", name: "" } }), metrics },
    status: { ...(hpa.status ?? { desiredReplicas: 0 }), currentMetrics },
  };
}

function percent(n: number | undefined): string | undefined {
  return n === undefined || n === null ? undefined : `${n}%`;
}

/** One TARGETS entry, e.g. `cpu: 12%/80%` or `<unknown>/100 (avg)`. */
function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case "External": {
      const target = spec.external?.target;
      if (target?.averageValue !== undefined) {
        const cur = status?.external?.current?.averageValue;
        return `${cur !== undefined ? quantity(cur) : "<unknown>"}/${quantity(target.averageValue)} (avg)`;
      }
      const cur = status?.external ? quantity(status.external.current?.value) : "<unknown>";
      return `${cur}/${quantity(target?.value)}`;
    }
    case "Pods": {
      const cur = status?.pods ? quantity(status.pods.current?.averageValue) : "<unknown>";
      return `${cur}/${quantity(spec.pods?.target?.averageValue)}`;
    }
    case "Object": {
      const target = spec.object?.target;
      if (target?.averageValue !== undefined) {
        const cur = status?.object?.current?.averageValue;
        return `${cur !== undefined ? quantity(cur) : "<unknown>"}/${quantity(target.averageValue)} (avg)`;
      }
      const cur = status?.object ? quantity(status.object.current?.value) : "<unknown>";
      return `${cur}/${quantity(target?.value)}`;
    }
    case "Resource":
    case "ContainerResource": {
      const source = spec.type === "Resource" ? spec.resource : spec.containerResource;
      const current = spec.type === "Resource" ? status?.resource : status?.containerResource;
      const name = source?.name ?? "";
      const target = source?.target;
      if (target?.averageValue !== undefined) {
        const cur = current ? quantity(current.current?.averageValue) : "<unknown>";
        return `${name}: ${cur}/${quantity(target.averageValue)}`;
      }
      const cur = percent(current?.current?.averageUtilization) ?? "<unknown>";
      return `${name}: ${cur}/${percent(target?.averageUtilization) ?? "<auto>"}`;
    }
    default:
      return "<unknown type>";
  }
}

/** At most two metrics, then " + N more..."; "<none>" without metrics. */
export function formatHpaMetrics(hpa: HorizontalPodAutoscaler): string {
  const specs = hpa.spec?.metrics ?? [];
  if (specs.length === 0) return "<none>";
  const statuses = hpa.status?.currentMetrics ?? [];
  const list = specs.map((spec, i) => formatMetric(spec, statuses[i]));
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(", ")} + ${list.length - max} more...`;
  return list.join(", ");
}

export const horizontalPodAutoscalerPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Reference", { description: "The scaled object, as Kind/name." }),
    column("Targets", { description: "Current and target values of each metric." }),
    column("MinPods", { description: "Lower bound on replicas." }),
    column("MaxPods", { description: "Upper bound on replicas." }),
    column("Replicas", { description: "Replicas the autoscaler last observed." }),
    AGE_COLUMN,
  ],
  row(obj, now) {
    const hpa = asV2(obj);
    const ref = hpa.spec?.scaleTargetRef;
    const min = hpa.spec?.minReplicas;
    return [
      nameOf(obj),
      `${ref?.kind ?? ""}/${ref?.name ?? ""}`,
      formatHpaMetrics(hpa),
      min === undefined || min === null ? "<unset>" : String(min),
      hpa.spec?.maxReplicas ?? 0,
      hpa.status?.currentReplicas ?? 0,
      since(obj.metadata?.creationTimestamp, now),
    ];
  },
};
