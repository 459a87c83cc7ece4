/** core/v1 Service (upstream's ValidateService and ValidateServiceUpdate). */
import {
  duplicate,
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  notSupported,
  path,
  required,
} from "../../machinery/field-errors.js";
import type { KubeObject } from "../strategy.js";
import { PORT_PROTOCOLS, validatePortNumOrName } from "./container.js";
import { goSliceValue, goValue } from "./go-value.js";
import { validateLabels } from "./metadata.js";
import {
  CIDR_ERROR,
  cidrFamilyOf,
  IP_ERROR,
  ipFamilyOf,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPortNum,
} from "./names.js";
import { isObj, num, type Obj, objList, str, strList } from "./shape.js";

const TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const AFFINITIES = ["ClientIP", "None"];
const FAMILIES = ["IPv4", "IPv6"];
const FAMILY_POLICIES = ["PreferDualStack", "RequireDualStack", "SingleStack"];

const spec = (o: KubeObject): Obj => (isObj(o.spec) ? o.spec : {});

function isHeadless(s: Obj): boolean {
  return strList(s.clusterIPs)[0] === "None" || s.clusterIP === "None";
}

function externallyAccessible(s: Obj): boolean {
  return (
    s.type === "LoadBalancer" ||
    s.type === "NodePort" ||
    (s.type === "ClusterIP" && strList(s.externalIPs).length > 0)
  );
}

function validateServicePort(
  sp: Obj,
  p: FieldPath,
  opts: { requireName: boolean; names: Set<string> },
): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(sp.name);
  if (opts.requireName && name.length === 0) errs.push(required(p.child("name")));
  else if (name.length > 0) {
    for (const m of isDNS1123Label(name)) errs.push(invalid(p.child("name"), name, m));
    if (opts.names.has(name)) errs.push(duplicate(p.child("name"), name));
    else opts.names.add(name);
  }
  const port = num(sp.port) ?? 0;
  for (const m of isValidPortNum(port)) errs.push(invalid(p.child("port"), port, m));
  const proto = str(sp.protocol);
  if (proto.length === 0) errs.push(required(p.child("protocol")));
  else if (!(PORT_PROTOCOLS as readonly string[]).includes(proto)) {
    errs.push(notSupported(p.child("protocol"), proto, PORT_PROTOCOLS));
  }
  errs.push(...validatePortNumOrName(sp.targetPort, p.child("targetPort")));
  if (typeof sp.appProtocol === "string") {
    for (const m of isQualifiedName(sp.appProtocol))
      errs.push(invalid(p.child("appProtocol"), sp.appProtocol, m));
  }
  return errs;
}

function validateClusterIPFields(s: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (s.type === "ExternalName") return errs;
  const sp = path("spec");
  const clusterIP = str(s.clusterIP);
  const ips = strList(s.clusterIPs);
  const ipsPath = sp.child("clusterIPs");
  if (clusterIP.length > 0) {
    if (ips.length === 0) errs.push(required(ipsPath));
    else if (ips[0] !== clusterIP)
      errs.push(invalid(ipsPath, goSliceValue(ips), "first value must match `clusterIP`"));
  } else if (ips.length > 0) {
    errs.push(
      invalid(ipsPath, goSliceValue(ips), "must be empty when `clusterIP` is not specified"),
    );
  }
  const families = strList(s.ipFamilies);
  const seen = new Set<string>();
  families.forEach((f, i) => {
    if (!FAMILIES.includes(f))
      errs.push(notSupported(sp.child("ipFamilies").index(i), f, FAMILIES));
    if (seen.has(f)) errs.push(duplicate(sp.child("ipFamilies").index(i), f));
    seen.add(f);
  });
  const policy = s.ipFamilyPolicy;
  if (typeof policy === "string" && !FAMILY_POLICIES.includes(policy)) {
    errs.push(notSupported(sp.child("ipFamilyPolicy"), policy, FAMILY_POLICIES));
  }
  ips.forEach((ip, i) => {
    if (i === 0 && ip === "None") {
      if (ips.length > 1)
        errs.push(invalid(ipsPath, goSliceValue(ips), "'None' must be the first and only value"));
      return;
    }
    if (ipFamilyOf(ip) === undefined) errs.push(invalid(ipsPath.index(i), ip, IP_ERROR));
  });
  if (ips.length > 2)
    errs.push(invalid(ipsPath, goSliceValue(ips), "may only hold up to 2 values"));
  if (families.length > 2)
    errs.push(
      invalid(sp.child("ipFamilies"), goSliceValue(families), "may only hold up to 2 values"),
    );
  if (policy === "SingleStack" && (families.length > 1 || ips.length > 1)) {
    const which = ips.length > 1 ? ipsPath : sp.child("ipFamilies");
    errs.push(
      invalid(
        which,
        goSliceValue(ips.length > 1 ? ips : families),
        "must be 'PreferDualStack' or 'RequireDualStack' when multiple 'ipFamilies' are specified",
      ),
    );
  }
  return errs;
}

/** The Service's own fields (metadata is checked generically). */
export function validateService(svc: KubeObject): FieldError[] {
  const s = spec(svc);
  const sp = path("spec");
  const errs: FieldError[] = [];
  const ports = objList(s.ports);
  const type = str(s.type);
  if (ports.length === 0 && !isHeadless(s) && type !== "ExternalName")
    errs.push(required(sp.child("ports")));
  if ((type === "LoadBalancer" || type === "NodePort") && isHeadless(s)) {
    errs.push(
      invalid(
        sp.child("clusterIPs").index(0),
        "None",
        `may not be set to 'None' for ${type} services`,
      ),
    );
  }
  if (type === "ExternalName") {
    if (strList(s.clusterIPs).length > 0)
      errs.push(forbidden(sp.child("clusterIPs"), "may not be set for ExternalName services"));
    if (strList(s.ipFamilies).length > 0)
      errs.push(forbidden(sp.child("ipFamilies"), "may not be set for ExternalName services"));
    if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null) {
      errs.push(forbidden(sp.child("ipFamilyPolicy"), "may not be set for ExternalName services"));
    }
    const cname = str(s.externalName).replace(/\.$/, "");
    if (cname.length > 0) {
      for (const m of isDNS1123Subdomain(cname))
        errs.push(invalid(sp.child("externalName"), cname, m));
    } else {
      errs.push(required(sp.child("externalName")));
    }
  }
  const names = new Set<string>();
  ports.forEach((port, i) => {
    errs.push(
      ...validateServicePort(port, sp.child("ports").index(i), {
        requireName: ports.length > 1,
        names,
      }),
    );
  });
  if (isObj(s.selector)) errs.push(...validateLabels(s.selector, sp.child("selector")));
  const affinity = str(s.sessionAffinity);
  if (affinity.length === 0) errs.push(required(sp.child("sessionAffinity")));
  else if (!AFFINITIES.includes(affinity))
    errs.push(notSupported(sp.child("sessionAffinity"), affinity, AFFINITIES));
  const cfgPath = sp.child("sessionAffinityConfig");
  if (affinity === "ClientIP") {
    const cfg = s.sessionAffinityConfig;
    const when = "when session affinity type is ClientIP";
    if (!isObj(cfg)) errs.push(required(cfgPath, when));
    else if (!isObj(cfg.clientIP)) errs.push(required(cfgPath.child("clientIP"), when));
    else {
      const t = num(cfg.clientIP.timeoutSeconds);
      const tp = cfgPath.child("clientIP", "timeoutSeconds");
      if (t === undefined) errs.push(required(tp, when));
      else if (t <= 0 || t > 86400)
        errs.push(invalid(tp, t, "must be greater than 0 and less than 86400"));
    }
  } else if (affinity === "None" && isObj(s.sessionAffinityConfig)) {
    errs.push(forbidden(cfgPath, "must not be set when session affinity is None"));
  }
  errs.push(...validateClusterIPFields(s));
  strList(s.externalIPs).forEach((ip, i) => {
    if (ipFamilyOf(ip) === undefined)
      errs.push(invalid(sp.child("externalIPs").index(i), ip, IP_ERROR));
  });
  if (type.length === 0) errs.push(required(sp.child("type")));
  else if (!TYPES.includes(type)) errs.push(notSupported(sp.child("type"), type, TYPES));
  if (type === "ClusterIP") {
    ports.forEach((port, i) => {
      if ((num(port.nodePort) ?? 0) !== 0) {
        errs.push(
          forbidden(
            sp.child("ports").index(i).child("nodePort"),
            "may not be used when `type` is 'ClusterIP'",
          ),
        );
      }
    });
  }
  const nodePorts = new Set<string>();
  const portKeys = new Set<string>();
  ports.forEach((port, i) => {
    const np = num(port.nodePort) ?? 0;
    if (np !== 0) {
      const key = `${str(port.protocol)}/${np}`;
      if (nodePorts.has(key))
        errs.push(duplicate(sp.child("ports").index(i).child("nodePort"), np));
      nodePorts.add(key);
    }
    const key = `${str(port.protocol)}/${num(port.port) ?? 0}`;
    if (portKeys.has(key)) {
      const text = `core.ServicePort{Name:"", Protocol:${JSON.stringify(str(port.protocol))}, AppProtocol:(*string)(nil), Port:${num(port.port) ?? 0}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
      errs.push(
        duplicate(
          sp.child("ports").index(i),
          goValue({ protocol: port.protocol, port: port.port }, text),
        ),
      );
    }
    portKeys.add(key);
  });
  const ranges = strList(s.loadBalancerSourceRanges);
  if (ranges.length > 0) {
    const fp = sp.child("LoadBalancerSourceRanges");
    if (type !== "LoadBalancer")
      errs.push(forbidden(fp, "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => {
      const v = r.trim();
      if (cidrFamilyOf(v) === undefined) errs.push(invalid(fp.index(i), v, CIDR_ERROR));
    });
  }
  if (
    s.allocateLoadBalancerNodePorts !== undefined &&
    s.allocateLoadBalancerNodePorts !== null &&
    type !== "LoadBalancer"
  ) {
    errs.push(
      forbidden(
        sp.child("allocateLoadBalancerNodePorts"),
        "may only be used when `type` is 'LoadBalancer'",
      ),
    );
  }
  if (type === "LoadBalancer" && typeof s.allocateLoadBalancerNodePorts !== "boolean") {
    errs.push(required(path("allocateLoadBalancerNodePorts")));
  }
  const etp = str(s.externalTrafficPolicy);
  if (!externallyAccessible(s)) {
    if (etp !== "") {
      errs.push(
        invalid(
          sp.child("externalTrafficPolicy"),
          etp,
          "may only be set for externally-accessible services",
        ),
      );
    }
  } else if (etp === "") {
    errs.push(required(sp.child("externalTrafficPolicy")));
  } else if (etp !== "Cluster" && etp !== "Local") {
    errs.push(notSupported(sp.child("externalTrafficPolicy"), etp, ["Cluster", "Local"]));
  }
  const hc = num(s.healthCheckNodePort) ?? 0;
  const needsHC = type === "LoadBalancer" && etp === "Local";
  if (!needsHC && hc !== 0) {
    errs.push(
      invalid(
        sp.child("healthCheckNodePort"),
        hc,
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ),
    );
  }
  if (needsHC && hc !== 0)
    for (const m of isValidPortNum(hc)) errs.push(invalid(sp.child("healthCheckNodePort"), hc, m));
  const itp = s.internalTrafficPolicy;
  if (itp === undefined || itp === null) {
    if (type === "NodePort" || type === "LoadBalancer" || type === "ClusterIP") {
      errs.push(required(sp.child("internalTrafficPolicy")));
    }
  } else if (itp !== "Cluster" && itp !== "Local") {
    errs.push(notSupported(sp.child("internalTrafficPolicy"), str(itp), ["Cluster", "Local"]));
  }
  if (typeof s.trafficDistribution === "string" && s.trafficDistribution !== "PreferClose") {
    errs.push(
      notSupported(sp.child("trafficDistribution"), s.trafficDistribution, ["PreferClose"]),
    );
  }
  return errs;
}

/** ValidateServiceUpdate: cluster IPs and families may not change once set. */
export function validateServiceUpdate(svc: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec(svc);
  const os = spec(old);
  const sp = path("spec");
  if (s.type !== "ExternalName" && os.type !== "ExternalName") {
    const ips = strList(s.clusterIPs);
    const oldIPs = strList(os.clusterIPs);
    if (oldIPs.length > 0 && ips.length > 0 && ips[0] !== oldIPs[0]) {
      errs.push(
        invalid(sp.child("clusterIPs").index(0), goSliceValue(ips), "may not change once set"),
      );
    }
    if (oldIPs.length === 2 && ips.length === 2 && ips[1] !== oldIPs[1]) {
      errs.push(
        invalid(sp.child("clusterIPs").index(1), goSliceValue(ips), "may not change once set"),
      );
    }
    const fams = strList(s.ipFamilies);
    const oldFams = strList(os.ipFamilies);
    if (oldFams.length > 0 && fams.length > 0 && fams[0] !== oldFams[0]) {
      errs.push(
        invalid(sp.child("ipFamilies").index(0), goSliceValue(fams), "may not change once set"),
      );
    }
  }
  const lbc = (o: Obj) =>
    typeof o.loadBalancerClass === "string" ? o.loadBalancerClass : undefined;
  if (os.type === "LoadBalancer" && s.type === "LoadBalancer" && lbc(s) !== lbc(os)) {
    errs.push(invalid(sp.child("loadBalancerClass"), lbc(s) ?? null, "may not change once set"));
  }
  const needsHC = (o: Obj) => o.type === "LoadBalancer" && o.externalTrafficPolicy === "Local";
  if (needsHC(s) && needsHC(os) && num(s.healthCheckNodePort) !== num(os.healthCheckNodePort)) {
    errs.push(forbidden(sp.child("healthCheckNodePort"), "field is immutable"));
  }
  return errs;
}

/** ValidateServiceStatusUpdate: load balancer ingress points are well-formed. */
export function validateServiceStatusUpdate(svc: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const lb = isObj(svc.status) && isObj(svc.status.loadBalancer) ? svc.status.loadBalancer : {};
  const p = path("status", "loadBalancer", "ingress");
  objList(lb.ingress).forEach((ing, i) => {
    const ip = str(ing.ip);
    if (ip.length > 0 && ipFamilyOf(ip) === undefined)
      errs.push(invalid(p.index(i).child("ip"), ip, "must be a valid IP address"));
    const host = str(ing.hostname);
    if (host.length > 0) {
      for (const m of isDNS1123Subdomain(host))
        errs.push(invalid(p.index(i).child("hostname"), host, m));
      if (ipFamilyOf(host) !== undefined)
        errs.push(
          invalid(p.index(i).child("hostname"), host, "must be a DNS name, not an IP address"),
        );
    }
  });
  return errs;
}
