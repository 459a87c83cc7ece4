/** A CronTab CRD (upstream's classic example) and a CustomResources fake for the CRD unit tests. */
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
} from "kubernetes-types/apiextensions/v1.js";
import type { ResourceDescriptor } from "../../../src/api/resources.js";
import type { KubeObject } from "../../../src/api/strategy.js";
import type { CustomResources, CustomResourceVersion } from "../../../src/apiserver/crd/types.js";

export const CRON_PATTERN = "^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$";

export function cronTabVersion(
  overrides: Partial<CustomResourceDefinitionVersion> = {},
): CustomResourceDefinitionVersion {
  return {
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
              cronSpec: { type: "string", pattern: CRON_PATTERN },
              image: { type: "string" },
              replicas: { type: "integer", minimum: 1, maximum: 10, default: 1 },
            },
          },
          status: {
            type: "object",
            properties: {
              replicas: { type: "integer" },
              labelSelector: { type: "string" },
              conditions: {
                type: "array",
                items: {
                  type: "object",
                  properties: { type: { type: "string" }, status: { type: "string" } },
                },
              },
            },
          },
        },
      },
    },
    subresources: {
      status: {},
      scale: {
        specReplicasPath: ".spec.replicas",
        statusReplicasPath: ".status.replicas",
        labelSelectorPath: ".status.labelSelector",
      },
    },
    additionalPrinterColumns: [
      {
        name: "Spec",
        type: "string",
        description: "The cron spec defining the interval a CronJob is run",
        jsonPath: ".spec.cronSpec",
      },
      {
        name: "Replicas",
        type: "integer",
        description: "The number of jobs launched by the CronJob",
        jsonPath: ".spec.replicas",
      },
      { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
    ],
    ...overrides,
  };
}

export function cronTabCRD(version = cronTabVersion()): CustomResourceDefinition {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "crontabs.stable.example.com" },
    spec: {
      group: "stable.example.com",
      scope: "Namespaced",
      names: { plural: "crontabs", singular: "crontab", kind: "CronTab", shortNames: ["ct"] },
      versions: [version],
    },
  };
}

/** The served version as the registry would describe it. */
export function crVersion(
  version = cronTabVersion(),
  opts: { namespaced?: boolean } = {},
): CustomResourceVersion {
  const crd = cronTabCRD(version);
  const subresources: string[] = [];
  if (version.subresources?.status) subresources.push("status");
  if (version.subresources?.scale) subresources.push("scale");
  const descriptor: ResourceDescriptor = {
    group: "stable.example.com",
    version: version.name,
    kind: "CronTab",
    plural: "crontabs",
    singular: "crontab",
    shortNames: ["ct"],
    categories: [],
    namespaced: opts.namespaced ?? true,
    verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
    subresources,
  };
  return {
    crd,
    version,
    schema: version.schema?.openAPIV3Schema,
    descriptor,
    storageVersion: "v1",
  };
}

/** A CustomResources over fixed versions. */
export function fakeCustomResources(versions: readonly CustomResourceVersion[]): CustomResources {
  return {
    versions: () => versions,
    byKind: (g, v, k) =>
      versions.find(
        (x) => x.descriptor.group === g && x.descriptor.version === v && x.descriptor.kind === k,
      ),
    byResource: (g, v, p) =>
      versions.find(
        (x) => x.descriptor.group === g && x.descriptor.version === v && x.descriptor.plural === p,
      ),
    onChange: () => {},
  };
}

export function cronTab(
  spec: Record<string, unknown> = {},
  extra: Partial<KubeObject> = {},
): KubeObject {
  return {
    apiVersion: "stable.example.com/v1",
    kind: "CronTab",
    metadata: { name: "my-new-cron-object", namespace: "default" },
    spec: { cronSpec: "* * * * */5", image: "my-awesome-cron-image", replicas: 1, ...spec },
    ...extra,
  };
}
