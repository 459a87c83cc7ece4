import type { ServerResponse } from "node:http";
import { stringify as toYaml } from "yaml";
import type { ApiError } from "../status.js";

export interface ResponseOptions {
  readonly contentType?: string;
  readonly yaml?: boolean;
  readonly warnings?: readonly string[];
}

function warningHeader(warnings: readonly string[]): string[] {
  // RFC 7234 warning: code 299, agent "-", quoted text.
  return warnings.map((w) => `299 - "${w.replace(/["\\]/g, "\\$&")}"`);
}

export function writeObject(
  res: ServerResponse,
  code: number,
  body: unknown,
  opts: ResponseOptions = {},
): void {
  if (res.headersSent) return;
  const text = opts.yaml ? toYaml(body) : JSON.stringify(body);
  res.statusCode = code;
  res.setHeader(
    "Content-Type",
    opts.yaml ? "application/yaml" : (opts.contentType ?? "application/json"),
  );
  res.setHeader("Cache-Control", "no-cache, private");
  if (opts.warnings && opts.warnings.length > 0)
    res.setHeader("Warning", warningHeader(opts.warnings));
  res.end(text);
}

export function writeStatus(res: ServerResponse, err: ApiError): void {
  writeObject(res, err.code, err.status);
}

export function writeText(res: ServerResponse, code: number, text: string): void {
  if (res.headersSent) return;
  res.statusCode = code;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.end(text);
}
