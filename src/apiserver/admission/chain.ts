import type { ResourceDescriptor } from "../../api/resources.js";
import type { KubeObject } from "../../api/strategy.js";
import type { UserInfo } from "../registry/context.js";

export type Operation = "CREATE" | "UPDATE" | "DELETE" | "CONNECT";

export interface AdmissionAttributes {
  readonly operation: Operation;
  readonly resource: ResourceDescriptor;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
  /** The object being written (mutable for mutating plugins); undefined for DELETE. */
  readonly object: KubeObject | undefined;
  readonly oldObject: KubeObject | undefined;
  readonly user: UserInfo;
  readonly dryRun: boolean;
}

/**
 * An admission plugin, upstream's admission.Interface: mutating plugins
 * change the object in place, validating plugins only accept or refuse (by
 * throwing an ApiError). Webhooks will join as plugins of the same shape.
 */
export interface AdmissionPlugin {
  readonly name: string;
  handles(attrs: AdmissionAttributes): boolean;
  admit?(attrs: AdmissionAttributes): Promise<void>;
  validate?(attrs: AdmissionAttributes): Promise<void>;
}

/** Runs every mutating plugin in order, then every validating one. */
export class AdmissionChain {
  constructor(private readonly plugins: readonly AdmissionPlugin[]) {}

  async admit(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.admit && p.handles(attrs)) await p.admit(attrs);
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.validate && p.handles(attrs)) await p.validate(attrs);
  }

  get names(): string[] {
    return this.plugins.map((p) => p.name);
  }
}
