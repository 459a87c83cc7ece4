/**
 * List continuation tokens in upstream's format: base64 of
 * {"v":"meta.k8s.io/v1","rv":<revision>,"start":"<next key relative to the prefix>"}.
 */
import { badRequest } from "../status.js";

export interface ContinueToken {
  readonly revision: number;
  /** The next key to read, relative to the list's key prefix. */
  readonly start: string;
}

export function encodeContinue(token: ContinueToken): string {
  const json = JSON.stringify({ v: "meta.k8s.io/v1", rv: token.revision, start: token.start });
  return Buffer.from(json).toString("base64url");
}

export function decodeContinue(text: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw badRequest("continue key is not valid: illegal base64 data or JSON");
  }
  const t = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (t.v !== "meta.k8s.io/v1")
    throw badRequest(
      "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
    );
  if (typeof t.rv !== "number" || t.rv <= 0 || typeof t.start !== "string") {
    throw badRequest(
      "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
    );
  }
  if (t.start.includes("..") || t.start.startsWith("/")) {
    throw badRequest("continue key is not valid: key must be relative to the list prefix");
  }
  return { revision: t.rv, start: t.start };
}
