import type { ResourceDescriptor } from "../../api/resources.js";
import type { KindStrategy, KubeObject } from "../../api/strategy.js";
import type { KeyPairPem } from "../../pki/certs.js";
import type { Store } from "../../storage/types.js";
import type { AdmissionChain } from "../admission/chain.js";
import type { ServiceAccountTokenIssuer } from "../authn/service-account-token.js";
import type { ApiHooks } from "../hooks.js";

export interface UserInfo {
  readonly name: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  /** Extra attributes (bound service account tokens name their pod and credential). */
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

/** Everything a registry operation needs besides its request. */
export interface RegistryContext {
  readonly store: Store;
  readonly hooks: ApiHooks;
  readonly admission: AdmissionChain;
  readonly now: () => Date;
  /** Resolves another resource (admission plugins look up namespaces, limit ranges, ...). */
  readonly resources: ResourceLookup;
  /** Called after an object is removed from the store (releases what it held, e.g. service IPs). */
  readonly onDeleted?: (d: ResourceDescriptor, obj: KubeObject) => Promise<void>;
  /** The certificate the API server presents to kubelets (pods/log and the other proxies). */
  readonly kubeletClient?: KeyPairPem;
  /** Issues service account tokens (serviceaccounts/token); absent, that subresource answers 501. */
  readonly serviceAccountTokens?: TokenIssuing;
}

export interface TokenIssuing {
  readonly issuer: ServiceAccountTokenIssuer;
  /**
   * Pod-bound tokens requested for 3607 s (the admission-injected volume's
   * lifetime) are valid for a year and only warned about after 3607 s
   * (upstream's --service-account-extend-token-expiration, default true).
   */
  readonly extendExpiration: boolean;
}

export interface ResourceLookup {
  byGroupResource(group: string, plural: string): ResourceDescriptor | undefined;
}

/** One resource as the registry operates on it. */
export interface ResourceScope {
  readonly d: ResourceDescriptor;
  readonly strategy: KindStrategy;
}

export interface WriteOptions {
  readonly user: UserInfo;
  /** Who is writing, for managedFields (the fieldManager parameter or the client's user agent). */
  readonly fieldManager: string;
  readonly dryRun: boolean;
  readonly fieldValidation: "Strict" | "Warn" | "Ignore";
  /** Collects `Warning` headers (fieldValidation=Warn, deprecations). */
  readonly warnings: string[];
}

/** RFC 3339 with seconds precision, as metav1.Time serialises. */
export function timestamp(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

export function metaOf(obj: KubeObject): NonNullable<KubeObject["metadata"]> {
  if (!obj.metadata || typeof obj.metadata !== "object") obj.metadata = {};
  return obj.metadata;
}
