/**
 * A pod's hostname and domain (upstream GeneratePodHostNameAndDomain):
 * spec.hostname or else the pod name, cut to 63 characters with trailing
 * '-' and '.' trimmed; with spec.subdomain the domain is
 * `<subdomain>.<namespace>.svc.<clusterDomain>`.
 */
import type { Pod } from "kubernetes-types/core/v1.js";
import { isDNS1123Label } from "../../api/validation/names.js";

/** A hostname longer than this is truncated (64 bytes with the terminating NUL). */
export const HOSTNAME_MAX_LENGTH = 63;

/** The pod's hostname or subdomain is unusable; the sandbox cannot be created. */
export class PodHostnameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** `hostname` cut to 63 characters, without trailing '-' or '.'. */
export function truncateHostname(podName: string, hostname: string): string {
  if (hostname.length <= HOSTNAME_MAX_LENGTH) return hostname;
  const truncated = hostname.slice(0, HOSTNAME_MAX_LENGTH).replace(/[-.]+$/, "");
  if (truncated === "") {
    throw new PodHostnameError(
      `hostname for pod ${JSON.stringify(podName)} was invalid: ${JSON.stringify(hostname)}`,
    );
  }
  return truncated;
}

/** The pod's short hostname and, with a subdomain, its domain. */
export function podHostname(
  pod: Pod,
  clusterDomain: string,
): { hostname: string; domain?: string } {
  const podName = pod.metadata?.name ?? "";
  let hostname = podName;
  const specHostname = pod.spec?.hostname ?? "";
  if (specHostname !== "") {
    const errs = isDNS1123Label(specHostname);
    if (errs.length > 0) {
      throw new PodHostnameError(
        `pod Hostname ${JSON.stringify(specHostname)} is not a valid DNS label: ${errs.join(";")}`,
      );
    }
    hostname = specHostname;
  }
  hostname = truncateHostname(podName, hostname);

  const subdomain = pod.spec?.subdomain ?? "";
  if (subdomain === "") return { hostname };
  const errs = isDNS1123Label(subdomain);
  if (errs.length > 0) {
    throw new PodHostnameError(
      `pod Subdomain ${JSON.stringify(subdomain)} is not a valid DNS label: ${errs.join(";")}`,
    );
  }
  const namespace = pod.metadata?.namespace ?? "";
  return { hostname, domain: `${subdomain}.${namespace}.svc.${clusterDomain}` };
}
