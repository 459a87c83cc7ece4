import { createHash } from "node:crypto";

/**
 * The content hash of an OpenAPI document, as the /openapi/v3 root carries it
 * in `serverRelativeURL` (`?hash=<HEX>`) and the server sends it as ETag:
 * upper-case hex SHA-512 of the JSON text. Deterministic for equal documents
 * because the builders emit keys in a fixed order.
 */
export function openAPIHash(doc: unknown): string {
  return createHash("sha512").update(JSON.stringify(doc)).digest("hex").toUpperCase();
}
