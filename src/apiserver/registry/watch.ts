import type { KubeObject } from "../../api/strategy.js";
import { CompactedError, StoreUnavailableError } from "../../storage/errors.js";
import type { Watch, WatchEvent } from "../../storage/types.js";
import { badRequest, expired, type Status } from "../status.js";
import { decodeObject, decodeValue, withResourceVersion } from "./codec.js";
import type { RegistryContext, ResourceScope } from "./context.js";
import { keyFor, prefixFor } from "./keys.js";
import { listObjects } from "./list.js";
import { matches, type ObjectFilter } from "./select.js";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchSink {
  /** Writes an event; false when the client is not keeping up (wait for drained()). */
  send(type: WatchEventType, object: KubeObject | Status): boolean;
  /** Resolves when the client has taken what was written (or went away). */
  drained(): Promise<void>;
  /** Resolves when the client goes away. */
  readonly closed: Promise<void>;
  /** Called once the watch is set up, before any event. */
  established(): void;
}

export interface WatchRequest {
  readonly namespace: string;
  readonly filter: ObjectFilter;
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: string;
  readonly sendInitialEvents?: boolean;
  readonly allowBookmarks: boolean;
  readonly timeoutMs: number;
  /** How often to send a bookmark when bookmarks are allowed (default 60 s). */
  readonly bookmarkIntervalMs?: number;
}

export const INITIAL_EVENTS_END = "k8s.io/initial-events-end";

/** How long a watch waits for a client that stopped reading before ending its stream. */
const SLOW_CLIENT_MS = 60_000;

/**
 * WATCH: stream changes as ADDED/MODIFIED/DELETED events. With no
 * resourceVersion (or "0") the current state comes first as ADDED events;
 * with one, every change after it. An object that stops matching the
 * selectors is reported DELETED, one that starts matching ADDED, as upstream
 * does. History that is gone ends the stream with an ERROR event (410).
 */
export async function watchObjects(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: WatchRequest,
  sink: WatchSink,
): Promise<void> {
  const { d } = scope;
  const rv = req.resourceVersion ?? "";
  if (req.sendInitialEvents !== undefined) {
    if (!req.allowBookmarks) {
      throw badRequest("sendInitialEvents is forbidden for watch unless allowWatchBookmarks=true");
    }
    if (req.resourceVersionMatch !== "NotOlderThan") {
      throw badRequest("sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
    }
  } else if (req.resourceVersionMatch) {
    throw badRequest(
      "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
    );
  }
  const initial = req.sendInitialEvents ?? (rv === "" || rv === "0");
  const prefix =
    req.filter.name !== undefined && (d.namespaced ? req.namespace !== "" : true)
      ? keyFor(d, req.namespace, req.filter.name)
      : prefixFor(d, d.namespaced && req.namespace ? req.namespace : undefined);
  const kindMeta = { kind: d.kind, apiVersion: d.group ? `${d.group}/${d.version}` : d.version };

  let after: number;
  let initialObjects: KubeObject[] = [];
  if (initial) {
    const listed = await listObjects(ctx, scope, {
      namespace: req.namespace,
      filter: req.filter,
      ...(rv !== "" && rv !== "0" ? { resourceVersion: rv } : {}),
    });
    initialObjects = listed.items;
    after = Number(listed.resourceVersion);
  } else if (rv === "" || rv === "0") {
    // No initial events and no version: start from now.
    after = await ctx.store.currentRevision();
  } else {
    after = Number(rv);
    if (!Number.isSafeInteger(after) || after < 0)
      throw badRequest(`invalid resource version: ${rv}`);
  }

  let storeWatch: Watch;
  try {
    storeWatch = await ctx.store.watch(prefix, { afterRevision: after });
  } catch (err) {
    if (err instanceof CompactedError) {
      sink.send(
        "ERROR",
        expired(`too old resource version: ${after} (${err.compactRevision ?? ""})`).status,
      );
      return;
    }
    throw err;
  }

  let lastRevision = after;
  sink.established();
  for (const obj of initialObjects) sink.send("ADDED", obj);
  if (req.sendInitialEvents) {
    sink.send("BOOKMARK", {
      ...kindMeta,
      metadata: { resourceVersion: String(after), annotations: { [INITIAL_EVENTS_END]: "true" } },
    });
  }

  const timers: NodeJS.Timeout[] = [];
  const stop = () => storeWatch.close();
  timers.push(setTimeout(stop, req.timeoutMs));
  if (req.allowBookmarks) {
    timers.push(
      setInterval(() => {
        const caughtUp = storeWatch.progress?.();
        if (caughtUp !== undefined && caughtUp > lastRevision) lastRevision = caughtUp;
        sink.send("BOOKMARK", { ...kindMeta, metadata: { resourceVersion: String(lastRevision) } });
      }, req.bookmarkIntervalMs ?? 60_000),
    );
  }
  void sink.closed.then(stop);
  try {
    for await (const ev of storeWatch) {
      lastRevision = ev.revision;
      const out = translate(scope, req.filter, ev);
      if (out && !sink.send(out.type, out.object)) {
        // A client that stops reading must not make us buffer without end:
        // wait for it a while, then end its watch (it re-watches from its
        // last resourceVersion).
        const drained = await Promise.race([
          sink.drained().then(() => true),
          new Promise<boolean>((r) => {
            const t = setTimeout(() => r(false), SLOW_CLIENT_MS);
            t.unref();
          }),
        ]);
        if (!drained) break;
      }
    }
  } catch (err) {
    if (err instanceof CompactedError) {
      sink.send(
        "ERROR",
        expired(`too old resource version: ${lastRevision} (${err.compactRevision ?? ""})`).status,
      );
    } else if (!(err instanceof StoreUnavailableError)) {
      throw err;
    }
    // A broken store watch just ends the stream: the client watches again
    // from the last resourceVersion it received.
  } finally {
    for (const t of timers) clearTimeout(t);
    storeWatch.close();
  }
}

/**
 * Decoded objects per store event, shared by every watch that sees the
 * event (one JSON.parse per event, not per watcher). Watchers only read
 * them: the HTTP layer serialises or converts into new objects.
 */
const decoded = new WeakMap<WatchEvent, { current?: KubeObject; previous?: KubeObject }>();

function objectsOf(ev: WatchEvent): { current?: KubeObject; previous?: KubeObject } {
  let d = decoded.get(ev);
  if (!d) {
    d =
      ev.type === "delete"
        ? { previous: withResourceVersion(decodeValue(ev.prevKv.value), ev.revision) }
        : {
            current: decodeObject(ev.kv),
            ...(ev.prevKv
              ? { previous: withResourceVersion(decodeValue(ev.prevKv.value), ev.revision) }
              : {}),
          };
    decoded.set(ev, d);
  }
  return d;
}

function translate(
  scope: ResourceScope,
  filter: ObjectFilter,
  ev: WatchEvent,
): { type: WatchEventType; object: KubeObject } | undefined {
  const { current, previous } = objectsOf(ev);
  if (ev.type === "delete") {
    const old = previous as KubeObject;
    return matches(scope, filter, old) ? { type: "DELETED", object: old } : undefined;
  }
  const obj = current as KubeObject;
  const nowMatches = matches(scope, filter, obj);
  if (!previous) return nowMatches ? { type: "ADDED", object: obj } : undefined;
  const wasMatching = matches(scope, filter, previous);
  if (nowMatches && wasMatching) return { type: "MODIFIED", object: obj };
  if (nowMatches) return { type: "ADDED", object: obj };
  // Left the selection: upstream reports the previous state at the new revision.
  if (wasMatching) return { type: "DELETED", object: previous };
  return undefined;
}
