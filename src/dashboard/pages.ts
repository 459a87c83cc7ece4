/** The dashboard's pages: data from the API in, escaped HTML out. */
import { stringify } from "yaml";
import { StatusError } from "../client/rest/errors.js";
import type { ApiTable, DashboardApi, DiscoveredResource } from "./api.js";
import { html, page, type SafeHtml } from "./html.js";
import { apiPath, resourceHref } from "./routes.js";

export interface Rendered {
  readonly status: number;
  readonly body: string;
  /** Content type (default HTML). */
  readonly type?: string;
}

interface Meta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
}

interface Condition {
  type?: string;
  status?: string;
}

interface EventLike {
  metadata?: Meta;
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
}

const LOG_TAIL_LINES = 200;
const RECENT_WARNINGS = 20;

/** The sidebar: every listable resource from discovery, grouped. */
export function sidebar(base: string, resources: readonly DiscoveredResource[]): SafeHtml {
  const groups = new Map<string, DiscoveredResource[]>();
  for (const r of resources) {
    const key = r.group === "" ? "core" : r.group;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return html`${[...groups].map(
    ([g, rs]) =>
      html`<h3>${g}</h3>${[...rs]
        .sort((a, b) => a.plural.localeCompare(b.plural))
        .map((r) => html`<a href="${resourceHref(base, r)}">${r.plural}</a>`)}`,
  )}`;
}

/** A failure from the API (or anything else) as a page with the matching HTTP status. */
export function errorPage(base: string, err: unknown, nav?: SafeHtml): Rendered {
  const status = err instanceof StatusError ? err.code : 502;
  const reason = err instanceof StatusError ? err.reason : "";
  const message = err instanceof Error ? err.message : String(err);
  return {
    status: status >= 400 && status < 600 ? status : 502,
    body: page({
      base,
      title: `Error ${status}${reason ? ` ${reason}` : ""}`,
      ...(nav ? { nav } : {}),
      body: html`<p class="err">${message}</p>`,
    }),
  };
}

export function notFoundPage(base: string, message: string, status = 404): Rendered {
  return {
    status,
    body: page({
      base,
      title: status === 405 ? "Method not allowed" : "Not found",
      body: html`<p class="err">${message}</p>`,
    }),
  };
}

function eventTime(e: EventLike): string {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? "";
}

function eventsTable(events: readonly EventLike[], withObject: boolean): SafeHtml {
  if (events.length === 0) return html`<p>No events.</p>`;
  const sorted = [...events].sort((a, b) => eventTime(b).localeCompare(eventTime(a)));
  return html`<table><tr><th>LAST SEEN</th><th>TYPE</th><th>REASON</th>${withObject ? html`<th>OBJECT</th>` : ""}<th>COUNT</th><th>MESSAGE</th></tr>
${sorted.map(
  (e) =>
    html`<tr><td>${eventTime(e)}</td><td class="${e.type === "Warning" ? "warn" : ""}">${e.type}</td><td>${e.reason}</td>${
      withObject
        ? html`<td>${e.involvedObject?.namespace ? `${e.involvedObject.namespace}/` : ""}${e.involvedObject?.kind}/${e.involvedObject?.name}</td>`
        : ""
    }<td>${e.count ?? 1}</td><td>${e.message}</td></tr>`,
)}</table>`;
}

export async function overviewPage(
  api: DashboardApi,
  base: string,
  nav: SafeHtml,
): Promise<Rendered> {
  const [version, nodes, pods, events] = await Promise.all([
    api.get<{ gitVersion?: string; platform?: string }>("/version"),
    api.get<{ items: Array<{ metadata?: Meta; status?: { conditions?: Condition[] } }> }>(
      "/api/v1/nodes",
    ),
    api.get<{ items: Array<{ metadata?: Meta; status?: { phase?: string } }> }>("/api/v1/pods"),
    api.get<{ items: EventLike[] }>("/api/v1/events", { fieldSelector: "type=Warning" }),
  ]);
  const phases = ["Pending", "Running", "Succeeded", "Failed", "Unknown"];
  const counts = new Map<string, Map<string, number>>();
  for (const p of pods.items) {
    const ns = p.metadata?.namespace ?? "";
    const phase = p.status?.phase ?? "Pending";
    const row = counts.get(ns) ?? new Map<string, number>();
    row.set(phase, (row.get(phase) ?? 0) + 1);
    counts.set(ns, row);
  }
  const nodeRef = { group: "", version: "v1", plural: "nodes" };
  const podRef = { group: "", version: "v1", plural: "pods" };
  const warnings = events.items
    .sort((a, b) => eventTime(b).localeCompare(eventTime(a)))
    .slice(0, RECENT_WARNINGS);
  const body = html`<p>Kubernetes ${version.gitVersion ?? "unknown"} ${version.platform ? `(${version.platform})` : ""}</p>
<h2>Nodes</h2>
${
  nodes.items.length === 0
    ? html`<p>No nodes.</p>`
    : html`<table><tr><th>NAME</th><th>STATUS</th></tr>${nodes.items.map((n) => {
        const ready = n.status?.conditions?.find((c) => c.type === "Ready")?.status;
        const status = ready === "True" ? "Ready" : ready === "False" ? "NotReady" : "Unknown";
        const name = n.metadata?.name ?? "";
        return html`<tr><td><a href="${resourceHref(base, nodeRef, { name })}">${name}</a></td><td class="${status === "Ready" ? "" : "warn"}">${status}</td></tr>`;
      })}</table>`
}
<h2>Pods by phase</h2>
${
  counts.size === 0
    ? html`<p>No pods.</p>`
    : html`<table><tr><th>NAMESPACE</th>${phases.map((p) => html`<th>${p}</th>`)}</tr>${[...counts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(
          ([ns, row]) =>
            html`<tr><td><a href="${resourceHref(base, podRef, { namespace: ns })}">${ns}</a></td>${phases.map((p) => html`<td>${row.get(p) ?? 0}</td>`)}</tr>`,
        )}</table>`
}
<h2>Recent warning events</h2>
${eventsTable(warnings, true)}`;
  return { status: 200, body: page({ base, title: "Overview", nav, body }) };
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "<none>";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

export async function listPage(
  api: DashboardApi,
  base: string,
  nav: SafeHtml,
  r: DiscoveredResource,
  namespace: string | undefined,
): Promise<Rendered> {
  const table: ApiTable = await api.table(r, namespace);
  // kubectl get prints priority-0 columns, upper-cased, and NAMESPACE first across all namespaces.
  const cols = (table.columnDefinitions ?? [])
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => (c.priority ?? 0) === 0);
  const allNamespaces = r.namespaced && !namespace;
  const headers = [
    ...(allNamespaces ? ["NAMESPACE"] : []),
    ...cols.map(({ c }) => c.name.toUpperCase()),
  ];
  const rows = table.rows ?? [];
  const filter = r.namespaced
    ? html`<form method="get"><label>Namespace <input name="namespace" value="${namespace ?? ""}" placeholder="all"></label> <button>Filter</button></form>`
    : "";
  const body = html`<p>${r.kind} (${r.group === "" ? "core" : r.group}/${r.version})</p>${filter}
${
  rows.length === 0
    ? html`<p>No resources found${namespace ? html` in namespace ${namespace}` : ""}.</p>`
    : html`<table><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr>
${rows.map((row) => {
  const name = row.object?.metadata?.name;
  const ns = row.object?.metadata?.namespace;
  const href = name !== undefined ? resourceHref(base, r, { name, namespace: ns }) : undefined;
  const cells = cols.map(({ i }, k) => {
    const text = cellText(row.cells?.[i]);
    return k === 0 && href ? html`<td><a href="${href}">${text}</a></td>` : html`<td>${text}</td>`;
  });
  return html`<tr>${allNamespaces ? html`<td>${ns ?? ""}</td>` : ""}${cells}</tr>`;
})}</table>`
}`;
  return { status: 200, body: page({ base, title: r.plural, nav, body }) };
}

/** apiVersion and kind first, managedFields left out (as `kubectl get -o yaml` shows it). */
export function forDisplay(obj: Record<string, unknown>): Record<string, unknown> {
  const { apiVersion, kind, metadata, ...rest } = obj;
  const meta =
    metadata && typeof metadata === "object"
      ? Object.fromEntries(Object.entries(metadata).filter(([k]) => k !== "managedFields"))
      : metadata;
  return { apiVersion, kind, ...(meta === undefined ? {} : { metadata: meta }), ...rest };
}

export async function objectPage(
  api: DashboardApi,
  base: string,
  nav: SafeHtml,
  r: DiscoveredResource,
  name: string,
  namespace: string | undefined,
): Promise<Rendered> {
  const ns = r.namespaced ? (namespace ?? api.rest.config.namespace) : undefined;
  const obj = await api.get<{
    [k: string]: unknown;
    metadata?: Meta & { managedFields?: unknown };
    spec?: { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }> };
  }>(apiPath(r, { namespace: ns, name }));
  const uid = obj.metadata?.uid;
  const events = uid
    ? await api
        .get<{ items: EventLike[] }>(
          apiPath({ group: "", version: "v1", plural: "events" }, { namespace: ns }),
          {
            fieldSelector: `involvedObject.uid=${uid}`,
          },
        )
        .then((l) => html`${eventsTable(l.items, false)}`)
        .catch(
          (err: unknown) =>
            html`<p class="err">events: ${err instanceof Error ? err.message : String(err)}</p>`,
        )
    : html`<p>No events.</p>`;
  let logs: SafeHtml | string = "";
  if (r.group === "" && r.plural === "pods" && ns) {
    const containers = [...(obj.spec?.initContainers ?? []), ...(obj.spec?.containers ?? [])].map(
      (c) => c.name,
    );
    const parts = await Promise.all(
      containers.map(async (c) => {
        const text = await api
          .podLog(ns, name, c, LOG_TAIL_LINES)
          .then((t) => html`<pre>${t || "(empty)"}</pre>`)
          .catch(
            (err: unknown) =>
              html`<p class="err">${err instanceof Error ? err.message : String(err)}</p>`,
          );
        return html`<h3>${c}</h3>${text}`;
      }),
    );
    logs = html`<h2>Logs (last ${LOG_TAIL_LINES} lines)</h2>${parts}`;
  }
  const back = resourceHref(base, r, { namespace: ns });
  const body = html`<p><a href="${back}">${r.plural}</a>${ns ? ` in namespace ${ns}` : ""}</p>
<h2>YAML</h2><pre>${stringify(forDisplay(obj))}</pre>
<h2>Events</h2>${events}
${logs}`;
  return { status: 200, body: page({ base, title: `${r.kind} ${name}`, nav, body }) };
}
