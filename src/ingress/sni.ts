/**
 * SNI: turns the TLS table into Node SecureContexts for the HTTPS server.
 * A context is built once per Secret version and reused across table
 * swaps; a certificate Node refuses is logged once and the default
 * certificate answers for its hosts instead.
 */
import { createSecureContext, type SecureContext } from "node:tls";
import type { KeyPairPem } from "../pki/certs.js";
import type { Logger } from "../util/log.js";
import { certificateFor, EMPTY_TLS, type TlsCert, type TlsTable } from "./tls.js";

export class SniContexts {
  private table: TlsTable = EMPTY_TLS;
  private contexts = new Map<string, SecureContext | null>();
  readonly defaultContext: SecureContext;

  constructor(
    readonly defaultCert: KeyPairPem,
    private readonly log: Logger,
  ) {
    this.defaultContext = createSecureContext({ cert: defaultCert.cert, key: defaultCert.key });
  }

  /** Swaps in a new table, dropping contexts of Secret versions it no longer uses. */
  update(table: TlsTable): void {
    const live = new Map<string, SecureContext | null>();
    const certs = [...table.precise.values(), ...table.wildcard.values()];
    if (table.fallback) certs.push(table.fallback);
    for (const c of certs) live.set(versionKey(c), this.contextOf(c));
    this.contexts = live;
    this.table = table;
  }

  /** The context for an SNI name (Node's SNICallback shape). */
  readonly callback = (
    servername: string,
    cb: (err: Error | null, ctx?: SecureContext) => void,
  ): void => {
    cb(null, this.lookup(servername));
  };

  lookup(servername: string | undefined): SecureContext {
    const cert = certificateFor(this.table, servername);
    return (cert && this.contexts.get(versionKey(cert))) || this.defaultContext;
  }

  private contextOf(cert: TlsCert): SecureContext | null {
    const known = this.contexts.get(versionKey(cert));
    if (known !== undefined) return known;
    try {
      return createSecureContext({ cert: cert.cert, key: cert.key });
    } catch (err) {
      this.log.warn("unusable TLS secret; serving the default certificate instead", {
        secret: cert.secret,
        err: String(err),
      });
      return null;
    }
  }
}

function versionKey(c: TlsCert): string {
  return `${c.secret}@${c.version}`;
}
