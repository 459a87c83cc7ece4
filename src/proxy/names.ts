/**
 * iptables chain names, as kube-proxy spells them. Per-service chains carry
 * a hash of the service port's name and protocol so that the name fits
 * iptables' 28-character limit and stays the same across restarts and
 * across kube-proxy implementations (a node switching between upstream's
 * kube-proxy and ours finds, and cleans up, the same chains).
 */
import { createHash } from "node:crypto";

/** Top-level chains (both nat and filter use some of these names). */
export const KUBE_SERVICES = "KUBE-SERVICES";
export const KUBE_EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES";
export const KUBE_NODEPORTS = "KUBE-NODEPORTS";
export const KUBE_POSTROUTING = "KUBE-POSTROUTING";
export const KUBE_MARK_MASQ = "KUBE-MARK-MASQ";
export const KUBE_FORWARD = "KUBE-FORWARD";
export const KUBE_PROXY_FIREWALL = "KUBE-PROXY-FIREWALL";
/** The kubelet's anti-martian chain; kube-proxy writes a copy of its one rule. */
export const KUBE_FIREWALL = "KUBE-FIREWALL";

export const SVC_PREFIX = "KUBE-SVC-";
export const SVL_PREFIX = "KUBE-SVL-";
export const EXT_PREFIX = "KUBE-EXT-";
export const FW_PREFIX = "KUBE-FW-";
export const SEP_PREFIX = "KUBE-SEP-";

const SERVICE_CHAIN_PREFIXES = [SVC_PREFIX, SVL_PREFIX, EXT_PREFIX, FW_PREFIX, SEP_PREFIX];

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 (standard alphabet), without padding: only a prefix is ever used. */
export function base32(bytes: Uint8Array): string {
  let out = "";
  let value = 0;
  let bits = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function hash16(text: string): string {
  return base32(createHash("sha256").update(text).digest()).slice(0, 16);
}

/**
 * `ns/name:port` (or `ns/name` for an unnamed port), upstream's
 * ServicePortName string: it is both the hash input and the rule comment.
 */
export function servicePortName(svc: { namespace: string; name: string }, port: string): string {
  return port ? `${svc.namespace}/${svc.name}:${port}` : `${svc.namespace}/${svc.name}`;
}

/** The 16 characters that name a service port's chains; protocol is lower-case ("tcp"). */
export function portProtoHash(portName: string, protocol: string): string {
  return hash16(portName + protocol);
}

/** Names of the chains one service port may use. */
export interface ServiceChains {
  /** KUBE-SVC-: every usable endpoint (Cluster traffic policy). */
  readonly cluster: string;
  /** KUBE-SVL-: this node's endpoints (Local traffic policy). */
  readonly local: string;
  /** KUBE-EXT-: traffic to NodePorts, external IPs and load-balancer IPs. */
  readonly external: string;
  /** KUBE-FW-: loadBalancerSourceRanges. */
  readonly firewall: string;
}

export function serviceChains(portName: string, protocol: string): ServiceChains {
  const h = portProtoHash(portName, protocol);
  return {
    cluster: SVC_PREFIX + h,
    local: SVL_PREFIX + h,
    external: EXT_PREFIX + h,
    firewall: FW_PREFIX + h,
  };
}

/** KUBE-SEP- chain of one endpoint (`ip:port`) of a service port. */
export function endpointChain(port: { name: string; protocol: string }, endpoint: string): string {
  return SEP_PREFIX + hash16(port.name + port.protocol + endpoint);
}

/** Whether a chain is a per-service chain this proxy writes (and may delete when stale). */
export function isServiceChain(chain: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p));
}
