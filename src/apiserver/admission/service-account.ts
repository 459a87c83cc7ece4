/**
 * Upstream's ServiceAccount admission plugin: a new pod runs as its
 * service account (`default` unless it names one), which must exist; it
 * gets the account's imagePullSecrets when it has none, and unless
 * automounting is turned off, the projected token volume mounted in every
 * container. Mirror pods are left as the kubelet wrote them and may carry
 * no credentials at all.
 */
import type { PodSpec, ServiceAccount } from "kubernetes-types/core/v1.js";
import type { KubeObject } from "../../api/strategy.js";
import type { Store } from "../../storage/types.js";
import { decodeValue } from "../registry/codec.js";
import { generateName } from "../registry/names.js";
import { forbidden } from "../status.js";
import type { AdmissionAttributes, AdmissionPlugin } from "./chain.js";
import {
  mirrorPodProblem,
  mountServiceAccountToken,
  shouldAutomount,
} from "./service-account-volume.js";

const MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
export const DEFAULT_SERVICE_ACCOUNT = "default";

const isPodCreate = (a: AdmissionAttributes) =>
  a.operation === "CREATE" &&
  a.resource.group === "" &&
  a.resource.plural === "pods" &&
  a.subresource === "";

function specOf(obj: KubeObject | undefined): PodSpec {
  if (!obj) return { containers: [] };
  if (!obj.spec || typeof obj.spec !== "object") obj.spec = {};
  return obj.spec as PodSpec;
}

const isMirror = (obj: KubeObject | undefined) =>
  obj?.metadata?.annotations?.[MIRROR_ANNOTATION] !== undefined;

export function serviceAccountAdmission(
  store: Store,
  opts: {
    /** Names the injected volume from its prefix (default: five random characters appended). */
    readonly randomName?: (prefix: string) => string;
  } = {},
): AdmissionPlugin {
  const randomName = opts.randomName ?? generateName;
  const lookup = async (a: AdmissionAttributes, name: string): Promise<ServiceAccount> => {
    const kv = await store.get(`/registry/serviceaccounts/${a.namespace}/${name}`);
    if (!kv) {
      throw forbidden(
        `pods "${a.name}" is forbidden: error looking up service account ${a.namespace}/${name}: serviceaccount "${name}" not found`,
      );
    }
    return decodeValue(kv.value) as unknown as ServiceAccount;
  };
  return {
    name: "ServiceAccount",
    handles: isPodCreate,
    async admit(a) {
      // The kubelet compares its mirror pods with the static pods they mirror: never change them.
      if (isMirror(a.object)) return;
      const spec = specOf(a.object);
      const name = spec.serviceAccountName || spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
      spec.serviceAccountName = name;
      spec.serviceAccount = name;
      const sa = await lookup(a, name);
      if (shouldAutomount(sa, spec)) mountServiceAccountToken(spec, randomName);
      if ((spec.imagePullSecrets ?? []).length === 0 && (sa.imagePullSecrets ?? []).length > 0)
        spec.imagePullSecrets = (sa.imagePullSecrets ?? []).map((s) => ({ name: s.name ?? "" }));
    },
    async validate(a) {
      const spec = specOf(a.object);
      if (isMirror(a.object)) {
        const problem = mirrorPodProblem(spec);
        if (problem) throw forbidden(`pods "${a.name}" is forbidden: ${problem}`);
        return;
      }
      // A pod admitted by this plugin names an account; make sure it is still there.
      if (spec.serviceAccountName) await lookup(a, spec.serviceAccountName);
    },
  };
}
