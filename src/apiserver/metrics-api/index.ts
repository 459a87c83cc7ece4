export { DEFAULT_METRIC_RESOLUTION_MS, MetricsApi, type MetricsApiOptions } from "./metrics-api.js";
export { METRICS_GROUP, METRICS_RESOURCES, METRICS_VERSION } from "./resources.js";
