import type { Secret, Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { HTTPIngressPath, Ingress, IngressRule } from "kubernetes-types/networking/v1.js";
import { indexServices, type ServiceIndex } from "../../src/ingress/backends.js";

/** `svc:port` (number or name) as an Ingress backend. */
export function backend(ref: string) {
  const [name = "", port = "80"] = ref.split(":");
  const n = Number(port);
  return { service: { name, port: Number.isNaN(n) ? { name: port } : { number: n } } };
}

/** `"Prefix /foo -> svc:80"` as an Ingress path. */
export function path(spec: string): HTTPIngressPath {
  const m = /^(\w+) (\S*) -> (\S+)$/.exec(spec);
  if (!m) throw new Error(`bad path spec ${spec}`);
  return {
    pathType: m[1] as string,
    path: m[2] as string,
    backend: backend(m[3] as string),
  };
}

export function rule(host: string | undefined, paths: string[]): IngressRule {
  return { ...(host ? { host } : {}), http: { paths: paths.map(path) } };
}

export function ingress(
  name: string,
  spec: {
    rules?: IngressRule[];
    defaultBackend?: string;
    className?: string;
    created?: string;
    namespace?: string;
    annotations?: Record<string, string>;
    tls?: { hosts?: string[]; secretName: string }[];
  },
): Ingress {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      name,
      namespace: spec.namespace ?? "default",
      creationTimestamp: spec.created ?? "2024-01-01T00:00:00Z",
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
    },
    spec: {
      ...(spec.rules ? { rules: spec.rules } : {}),
      ...(spec.defaultBackend ? { defaultBackend: backend(spec.defaultBackend) } : {}),
      ...(spec.className ? { ingressClassName: spec.className } : {}),
      ...(spec.tls ? { tls: spec.tls } : {}),
    },
  };
}

export function service(
  name: string,
  ports: { name?: string; port: number }[],
  opts: { namespace?: string } = {},
): Service {
  return {
    metadata: { name, namespace: opts.namespace ?? "default" },
    spec: { ports: ports.map((p) => ({ ...p, protocol: "TCP" })) },
  };
}

export function slice(
  svc: string,
  spec: {
    ports: { name?: string; port: number }[];
    ready?: string[];
    notReady?: string[];
    namespace?: string;
    suffix?: string;
  },
): EndpointSlice {
  return {
    metadata: {
      name: `${svc}-${spec.suffix ?? "a"}`,
      namespace: spec.namespace ?? "default",
      labels: { "kubernetes.io/service-name": svc },
    },
    addressType: "IPv4",
    ports: spec.ports.map((p) => ({ name: p.name ?? "", port: p.port, protocol: "TCP" })),
    endpoints: [
      ...(spec.ready ?? []).map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
      ...(spec.notReady ?? []).map((ip) => ({ addresses: [ip], conditions: { ready: false } })),
    ],
  };
}

/** Every named service with one port 80 and one ready endpoint, so routes resolve. */
export function servicesFor(names: string[]): ServiceIndex {
  return indexServices(
    names.map((n) => service(n, [{ port: 80 }])),
    names.map((n, i) => slice(n, { ports: [{ port: 8080 }], ready: [`10.0.0.${i + 1}`] })),
  );
}

export function tlsSecret(name: string, pem: { cert: string; key: string }, rv = "1"): Secret {
  return {
    metadata: { name, namespace: "default", resourceVersion: rv },
    type: "kubernetes.io/tls",
    data: {
      "tls.crt": Buffer.from(pem.cert).toString("base64"),
      "tls.key": Buffer.from(pem.key).toString("base64"),
    },
  };
}
