import { Gauge, Histogram, Registry } from "prom-client";

/** The kubelet's Prometheus metrics (/metrics), under upstream's names. */
export class KubeletMetrics {
  readonly registry = new Registry();
  readonly runningPods = new Gauge({
    name: "kubelet_running_pods",
    help: "Number of pods that have a running pod sandbox",
    registers: [this.registry],
  });
  readonly runningContainers = new Gauge({
    name: "kubelet_running_containers",
    help: "Number of containers currently running",
    labelNames: ["container_state"],
    registers: [this.registry],
  });
  readonly podStartDuration = new Histogram({
    name: "kubelet_pod_start_duration_seconds",
    help: "Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run",
    buckets: [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600],
    registers: [this.registry],
  });
  readonly podWorkerDuration = new Histogram({
    name: "kubelet_pod_worker_duration_seconds",
    help: "Duration in seconds to sync a single pod.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly relistDuration = new Histogram({
    name: "kubelet_pleg_relist_duration_seconds",
    help: "Duration in seconds for relisting pods in PLEG.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly nodeName: Gauge;

  constructor(node: string) {
    this.nodeName = new Gauge({
      name: "kubelet_node_name",
      help: "The node's name. The count is always 1.",
      labelNames: ["node"],
      registers: [this.registry],
    });
    this.nodeName.set({ node }, 1);
  }
}
