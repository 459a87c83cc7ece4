/** Ports of probe and hook actions: a number, a numeric string, or a container port name. */
import type { Container } from "kubernetes-types/core/v1.js";

/**
 * The port an action's `port` names, as upstream's ResolveContainerPort: a
 * number is used as is; a string is first looked up among the container's
 * named ports, then read as a number. Resolves to an error message when the
 * name is unknown or the number is outside 1..65535.
 */
export function resolveContainerPort(
  port: number | string,
  container: Container,
): { port: number } | { error: string } {
  let value: number;
  if (typeof port === "number") {
    value = port;
  } else {
    const named = container.ports?.find((p) => p.name === port);
    if (named !== undefined) {
      value = named.containerPort;
    } else if (/^[+-]?\d+$/.test(port)) {
      value = Number(port);
    } else {
      return { error: `port ${port} not found` };
    }
  }
  if (Number.isInteger(value) && value > 0 && value < 65536) return { port: value };
  return { error: `invalid port number: ${value}` };
}

/** `host:port`, with an IPv6 host in brackets (Go's net.JoinHostPort). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
