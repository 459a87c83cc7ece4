import { stringify } from "yaml";

/** A kubeconfig with one cluster, one user and one context, credentials embedded. */
export function kubeconfigYaml(opts: {
  server: string;
  caCert: string;
  clusterName?: string;
  user: string;
  clientCert?: string;
  clientKey?: string;
  token?: string;
}): string {
  const cluster = opts.clusterName ?? "default";
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const user: Record<string, string> = {};
  if (opts.clientCert) user["client-certificate-data"] = b64(opts.clientCert);
  if (opts.clientKey) user["client-key-data"] = b64(opts.clientKey);
  if (opts.token) user.token = opts.token;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: cluster,
        cluster: { server: opts.server, "certificate-authority-data": b64(opts.caCert) },
      },
    ],
    users: [{ name: opts.user, user }],
    contexts: [{ name: cluster, context: { cluster, user: opts.user } }],
    "current-context": cluster,
    preferences: {},
  });
}
