/**
 * Service defaults: SetDefaults_Service plus what the Service registry
 * fills in on create (clusterIPs from clusterIP, IP family fields) for a
 * single-stack IPv4 cluster.
 */
import {
  child,
  isObj,
  type Obj,
  objList,
  setDefault,
  setDefaultString,
  str,
  strList,
} from "../validation/shape.js";

export function defaultService(svc: Obj): void {
  const spec = child(svc, "spec");
  setDefaultString(spec, "sessionAffinity", "None");
  if (spec.sessionAffinity === "None") delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === "ClientIP") {
    const cfg = spec.sessionAffinityConfig;
    if (!isObj(cfg) || !isObj(cfg.clientIP) || typeof cfg.clientIP.timeoutSeconds !== "number") {
      spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
    }
  }
  setDefaultString(spec, "type", "ClusterIP");
  for (const port of objList(spec.ports)) {
    setDefaultString(port, "protocol", "TCP");
    if (
      port.targetPort === undefined ||
      port.targetPort === null ||
      port.targetPort === 0 ||
      port.targetPort === ""
    ) {
      port.targetPort = port.port;
    }
  }
  const type = str(spec.type);
  const external =
    type === "NodePort" ||
    type === "LoadBalancer" ||
    (type === "ClusterIP" && strList(spec.externalIPs).length > 0);
  if (external) setDefaultString(spec, "externalTrafficPolicy", "Cluster");
  if (type === "NodePort" || type === "LoadBalancer" || type === "ClusterIP")
    setDefault(spec, "internalTrafficPolicy", "Cluster");
  if (type === "LoadBalancer") setDefault(spec, "allocateLoadBalancerNodePorts", true);
  if (type === "ExternalName") return;
  // Registry behaviour: keep clusterIP and clusterIPs in step.
  const clusterIP = str(spec.clusterIP);
  const ips = strList(spec.clusterIPs);
  if (clusterIP !== "" && ips.length === 0) spec.clusterIPs = [clusterIP];
  else if (clusterIP === "" && ips.length > 0) spec.clusterIP = ips[0];
  const headless = spec.clusterIP === "None";
  const selectorless = !isObj(spec.selector) || Object.keys(spec.selector).length === 0;
  if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) {
    spec.ipFamilyPolicy = headless && selectorless ? "RequireDualStack" : "SingleStack";
  }
  if (strList(spec.ipFamilies).length === 0) spec.ipFamilies = ["IPv4"];
}

/**
 * On update the registry keeps what was allocated when the client omits it
 * (a `kubectl apply` never carries clusterIP or nodePorts). Copies those
 * from the stored object; call before defaulting and validation.
 */
export function preserveAllocatedServiceFields(svc: Obj, old: Obj): void {
  const spec = child(svc, "spec");
  const os = isObj(old.spec) ? old.spec : {};
  if (spec.type === "ExternalName" || os.type === "ExternalName") return;
  if (
    str(spec.clusterIP) === "" &&
    strList(spec.clusterIPs).length === 0 &&
    str(os.clusterIP) !== ""
  ) {
    spec.clusterIP = os.clusterIP;
    spec.clusterIPs = os.clusterIPs;
  }
  if (strList(spec.ipFamilies).length === 0 && strList(os.ipFamilies).length > 0)
    spec.ipFamilies = os.ipFamilies;
  if (
    (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) &&
    typeof os.ipFamilyPolicy === "string"
  ) {
    spec.ipFamilyPolicy = os.ipFamilyPolicy;
  }
  const oldPorts = objList(os.ports);
  for (const port of objList(spec.ports)) {
    if (port.nodePort !== undefined && port.nodePort !== null && port.nodePort !== 0) continue;
    const match = oldPorts.find(
      (o) => o.port === port.port && str(o.protocol || "TCP") === str(port.protocol || "TCP"),
    );
    if (match !== undefined && typeof match.nodePort === "number") port.nodePort = match.nodePort;
  }
  if (
    (spec.healthCheckNodePort === undefined || spec.healthCheckNodePort === 0) &&
    typeof os.healthCheckNodePort === "number"
  ) {
    spec.healthCheckNodePort = os.healthCheckNodePort;
  }
}
