import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface InitFiles {
  readonly hostname: string;
  /** /etc/hosts content (default: localhost entries and the hostname). */
  readonly hosts?: string;
  /** /etc/resolv.conf content (default: empty, the host's DNS is not leaked in). */
  readonly resolvConf?: string;
}

/** /etc/hosts as the kubelet writes it for a pod without hostAliases. */
export function defaultHosts(hostname: string, ip?: string): string {
  const lines = [
    "# Kubernetes-managed hosts file.",
    "127.0.0.1\tlocalhost",
    "::1\tlocalhost ip6-localhost ip6-loopback",
    "fe00::0\tip6-localnet",
    "fe00::0\tip6-mcastprefix",
    "fe00::1\tip6-allnodes",
    "fe00::2\tip6-allrouters",
  ];
  if (ip) lines.push(`${ip}\t${hostname}`);
  return `${lines.join("\n")}\n`;
}

/** The files of the init layer, relative to the root: what `commit` leaves out. */
export const INIT_LAYER_FILES = ["etc/hostname", "etc/hosts", "etc/resolv.conf"] as const;

/**
 * The init layer the notes describe (Docker's "-init" layer): a read-only
 * layer between the image and the container's writable layer holding
 * /etc/hostname, /etc/hosts and /etc/resolv.conf, so these belong to the
 * container, not the image, and `commit` never captures them.
 */
export function writeInitLayer(dir: string, files: InitFiles): void {
  mkdirSync(join(dir, "etc"), { recursive: true });
  writeFileSync(join(dir, "etc", "hostname"), `${files.hostname}\n`);
  writeFileSync(join(dir, "etc", "hosts"), files.hosts ?? defaultHosts(files.hostname));
  writeFileSync(join(dir, "etc", "resolv.conf"), files.resolvConf ?? "");
}
