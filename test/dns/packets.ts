import type { Packet } from "dns-packet";

/** The data of a reply's first answer, as a string (A, CNAME, PTR...), or undefined. */
export function firstData(p: Packet): string | undefined {
  const a = p.answers?.[0] as { data?: unknown } | undefined;
  return typeof a?.data === "string" ? a.data : undefined;
}
