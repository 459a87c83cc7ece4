import type { IncomingMessage, ServerResponse } from "node:http";
import type { Conversion } from "../../api/conversion/index.js";
import { apiVersionOf, groupResource, type ResourceDescriptor } from "../../api/resources.js";
import type { KubeObject } from "../../api/strategy.js";
import type { ObjectFormat } from "../http/negotiate.js";
import type { RegistryContext, ResourceScope } from "../registry/context.js";
import type { ObjectFilter } from "../registry/select.js";
import { type WatchEventType, watchObjects } from "../registry/watch.js";
import type { Status } from "../status.js";
import { boolParam, intParam } from "./params.js";
import { includeObjectParam, partialMetadata } from "./render.js";

/** Upstream's --min-request-timeout: watches last a random 30 to 60 minutes unless asked. */
const MIN_TIMEOUT_S = 1800;

/**
 * Streams a watch as newline-delimited JSON events over a chunked response,
 * each event's object rendered as asked (object, Table row, metadata).
 */
export async function serveWatch(
  ctx: RegistryContext,
  scope: ResourceScope,
  w: {
    req: IncomingMessage;
    res: ServerResponse;
    query: URLSearchParams;
    format: ObjectFormat;
    filter: ObjectFilter;
    namespace: string;
    /** The resource as addressed, and the conversion from its stored version, if any. */
    served: ResourceDescriptor;
    convert: Conversion | undefined;
  },
): Promise<void> {
  const { req, res, query, format } = w;
  const timeoutSeconds = intParam(query, "timeoutSeconds");
  const timeoutMs =
    (timeoutSeconds !== undefined && timeoutSeconds > 0
      ? timeoutSeconds
      : MIN_TIMEOUT_S * (1 + Math.random())) * 1000;
  const closed = new Promise<void>((resolve) => {
    req.on("close", () => resolve());
    res.on("close", () => resolve());
  });
  const render = (stored: KubeObject | Status, type: WatchEventType): unknown => {
    if (type === "ERROR") return stored;
    if (type === "BOOKMARK") {
      // A bookmark carries only the kind and a resourceVersion.
      return { ...stored, kind: w.served.kind, apiVersion: apiVersionOf(w.served) };
    }
    const obj = w.convert ? w.convert.fromStorage(stored as KubeObject) : stored;
    if (format.kind === "table") {
      return ctx.hooks.buildTable({
        groupResource: groupResource(w.served),
        objects: [obj as KubeObject],
        now: new Date(),
        includeObject: includeObjectParam(query),
        listMeta: {},
      });
    }
    if (format.kind === "partial-metadata")
      return partialMetadata(obj as KubeObject, format.version);
    return obj;
  };
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    res.statusCode = 200;
    res.setHeader("Content-Type", "application/json");
    res.setHeader("Cache-Control", "no-cache, private");
    res.setHeader("Transfer-Encoding", "chunked");
    res.flushHeaders();
  };
  const sendInitialEvents = boolParam(query, "sendInitialEvents");
  const rv = query.get("resourceVersion");
  const rvm = query.get("resourceVersionMatch");
  // Headers go out once the watch is established, so setup errors are still plain Status responses.
  await watchObjects(
    ctx,
    scope,
    {
      namespace: w.namespace,
      filter: w.filter,
      ...(rv !== null ? { resourceVersion: rv } : {}),
      ...(rvm !== null && rvm !== "" ? { resourceVersionMatch: rvm } : {}),
      ...(sendInitialEvents !== undefined ? { sendInitialEvents } : {}),
      allowBookmarks: boolParam(query, "allowWatchBookmarks") ?? false,
      timeoutMs,
    },
    {
      closed,
      send: (type, object) => {
        start();
        if (res.writableEnded || res.destroyed) return true;
        return res.write(`${JSON.stringify({ type, object: render(object, type) })}\n`);
      },
      drained: () =>
        new Promise<void>((resolve) => {
          if (res.writableEnded || res.destroyed || !res.writableNeedDrain) return resolve();
          const done = () => {
            res.off("drain", done);
            res.off("close", done);
            resolve();
          };
          res.once("drain", done);
          res.once("close", done);
        }),
      established: start,
    },
  );
  start();
  res.end();
}
