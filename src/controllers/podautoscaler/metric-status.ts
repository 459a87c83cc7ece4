/**
 * One metric spec → a replica proposal and its status entry (upstream's
 * computeReplicasForMetric), given the pods and a way to read PodMetrics.
 * Resource and ContainerResource metrics come from metrics.k8s.io; Pods,
 * Object and External metrics need the custom and external metrics APIs,
 * which k8ts does not serve, so they fail as upstream fails without them.
 */
import type { MetricSpec, MetricStatus, MetricTarget } from "kubernetes-types/autoscaling/v2.js";
import type { Pod } from "kubernetes-types/core/v1.js";
import { parseQuantity, Quantity } from "../../machinery/quantity/index.js";
import {
  type CalculatorOptions,
  rawResourceReplicas,
  resourceReplicas,
} from "./replica-calculator.js";
import { type PodMetricsList, podMetricsInfo } from "./resource-metrics.js";

export interface MetricContext {
  readonly specReplicas: number;
  readonly pods: readonly Pod[];
  /** PodMetrics of the target's pods (metrics.k8s.io); throws when the API cannot answer. */
  readonly podMetrics: () => Promise<PodMetricsList>;
  readonly opts: CalculatorOptions;
}

export interface MetricProposal {
  readonly replicas: number;
  /** e.g. "cpu resource utilization (percentage of request)", for the rescale reason. */
  readonly metricName: string;
  readonly status: MetricStatus;
}

/** A metric that could not be computed: ScalingActive=False with this reason, and a Warning event. */
export class MetricError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

const milli = (n: number) => Quantity.fromMilli(Math.trunc(n)).toString();

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A resource target → proposal and MetricValueStatus (upstream's computeStatusForResourceMetricGeneric). */
async function resourceProposal(
  ctx: MetricContext,
  source: { name: string; target: MetricTarget; container?: string },
): Promise<{ replicas: number; current: object; utilization: boolean }> {
  const { name, target } = source;
  const container = source.container ? { container: source.container } : {};
  const metrics = async () => {
    try {
      return podMetricsInfo(await ctx.podMetrics(), { resource: name, ...container });
    } catch (err) {
      throw new Error(`unable to get metrics for resource ${name}: ${errorText(err)}`);
    }
  };
  const calc = { currentReplicas: ctx.specReplicas, pods: ctx.pods, resource: name };
  if (target.averageValue !== undefined && target.averageValue !== null) {
    try {
      const targetUsage = parseQuantity(String(target.averageValue)).milliValue();
      const r = rawResourceReplicas({ ...calc, metrics: await metrics(), targetUsage }, ctx.opts);
      return {
        replicas: r.replicas,
        current: { averageValue: milli(r.usage) },
        utilization: false,
      };
    } catch (err) {
      throw new Error(`failed to get ${name} usage: ${errorText(err)}`);
    }
  }
  if (target.averageUtilization === undefined || target.averageUtilization === null)
    throw new Error(
      "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set",
    );
  try {
    const r = resourceReplicas(
      {
        ...calc,
        ...container,
        metrics: await metrics(),
        targetUtilization: target.averageUtilization,
      },
      ctx.opts,
    );
    return {
      replicas: r.replicas,
      current: { averageUtilization: r.utilization, averageValue: milli(r.rawUtilization) },
      utilization: true,
    };
  } catch (err) {
    throw new Error(`failed to get ${name} utilization: ${errorText(err)}`);
  }
}

/** The proposal of one metric spec; a MetricError when it cannot be computed. */
export async function computeMetric(spec: MetricSpec, ctx: MetricContext): Promise<MetricProposal> {
  switch (spec.type) {
    case "Resource": {
      const source = spec.resource;
      if (!source) throw new MetricError("FailedGetResourceMetric", "no resource metric source");
      try {
        const p = await resourceProposal(ctx, source);
        return {
          replicas: p.replicas,
          metricName: p.utilization
            ? `${source.name} resource utilization (percentage of request)`
            : `${source.name} resource`,
          status: { type: "Resource", resource: { name: source.name, current: p.current } },
        };
      } catch (err) {
        throw new MetricError("FailedGetResourceMetric", errorText(err));
      }
    }
    case "ContainerResource": {
      const source = spec.containerResource;
      if (!source)
        throw new MetricError(
          "FailedGetContainerResourceMetric",
          "no container resource metric source",
        );
      try {
        const p = await resourceProposal(ctx, source);
        return {
          replicas: p.replicas,
          metricName: p.utilization
            ? `${source.name} container resource utilization (percentage of request)`
            : `${source.name} container resource`,
          status: {
            type: "ContainerResource",
            containerResource: {
              name: source.name,
              container: source.container,
              current: p.current,
            },
          },
        };
      } catch (err) {
        throw new MetricError("FailedGetContainerResourceMetric", errorText(err));
      }
    }
    case "Pods":
      throw new MetricError(
        "FailedGetPodsMetric",
        `failed to get pods metric value: unable to get metric ${spec.pods?.metric.name ?? ""}: the custom metrics API (custom.metrics.k8s.io) is not served`,
      );
    case "Object":
      throw new MetricError(
        "FailedGetObjectMetric",
        `failed to get object metric value: unable to get metric ${spec.object?.metric.name ?? ""}: the custom metrics API (custom.metrics.k8s.io) is not served`,
      );
    case "External":
      throw new MetricError(
        "FailedGetExternalMetric",
        `unable to get external metric ${spec.external?.metric.name ?? ""}: the external metrics API (external.metrics.k8s.io) is not served`,
      );
    default:
      throw new MetricError("InvalidMetricSourceType", `unknown metric source type "${spec.type}"`);
  }
}
