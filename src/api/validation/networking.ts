/** networking.k8s.io/v1: Ingress, IngressClass, NetworkPolicy. */
import {
  type FieldError,
  type FieldPath,
  invalid,
  notSupported,
  path,
  required,
} from "../../machinery/field-errors.js";
import type { KubeObject } from "../strategy.js";
import { PORT_PROTOCOLS } from "./container.js";
import { validateImmutable } from "./metadata.js";
import {
  CIDR_ERROR,
  cidrFamilyOf,
  ipFamilyOf,
  isDNS1123Subdomain,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
} from "./names.js";
import { validateLabelSelector } from "./selector.js";
import { isObj, num, type Obj, obj, objList, str, strList } from "./shape.js";

const PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"];

function validateBackend(b: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const hasService = isObj(b.service);
  const hasResource = isObj(b.resource);
  if (hasService && hasResource)
    return [invalid(p, "", "cannot set both resource and service backends")];
  if (hasService) {
    const svc = obj(b.service);
    const name = str(svc.name);
    if (name.length === 0) errs.push(required(p.child("service", "name")));
    const port = obj(svc.port);
    const portName = str(port.name);
    const portNumber = num(port.number) ?? 0;
    const pp = p.child("service", "port");
    if (portName.length > 0 && portNumber !== 0)
      errs.push(invalid(pp, port, "cannot set both port name & port number"));
    else if (portName.length > 0)
      for (const m of isValidPortName(portName)) errs.push(invalid(pp.child("name"), portName, m));
    else if (portNumber !== 0)
      for (const m of isValidPortNum(portNumber))
        errs.push(invalid(pp.child("number"), portNumber, m));
    else errs.push(required(pp, "port name or number is required"));
    return errs;
  }
  if (hasResource) {
    const r = obj(b.resource);
    if (str(r.kind).length === 0) errs.push(required(p.child("resource", "kind")));
    if (str(r.name).length === 0) errs.push(required(p.child("resource", "name")));
    return errs;
  }
  return [invalid(p, "", "resource or service backend is required")];
}

export function validateIngress(ing: KubeObject): FieldError[] {
  const s = obj(ing.spec);
  const sp = path("spec");
  const errs: FieldError[] = [];
  const rules = objList(s.rules);
  if (rules.length === 0 && !isObj(s.defaultBackend)) {
    errs.push(invalid(sp, rules, "either `defaultBackend` or `rules` must be specified"));
  }
  if (isObj(s.defaultBackend))
    errs.push(...validateBackend(s.defaultBackend, sp.child("defaultBackend")));
  rules.forEach((rule, i) => {
    const rp = sp.child("rules").index(i);
    const host = str(rule.host);
    if (host.length > 0) {
      if (ipFamilyOf(host) !== undefined)
        errs.push(invalid(rp.child("host"), host, "must be a DNS name, not an IP address"));
      const msgs = host.includes("*") ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of msgs) errs.push(invalid(rp.child("host"), host, m));
    }
    if (!isObj(rule.http)) return;
    const paths = objList(rule.http.paths);
    const hp = rp.child("http", "paths");
    if (paths.length === 0) errs.push(required(hp));
    paths.forEach((pth, j) => {
      const pp = hp.index(j);
      const pt = pth.pathType;
      if (typeof pt !== "string")
        errs.push(required(pp.child("pathType"), "pathType must be specified"));
      else if (!PATH_TYPES.includes(pt))
        errs.push(notSupported(pp.child("pathType"), pt, PATH_TYPES));
      const p = str(pth.path);
      if ((pt === "Exact" || pt === "Prefix") && !p.startsWith("/")) {
        errs.push(invalid(pp.child("path"), p, "must be an absolute path"));
      }
      if (pt === "ImplementationSpecific" && p.length > 0 && !p.startsWith("/")) {
        errs.push(invalid(pp.child("path"), p, "must be an absolute path"));
      }
      errs.push(...validateBackend(obj(pth.backend), pp.child("backend")));
    });
  });
  objList(s.tls).forEach((t, i) => {
    strList(t.hosts).forEach((h, j) => {
      const msgs = h.includes("*") ? isWildcardDNS1123Subdomain(h) : isDNS1123Subdomain(h);
      for (const m of msgs)
        errs.push(invalid(sp.child("tls").index(i).child("hosts").index(j), h, m));
    });
  });
  if (typeof s.ingressClassName === "string") {
    for (const m of isDNS1123Subdomain(s.ingressClassName))
      errs.push(invalid(sp.child("ingressClassName"), s.ingressClassName, m));
  }
  return errs;
}

export function validateIngressClass(ic: KubeObject): FieldError[] {
  const s = obj(ic.spec);
  const controller = str(s.controller);
  const p = path("spec", "controller");
  if (controller.length === 0) return [required(p)];
  if (controller.length > 250)
    return [invalid(p, controller, "must be no more than 250 characters")];
  const parts = controller.split("/");
  if (parts.length < 2 || (parts[0] ?? "") === "" || parts.slice(1).join("/") === "") {
    return [invalid(p, controller, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  return isDNS1123Subdomain(parts[0] as string).map((m) => invalid(p, parts[0], m));
}

export function validateIngressClassUpdate(ic: KubeObject, old: KubeObject): FieldError[] {
  return [
    ...validateImmutable(
      obj(ic.spec).controller,
      obj(old.spec).controller,
      path("spec", "controller"),
    ),
  ];
}

function validatePeerPorts(ports: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objList(ports).forEach((port, i) => {
    const pp = p.index(i);
    const proto = str(port.protocol);
    if (
      typeof port.protocol === "string" &&
      !(PORT_PROTOCOLS as readonly string[]).includes(proto)
    ) {
      errs.push(notSupported(pp.child("protocol"), proto, PORT_PROTOCOLS));
    }
    if (typeof port.port === "number") {
      for (const m of isValidPortNum(port.port)) errs.push(invalid(pp.child("port"), port.port, m));
      const end = num(port.endPort);
      if (end !== undefined && end < port.port)
        errs.push(invalid(pp.child("endPort"), end, "must be greater than or equal to `port`"));
    } else if (typeof port.port === "string") {
      for (const m of isValidPortName(port.port))
        errs.push(invalid(pp.child("port"), port.port, m));
      if (port.endPort !== undefined)
        errs.push(
          invalid(
            pp.child("endPort"),
            port.endPort,
            "may not be specified when `port` is non-numeric",
          ),
        );
    }
  });
  return errs;
}

function validatePeers(peers: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  objList(peers).forEach((peer, i) => {
    const pp = p.index(i);
    let n = 0;
    if (isObj(peer.podSelector)) {
      n++;
      errs.push(...validateLabelSelector(peer.podSelector, pp.child("podSelector")));
    }
    if (isObj(peer.namespaceSelector)) {
      n++;
      errs.push(...validateLabelSelector(peer.namespaceSelector, pp.child("namespaceSelector")));
    }
    if (isObj(peer.ipBlock)) {
      n++;
      const cidr = str(peer.ipBlock.cidr);
      const bp = pp.child("ipBlock");
      if (cidr.length === 0) errs.push(required(bp.child("cidr")));
      else if (cidrFamilyOf(cidr) === undefined)
        errs.push(invalid(bp.child("cidr"), cidr, CIDR_ERROR));
      strList(peer.ipBlock.except).forEach((e, j) => {
        if (cidrFamilyOf(e) === undefined)
          errs.push(invalid(bp.child("except").index(j), e, CIDR_ERROR));
      });
    }
    if (n === 0) errs.push(required(pp, "must specify a peer"));
    else if (n > 1 && isObj(peer.ipBlock))
      errs.push(invalid(pp, "", "may not specify both ipBlock and another peer"));
  });
  return errs;
}

export function validateNetworkPolicy(np: KubeObject): FieldError[] {
  const s = obj(np.spec);
  const sp = path("spec");
  const errs = validateLabelSelector(s.podSelector, sp.child("podSelector"));
  objList(s.ingress).forEach((r, i) => {
    const rp = sp.child("ingress").index(i);
    errs.push(...validatePeerPorts(r.ports, rp.child("ports")));
    errs.push(...validatePeers(r.from, rp.child("from")));
  });
  objList(s.egress).forEach((r, i) => {
    const rp = sp.child("egress").index(i);
    errs.push(...validatePeerPorts(r.ports, rp.child("ports")));
    errs.push(...validatePeers(r.to, rp.child("to")));
  });
  const types = strList(s.policyTypes);
  types.forEach((t, i) => {
    if (t !== "Ingress" && t !== "Egress")
      errs.push(notSupported(sp.child("policyTypes").index(i), t, ["Egress", "Ingress"]));
  });
  if (types.length > 2)
    errs.push(invalid(sp.child("policyTypes"), types, "may not specify more than two policyTypes"));
  return errs;
}
