/** The address written into Ingress status when none is given. */
import { networkInterfaces } from "node:os";

/**
 * A specific bind address is where clients reach the controller;
 * listening on every address, the host's first non-loopback IPv4
 * address is (loopback when it has none).
 */
export function defaultPublishIp(bindAddress: string): string {
  if (bindAddress !== "0.0.0.0" && bindAddress !== "::" && bindAddress !== "") return bindAddress;
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  return "127.0.0.1";
}
