import type { CustomResourceDefinition } from "kubernetes-types/apiextensions/v1.js";

/** Upstream's CronTab example CRD (stable.example.com/v1, namespaced, short name ct). */
export function cronTabCrd(overrides: { group?: string; plural?: string; kind?: string } = {}) {
  const group = overrides.group ?? "stable.example.com";
  const plural = overrides.plural ?? "crontabs";
  const kind = overrides.kind ?? "CronTab";
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                spec: {
                  type: "object",
                  properties: {
                    cronSpec: { type: "string" },
                    image: { type: "string" },
                    replicas: { type: "integer" },
                  },
                },
              },
            },
          },
        },
      ],
      scope: "Namespaced",
      names: {
        plural,
        singular: plural.replace(/s$/, ""),
        kind,
        shortNames: ["ct"],
      },
    },
  } as CustomResourceDefinition & Record<string, unknown>;
}

export async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
