/**
 * A tiny escaping template: `html\`<td>${value}</td>\`` escapes every
 * interpolated value unless it is already SafeHtml (the result of another
 * `html` template, or `raw` for trusted constants). Arrays are joined, null,
 * undefined and false render as nothing. Nothing from the API reaches a page
 * except through here.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

/** Marks a trusted constant as HTML; never pass it data from the API. */
export function raw(value: string): SafeHtml {
  return new SafeHtml(value);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === undefined || value === null || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  if (typeof value === "object") return escapeHtml(JSON.stringify(value));
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out);
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;display:flex;color:#222;font-size:14px}
nav{width:230px;background:#f4f5f7;padding:12px;height:100vh;overflow:auto;position:sticky;top:0;flex:none}
nav h3{font-size:12px;margin:12px 0 4px;color:#666;text-transform:uppercase}
nav a{display:block;padding:1px 0;text-decoration:none;color:#245}
main{padding:16px 24px;flex:1;min-width:0}
table{border-collapse:collapse;margin:8px 0}
th,td{text-align:left;padding:3px 10px;border-bottom:1px solid #e3e3e3;vertical-align:top}
th{background:#fafafa}
pre{background:#f7f7f7;padding:8px;overflow:auto;max-height:480px}
.err{color:#a00}.warn{color:#a60}
`;

export interface Layout {
  readonly title: string;
  readonly nav?: SafeHtml;
  readonly body: SafeHtml;
  /** Prefix of every dashboard link ("" or e.g. "/dashboard"). */
  readonly base: string;
}

/** A whole page: title, sidebar, content. */
export function page(l: Layout): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${l.title} · k8ts dashboard</title>
<style>${raw(STYLE)}</style></head>
<body><nav><a href="${l.base}/"><b>k8ts dashboard</b></a>${l.nav ?? ""}</nav>
<main><h1>${l.title}</h1>${l.body}</main></body></html>
`.value;
}
