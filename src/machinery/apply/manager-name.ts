/**
 * The field manager of a request: the fieldManager query parameter, else
 * the user agent's first "/"-separated part (kubectl sends
 * "kubectl/v1.32.0 (linux/amd64) kubernetes/abc1234", so "kubectl";
 * kubectl's client-side apply and edit set their own agent-derived names
 * such as "kubectl-client-side-apply" and "kubectl-edit").
 */

/** Upstream's limit on a field manager name, in UTF-8 bytes. */
export const FIELD_MANAGER_MAX_LENGTH = 128;

/** The manager name for a request; "" when neither is given (recorded as "unknown"). */
export function fieldManagerFor(request: {
  fieldManager?: string | undefined;
  userAgent?: string | undefined;
}): string {
  if (request.fieldManager !== undefined && request.fieldManager !== "")
    return request.fieldManager;
  return prefixFromUserAgent(request.userAgent ?? "");
}

/** The user agent before its first "/", unprintable characters dropped, cut to 128 bytes. */
export function prefixFromUserAgent(userAgent: string): string {
  const head = userAgent.split("/")[0] ?? "";
  let out = "";
  let bytes = 0;
  for (const ch of head) {
    if (!isPrintable(ch)) continue;
    const size = Buffer.byteLength(ch, "utf8");
    if (bytes + size > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
    bytes += size;
  }
  return out;
}

/**
 * Why a fieldManager query parameter is invalid (upstream's 422 details),
 * empty when it is fine: at most 128 bytes, printable characters only.
 */
export function fieldManagerProblems(fieldManager: string): string[] {
  const problems: string[] = [];
  if (Buffer.byteLength(fieldManager, "utf8") > FIELD_MANAGER_MAX_LENGTH) {
    problems.push(`fieldManager: Too long: may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes`);
  }
  let pos = 0;
  for (const ch of fieldManager) {
    if (!isPrintable(ch)) {
      const cp = ch.codePointAt(0) ?? 0;
      problems.push(
        `fieldManager: Invalid value: ${JSON.stringify(fieldManager)}: invalid character U+${cp.toString(16).toUpperCase().padStart(4, "0")} (at position ${pos})`,
      );
    }
    pos += Buffer.byteLength(ch, "utf8");
  }
  return problems;
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isPrintable(ch: string): boolean {
  return ch === " " || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}
