import type { RequestInfo } from "./http/request-info.js";
import type { UserInfo } from "./registry/context.js";

export interface Decision {
  readonly allowed: boolean;
  readonly reason?: string;
}

/** Decides whether a user may make a request (RBAC plugs in here). */
export interface Authorizer {
  authorize(user: UserInfo, request: RequestInfo): Promise<Decision>;
}

/**
 * Allows every authenticated request. In use until RBAC is enforced
 * (docs/architecture.md says so); unauthenticated requests never reach it.
 */
export const allowAllAuthorizer: Authorizer = {
  authorize: async () => ({ allowed: true }),
};
