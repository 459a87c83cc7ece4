/** httpGet actions: building the request as upstream does, and the probe verdict. */
import type { Container, HTTPGetAction } from "kubernetes-types/core/v1.js";
import type { ActionResult } from "./action-result.js";
import type { ActionOptions } from "./exec-action.js";
import { type HttpHeaders, httpGet } from "./http-request.js";
import { joinHostPort, resolveContainerPort } from "./port.js";
import { userAgent } from "./user-agent.js";

export interface HttpTarget {
  /** The pod's IP, the host when the action names none. */
  podIP: string;
  container: Container;
}

export interface HttpRequestSpec {
  url: URL;
  headers: HttpHeaders;
}

/**
 * The URL and headers for an httpGet action (upstream's
 * NewRequestForHTTPGetAction): scheme lower-cased (default http), host
 * default the pod IP, port by number or container port name, the path with
 * any query as written; the action's headers, plus `User-Agent:
 * kube-<purpose>/<major>.<minor>` and `Accept: *\/*` unless given (an empty
 * Accept removes it); a Host header becomes the request's host.
 */
export function httpRequestFor(
  action: HTTPGetAction,
  target: { podIP: string | undefined; container: Container },
  purpose: "probe" | "lifecycle",
): HttpRequestSpec | { error: string } {
  const scheme = (action.scheme ?? "").toLowerCase() || "http";
  const host = action.host || target.podIP;
  if (!host) return { error: "failed to find networking container: the pod has no IP" };
  const port = resolveContainerPort(action.port, target.container);
  if ("error" in port) return port;
  let path = action.path ?? "";
  if (path !== "" && !path.startsWith("/")) path = `/${path}`;
  let url: URL;
  try {
    url = new URL(`${scheme}://${joinHostPort(host, port.port)}${path}`);
  } catch {
    return { error: `invalid URL for host ${host}, port ${port.port} and path ${path}` };
  }
  return { url, headers: requestHeaders(action, purpose) };
}

function requestHeaders(action: HTTPGetAction, purpose: "probe" | "lifecycle"): HttpHeaders {
  // Header names are case-insensitive; keep the first spelling, every value in order.
  const byName = new Map<string, { name: string; values: string[] }>();
  for (const { name, value } of action.httpHeaders ?? []) {
    const key = name.toLowerCase();
    const entry = byName.get(key);
    if (entry === undefined) byName.set(key, { name, values: [value] });
    else entry.values.push(value);
  }
  if (!byName.has("user-agent")) {
    byName.set("user-agent", { name: "User-Agent", values: [userAgent(purpose)] });
  }
  const accept = byName.get("accept");
  if (accept === undefined) byName.set("accept", { name: "Accept", values: ["*/*"] });
  else if (accept.values[0] === "") byName.delete("accept");
  const host = byName.get("host");
  if (host !== undefined) {
    // Go sends req.Host (the first Host value), never the header entries themselves.
    if (host.values[0]) host.values = [host.values[0]];
    else byName.delete("host");
  }
  const headers: HttpHeaders = {};
  for (const { name, values } of byName.values()) {
    headers[name] = values.length === 1 ? (values[0] as string) : values;
  }
  return headers;
}

/**
 * An httpGet action with probe semantics (upstream's DoHTTPProbe): a status
 * in 200..299 is success with the body as output; 300..399 (a redirect to
 * another host, or one that is not followed) is success with a warning; any
 * other status a failure `HTTP probe failed with statuscode: <code>`; a
 * connection error or timeout a failure with the error as output. An action
 * that cannot be built (unknown port name) is an errored action.
 */
export async function runHttpGetAction(
  action: HTTPGetAction,
  target: HttpTarget,
  timeoutSeconds: number,
  options: ActionOptions = {},
): Promise<ActionResult> {
  const spec = httpRequestFor(action, target, "probe");
  if ("error" in spec) return { ok: false, output: "", error: spec.error };
  const outcome = await httpGet(spec.url, {
    headers: spec.headers,
    timeoutMs: timeoutSeconds * 1000,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  if (outcome.kind === "error") {
    return outcome.message.includes("Client.Timeout")
      ? { ok: false, output: outcome.message, timedOut: true }
      : { ok: false, output: outcome.message };
  }
  const { status, body } = outcome;
  if (status >= 200 && status < 300) return { ok: true, output: body };
  if (status >= 300 && status < 400) {
    return {
      ok: true,
      warning: true,
      output: `Probe terminated redirects, Response body: ${body}`,
    };
  }
  return { ok: false, output: `HTTP probe failed with statuscode: ${status}` };
}
