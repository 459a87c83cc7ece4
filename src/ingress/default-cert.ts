/**
 * The certificate served when no Ingress TLS entry covers the name a
 * client asked for (or it sent no SNI): self-signed in effect, from a
 * throwaway CA made at start, like other controllers' "fake" default
 * certificate. Clients are expected to distrust it.
 */
import { createCA, issue, type KeyPairPem } from "../pki/certs.js";

export async function selfSignedDefault(opts: { commonName?: string } = {}): Promise<KeyPairPem> {
  const ca = await createCA({ commonName: "k8ts ingress default CA", days: 3650 });
  return issue(ca, {
    commonName: opts.commonName ?? "k8ts ingress default certificate",
    dnsNames: ["ingress.local"],
    usage: "server",
    days: 3650,
  });
}
