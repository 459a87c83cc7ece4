import type { KubeObject } from "../../api/strategy.js";
import { type FieldError, forbidden, notSupported } from "../../machinery/field-errors.js";
import { CompactedError, FutureRevisionError } from "../../storage/errors.js";
import { keyAfter } from "../../storage/keys.js";
import { badRequest, expired, invalid, tooLargeResourceVersion } from "../status.js";
import { decodeObject } from "./codec.js";
import type { RegistryContext, ResourceScope } from "./context.js";
import { decodeContinue, encodeContinue } from "./continue-token.js";
import { prefixFor } from "./keys.js";
import { matches, type ObjectFilter } from "./select.js";

export interface ListRequest {
  readonly namespace: string;
  readonly filter: ObjectFilter;
  readonly limit?: number;
  readonly continueToken?: string;
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: string;
}

export interface ListResult {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
  readonly continue?: string;
}

export const CONTINUE_EXPIRED =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

/**
 * Upstream's ValidateListOptions for a list: every problem with
 * resourceVersionMatch, as 422 Invalid on ListOptions.meta.k8s.io.
 */
function validateListOptions(req: ListRequest): void {
  const rv = req.resourceVersion ?? "";
  const match = req.resourceVersionMatch ?? "";
  if (match === "") return;
  const p = "resourceVersionMatch";
  const errs: FieldError[] = [];
  if (rv === "") {
    errs.push(forbidden(p, "resourceVersionMatch is forbidden unless resourceVersion is provided"));
  }
  if (req.continueToken) {
    errs.push(forbidden(p, "resourceVersionMatch is forbidden when continue is provided"));
  }
  if (match !== "Exact" && match !== "NotOlderThan") {
    errs.push(notSupported(p, match, ["Exact", "NotOlderThan", ""]));
  }
  if (match === "Exact" && rv === "0") {
    errs.push(forbidden(p, `resourceVersionMatch "exact" is forbidden for resourceVersion "0"`));
  }
  if (errs.length > 0) throw invalid({ group: "meta.k8s.io", kind: "ListOptions" }, "", errs);
}

/** Which snapshot to read and from which key, per upstream's resourceVersion rules. */
function plan(
  req: ListRequest,
  prefix: string,
): { atRevision?: number; start?: string; exact: boolean } {
  const rv = req.resourceVersion ?? "";
  const match = req.resourceVersionMatch ?? "";
  validateListOptions(req);
  if (req.continueToken) {
    if (rv !== "" && rv !== "0") {
      throw badRequest("specifying resource version is not allowed when using continue");
    }
    const token = decodeContinue(req.continueToken);
    return { atRevision: token.revision, start: prefix + token.start, exact: true };
  }
  if (rv === "" || rv === "0") return { exact: false };
  const n = Number(rv);
  if (!Number.isSafeInteger(n) || n < 0) throw badRequest(`invalid resource version: ${rv}`);
  if (match === "Exact") return { atRevision: n, exact: true };
  return { atRevision: n, exact: false };
}

/**
 * LIST with selectors and paging. Every page of one list reads the same
 * snapshot (the continue token carries its revision); a limit counts the
 * objects returned, not the objects scanned.
 */
export async function listObjects(
  ctx: RegistryContext,
  scope: ResourceScope,
  req: ListRequest,
): Promise<ListResult> {
  const prefix = prefixFor(
    scope.d,
    scope.d.namespaced && req.namespace ? req.namespace : undefined,
  );
  const p = plan(req, prefix);
  let atRevision = p.atRevision;
  if (atRevision !== undefined && !p.exact) {
    // NotOlderThan: the current state satisfies any revision we have reached.
    const current = await ctx.store.currentRevision();
    if (atRevision > current) throw tooLargeResourceVersion(atRevision, current);
    atRevision = undefined;
  }
  const limit = req.limit !== undefined && req.limit > 0 ? req.limit : undefined;
  const items: KubeObject[] = [];
  let start = p.start;
  let revision: number | undefined = atRevision;
  for (;;) {
    const pageSize = limit === undefined ? undefined : Math.max(limit - items.length, 100);
    let page: Awaited<ReturnType<typeof ctx.store.list>>;
    try {
      page = await ctx.store.list(prefix, {
        ...(pageSize !== undefined ? { limit: pageSize } : {}),
        ...(start !== undefined ? { continueFrom: start } : {}),
        ...(revision !== undefined ? { atRevision: revision } : {}),
      });
    } catch (err) {
      if (err instanceof CompactedError) {
        throw req.continueToken
          ? expired(CONTINUE_EXPIRED)
          : expired(
              `too old resource version: ${req.resourceVersion} (${err.compactRevision ?? ""})`,
            );
      }
      if (err instanceof FutureRevisionError) {
        throw tooLargeResourceVersion(revision ?? 0, err.currentRevision ?? 0);
      }
      throw err;
    }
    revision = page.revision;
    for (let i = 0; i < page.items.length; i++) {
      const kv = page.items[i];
      if (!kv) continue;
      const obj = decodeObject(kv);
      if (!matches(scope, req.filter, obj)) continue;
      items.push(obj);
      if (limit !== undefined && items.length === limit) {
        const more = i < page.items.length - 1 || page.continueFrom !== undefined;
        if (!more) return { items, resourceVersion: String(revision) };
        const next = keyAfter(kv.key).slice(prefix.length);
        return {
          items,
          resourceVersion: String(revision),
          continue: encodeContinue({ revision, start: next }),
        };
      }
    }
    if (page.continueFrom === undefined) return { items, resourceVersion: String(revision) };
    start = page.continueFrom;
  }
}
