/** POST serviceaccounts/<name>/token for a pod-bound token (authentication.k8s.io/v1 TokenRequest). */
import type { RestClient } from "../../client/rest/client.js";
import type { ServiceAccountTokenKey } from "./manager.js";
import type { IssuedToken } from "./refresh.js";

interface TokenRequestResponse {
  spec?: { expirationSeconds?: number };
  status?: { token?: string; expirationTimestamp?: string };
}

export async function requestServiceAccountToken(
  rest: RestClient,
  key: ServiceAccountTokenKey,
): Promise<IssuedToken> {
  const where = `${key.namespace}/${key.serviceAccount}`;
  const res = await rest.request<TokenRequestResponse>({
    method: "POST",
    path: `/api/v1/namespaces/${encodeURIComponent(key.namespace)}/serviceaccounts/${encodeURIComponent(key.serviceAccount)}/token`,
    body: {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: {
        ...(key.audience ? { audiences: [key.audience] } : {}),
        expirationSeconds: key.expirationSeconds,
        boundObjectRef: { apiVersion: "v1", kind: "Pod", name: key.pod.name, uid: key.pod.uid },
      },
    },
  });
  const token = res.status?.token;
  if (!token) throw new Error(`TokenRequest for ${where} returned no token`);
  const expiresAtMs = Date.parse(res.status?.expirationTimestamp ?? "");
  if (Number.isNaN(expiresAtMs))
    throw new Error(`TokenRequest for ${where} returned no expirationTimestamp`);
  return {
    token,
    expiresAtMs,
    expirationSeconds: res.spec?.expirationSeconds ?? key.expirationSeconds,
  };
}
