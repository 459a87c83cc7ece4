import type { Store } from "../../storage/types.js";
import { decodeObject } from "../registry/codec.js";
import { forbidden, notFound } from "../status.js";
import type { AdmissionAttributes, AdmissionPlugin } from "./chain.js";

/** Namespaces that can never be deleted. */
export const IMMORTAL_NAMESPACES = new Set(["default", "kube-system", "kube-public"]);

/**
 * Upstream's NamespaceLifecycle: no new objects in a namespace that does
 * not exist or is being deleted, and the system namespaces stay.
 */
export function namespaceLifecycle(store: Store): AdmissionPlugin {
  return {
    name: "NamespaceLifecycle",
    handles: () => true,
    async validate(a: AdmissionAttributes): Promise<void> {
      const isNamespace = a.resource.group === "" && a.resource.plural === "namespaces";
      if (isNamespace) {
        if (a.operation === "DELETE" && IMMORTAL_NAMESPACES.has(a.name)) {
          throw forbidden(`namespaces "${a.name}" is forbidden: this namespace may not be deleted`);
        }
        return;
      }
      if (a.operation !== "CREATE" || !a.resource.namespaced || a.namespace === "") return;
      const kv = await store.get(`/registry/namespaces/${a.namespace}`);
      if (!kv) throw notFound({ group: "", resource: "namespaces" }, a.namespace);
      const ns = decodeObject(kv);
      const phase = (ns.status as { phase?: string } | undefined)?.phase;
      if (phase === "Terminating" || ns.metadata?.deletionTimestamp) {
        // Events about the namespace's own teardown are still accepted.
        if (a.resource.plural === "events") return;
        const err = forbidden(
          `${a.resource.plural}${a.resource.group ? `.${a.resource.group}` : ""} "${a.name}" is forbidden: unable to create new content in namespace ${a.namespace} because it is being terminated`,
        );
        err.status.details = {
          name: a.name,
          kind: a.resource.plural,
          ...(a.resource.group ? { group: a.resource.group } : {}),
          causes: [
            {
              reason: "NamespaceTerminating",
              message: `namespace ${a.namespace} is being terminated`,
              field: "metadata.namespace",
            },
          ],
        };
        throw err;
      }
    },
  };
}
