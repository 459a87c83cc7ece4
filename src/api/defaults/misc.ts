/** Defaults of the non-core groups without pod templates. */
import {
  child,
  isObj,
  type Obj,
  objList,
  setDefault,
  setDefaultString,
  str,
} from "../validation/shape.js";

const RBAC = "rbac.authorization.k8s.io";

/** rbac/v1 SetDefaults for bindings: roleRef.apiGroup and subjects' apiGroup. */
export function defaultBinding(b: Obj): void {
  setDefaultString(child(b, "roleRef"), "apiGroup", RBAC);
  for (const s of objList(b.subjects)) {
    if (str(s.apiGroup) !== "") continue;
    if (s.kind === "User" || s.kind === "Group") s.apiGroup = RBAC;
    else if (s.kind === "ServiceAccount") s.apiGroup = "";
  }
}

/** autoscaling/v2: one replica minimum, 80% CPU when no metrics, full behavior rules when any are given. */
export function defaultHorizontalPodAutoscalerV2(hpa: Obj): void {
  const spec = child(hpa, "spec");
  setDefault(spec, "minReplicas", 1);
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } },
      },
    ];
  }
  if (!isObj(spec.behavior)) return;
  const up = child(spec.behavior, "scaleUp");
  setDefault(up, "stabilizationWindowSeconds", 0);
  setDefault(up, "selectPolicy", "Max");
  setDefault(up, "policies", [
    { type: "Pods", value: 4, periodSeconds: 15 },
    { type: "Percent", value: 100, periodSeconds: 15 },
  ]);
  const down = child(spec.behavior, "scaleDown");
  setDefault(down, "stabilizationWindowSeconds", 300);
  setDefault(down, "selectPolicy", "Max");
  setDefault(down, "policies", [{ type: "Percent", value: 100, periodSeconds: 15 }]);
}

export function defaultHorizontalPodAutoscalerV1(hpa: Obj): void {
  setDefault(child(hpa, "spec"), "minReplicas", 1);
}

/** networking/v1 NetworkPolicy: port protocol TCP; policyTypes from the rules present. */
export function defaultNetworkPolicy(np: Obj): void {
  const spec = child(np, "spec");
  for (const dir of ["ingress", "egress"]) {
    for (const rule of objList(spec[dir]))
      for (const p of objList(rule.ports)) setDefaultString(p, "protocol", "TCP");
  }
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    spec.policyTypes =
      Array.isArray(spec.egress) && spec.egress.length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
  }
}

export function defaultPriorityClass(pc: Obj): void {
  setDefaultString(pc, "preemptionPolicy", "PreemptLowerPriority");
}

/** discovery/v1 EndpointPort: name "" and protocol TCP. */
export function defaultEndpointSlice(es: Obj): void {
  for (const p of objList(es.ports)) {
    setDefault(p, "name", "");
    setDefaultString(p, "protocol", "TCP");
  }
}
