/**
 * Events, for both core/v1 and events.k8s.io/v1 (upstream prints both from
 * one internal type): LAST SEEN TYPE REASON OBJECT MESSAGE, wide SUBOBJECT
 * SOURCE FIRST SEEN COUNT NAME.
 */
import type { KubeObject } from "../strategy.js";
import { since } from "./duration.js";
import { column, NAME_COLUMN, nameOf, wide } from "./format.js";
import type { TablePrinter } from "./types.js";

interface ObjectRef {
  kind?: string;
  name?: string;
  fieldPath?: string;
}

/** The fields the printer reads, common to both API versions. */
interface EventFields {
  involvedObject: ObjectRef;
  type: string;
  reason: string;
  message: string;
  source: { component?: string; host?: string };
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  eventTime: unknown;
  count: number;
  series: { count?: number; lastObservedTime?: string } | undefined;
  reportingController: string;
  reportingInstance: string;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function record<T>(v: unknown): T | undefined {
  return v !== null && typeof v === "object" ? (v as T) : undefined;
}

/** Reads an Event in either shape (events.k8s.io/v1 renames most fields). */
function eventFields(obj: KubeObject): EventFields {
  const isNew = (obj.apiVersion ?? "").startsWith("events.k8s.io/") || "regarding" in obj;
  const get = (core: string, modern: string): unknown => (isNew ? obj[modern] : obj[core]);
  const count = get("count", "deprecatedCount");
  return {
    involvedObject: record<ObjectRef>(get("involvedObject", "regarding")) ?? {},
    type: str(obj.type),
    reason: str(obj.reason),
    message: str(get("message", "note")),
    source: record<EventFields["source"]>(get("source", "deprecatedSource")) ?? {},
    firstTimestamp: get("firstTimestamp", "deprecatedFirstTimestamp"),
    lastTimestamp: get("lastTimestamp", "deprecatedLastTimestamp"),
    eventTime: obj.eventTime,
    count: typeof count === "number" ? count : 0,
    series: record<EventFields["series"]>(obj.series),
    reportingController: str(get("reportingComponent", "reportingController")),
    reportingInstance: str(obj.reportingInstance),
  };
}

function isSet(ts: unknown): boolean {
  return typeof ts === "string" && ts !== "";
}

/** `component, host`, each falling back to the reporting controller/instance. */
function eventSource(ev: EventFields): string {
  const component = ev.source.component || ev.reportingController;
  const instance = ev.source.host || ev.reportingInstance;
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: TablePrinter = {
  columns: [
    column("Last Seen", { description: "Time since the event last occurred." }),
    column("Type", { description: "Normal or Warning." }),
    column("Reason", { description: "Short machine-readable cause of the event." }),
    column("Object", { description: "The object the event is about, as kind/name." }),
    wide("Subobject", "Part of the object the event is about, such as a container."),
    wide("Source", "Component (and host) that reported the event."),
    column("Message", { description: "Human-readable description of the event." }),
    wide("First Seen", "Time since the event first occurred."),
    wide("Count", "How many times the event occurred."),
    { ...NAME_COLUMN, priority: 1 },
  ],
  row(obj, now) {
    const ev = eventFields(obj);
    const first = isSet(ev.firstTimestamp)
      ? since(ev.firstTimestamp, now)
      : since(ev.eventTime, now);
    let last = isSet(ev.lastTimestamp) ? since(ev.lastTimestamp, now) : first;
    let count = ev.count;
    if (ev.series) {
      last = since(ev.series.lastObservedTime, now);
      count = ev.series.count ?? 0;
    } else if (count === 0) {
      count = 1;
    }
    const kind = (ev.involvedObject.kind ?? "").toLowerCase();
    const target = ev.involvedObject.name ? `${kind}/${ev.involvedObject.name}` : kind;
    return [
      last,
      ev.type,
      ev.reason,
      target,
      ev.involvedObject.fieldPath ?? "",
      eventSource(ev),
      ev.message.trim(),
      first,
      count,
      nameOf(obj),
    ];
  },
};
