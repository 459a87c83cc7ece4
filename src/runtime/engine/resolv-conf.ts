import type { DNSConfig } from "../cri.js";

/** resolv.conf for a pod from the CRI DNS config; empty when the pod has none. */
export function resolvConf(dns: DNSConfig | undefined): string {
  const lines: string[] = [];
  for (const server of dns?.servers ?? []) lines.push(`nameserver ${server}`);
  if ((dns?.searches ?? []).length > 0) lines.push(`search ${dns?.searches?.join(" ")}`);
  if ((dns?.options ?? []).length > 0) lines.push(`options ${dns?.options?.join(" ")}`);
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
