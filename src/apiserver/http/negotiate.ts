/**
 * Accept-header negotiation: which representation a client asked for.
 * kubectl asks for Tables (`application/json;as=Table;v=v1;g=meta.k8s.io`),
 * aggregated discovery (`...;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io`),
 * or plain JSON; protobuf is not served, so clients fall back to JSON.
 */

export interface MediaRange {
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part) => {
      const [type = "", ...params] = part.split(";").map((s) => s.trim());
      const p: Record<string, string> = {};
      for (const kv of params) {
        const eq = kv.indexOf("=");
        if (eq > 0)
          p[kv.slice(0, eq).trim().toLowerCase()] = kv
            .slice(eq + 1)
            .trim()
            .replace(/^"|"$/g, "");
      }
      return { type: type.toLowerCase(), params: p };
    })
    .filter((m) => m.type.length > 0);
}

export type ObjectFormat =
  | { readonly kind: "object"; readonly encoding: "json" | "yaml" }
  | { readonly kind: "table"; readonly version: "v1" | "v1beta1" }
  | { readonly kind: "partial-metadata"; readonly version: "v1" | "v1beta1" };

const JSONISH = new Set(["application/json", "*/*", "application/*"]);

/**
 * The representation for a resource response, or undefined when nothing
 * acceptable is offered (406). A missing Accept header means JSON.
 */
export function negotiateObject(header: string | undefined): ObjectFormat | undefined {
  const ranges = parseAccept(header);
  if (ranges.length === 0) return { kind: "object", encoding: "json" };
  for (const r of ranges) {
    const as = r.params.as;
    if (as !== undefined) {
      if (r.type !== "application/json") continue;
      if (r.params.g !== "meta.k8s.io") continue;
      const v = r.params.v;
      if (v !== "v1" && v !== "v1beta1") continue;
      if (as === "Table") return { kind: "table", version: v };
      if (as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") {
        return { kind: "partial-metadata", version: v };
      }
      continue;
    }
    if (JSONISH.has(r.type)) return { kind: "object", encoding: "json" };
    if (r.type === "application/yaml") return { kind: "object", encoding: "yaml" };
    if (r.type === "application/vnd.kubernetes.protobuf") continue;
  }
  return undefined;
}

export type DiscoveryFormat = "aggregated-v2" | "aggregated-v2beta1" | "legacy";

export function negotiateDiscovery(header: string | undefined): DiscoveryFormat {
  for (const r of parseAccept(header)) {
    if (r.params.as === "APIGroupDiscoveryList" && r.params.g === "apidiscovery.k8s.io") {
      if (r.params.v === "v2") return "aggregated-v2";
      if (r.params.v === "v2beta1") return "aggregated-v2beta1";
    }
    if (r.params.as === undefined && JSONISH.has(r.type)) return "legacy";
  }
  return "legacy";
}
