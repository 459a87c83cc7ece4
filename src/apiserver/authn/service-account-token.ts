/**
 * Signs and verifies service account tokens (JWS compact JWTs, the `jose`
 * library doing the cryptography) and describes the signing key for OIDC
 * discovery. Knows nothing of the store: whether the service account and
 * the bound object still exist is the authenticator's question.
 */
import { decodeJwt, errors, exportJWK, jwtVerify, SignJWT } from "jose";
import {
  acceptedAudiences,
  InvalidClaimsError,
  type KubernetesClaim,
  readKubernetesClaim,
  type TokenClaims,
} from "./service-account-claims.js";
import type { ServiceAccountSigningKey } from "./service-account-key.js";

/** The default issuer (k3s and kubeadm clusters use the in-cluster API server name). */
export function defaultIssuer(clusterDomain: string): string {
  return `https://kubernetes.default.svc.${clusterDomain}`;
}

/** A token that names this issuer but cannot be trusted (bad signature, expired, wrong audience). */
export class InvalidTokenError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InvalidTokenError";
  }
}

export interface VerifiedToken {
  readonly claim: KubernetesClaim;
  readonly jti: string | undefined;
  /** The token's audiences the server accepts (never empty). */
  readonly audiences: readonly string[];
}

/** Upstream's leeway for exp, nbf and iat: clocks of issuer and verifier may differ by a minute. */
const LEEWAY_SECONDS = 60;

export class ServiceAccountTokenIssuer {
  readonly issuer: string;
  /** What the server itself answers to (--api-audiences): tokens for other audiences are not for it. */
  readonly apiAudiences: readonly string[];
  readonly #key: ServiceAccountSigningKey;

  constructor(opts: {
    readonly key: ServiceAccountSigningKey;
    readonly issuer: string;
    /** Default: the issuer alone (upstream's default for --api-audiences). */
    readonly apiAudiences?: readonly string[];
  }) {
    this.#key = opts.key;
    this.issuer = opts.issuer;
    this.apiAudiences =
      opts.apiAudiences && opts.apiAudiences.length > 0 ? [...opts.apiAudiences] : [opts.issuer];
  }

  /** A signed token carrying `claims` and this issuer. */
  sign(claims: TokenClaims): Promise<string> {
    return new SignJWT({ ...claims, aud: [...claims.aud] })
      .setProtectedHeader({ alg: this.#key.alg, kid: this.#key.kid })
      .setIssuer(this.issuer)
      .sign(this.#key.privateKey);
  }

  /**
   * The verified claims of `token`; undefined when it is not a JWT of this
   * issuer (another authenticator may know it). Throws InvalidTokenError
   * when it names this issuer and fails verification.
   */
  async verify(token: string, opts: { readonly now: Date }): Promise<VerifiedToken | undefined> {
    let unverified: ReturnType<typeof decodeJwt>;
    try {
      unverified = decodeJwt(token);
    } catch {
      return undefined;
    }
    if (unverified.iss !== this.issuer) return undefined;
    let payload: Record<string, unknown>;
    try {
      const result = await jwtVerify(token, this.#key.publicKey, {
        issuer: this.issuer,
        algorithms: [this.#key.alg],
        clockTolerance: LEEWAY_SECONDS,
        currentDate: opts.now,
        requiredClaims: ["exp", "sub"],
      });
      payload = result.payload;
    } catch (err) {
      throw new InvalidTokenError(verificationMessage(err), { cause: err });
    }
    const aud = payload.aud;
    const tokenAudiences = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
    const audiences = acceptedAudiences(tokenAudiences as string[], this.apiAudiences);
    if (audiences.length === 0) {
      throw new InvalidTokenError(
        `token audiences ${JSON.stringify(tokenAudiences)} is invalid for the target audiences ${JSON.stringify(this.apiAudiences)}`,
      );
    }
    let claim: KubernetesClaim;
    try {
      claim = readKubernetesClaim(payload);
    } catch (err) {
      if (err instanceof InvalidClaimsError) throw new InvalidTokenError(err.message);
      throw err;
    }
    const jti = typeof payload.jti === "string" ? payload.jti : undefined;
    return { claim, jti, audiences };
  }

  /** The public key as a JSON Web Key Set (upstream's /openid/v1/jwks). */
  async jwks(): Promise<{ keys: object[] }> {
    const jwk = await exportJWK(this.#key.publicKey);
    return { keys: [{ use: "sig", kid: this.#key.kid, alg: this.#key.alg, ...jwk }] };
  }

  /** The OpenID provider configuration (upstream's /.well-known/openid-configuration). */
  discovery(jwksUri: string): object {
    return {
      issuer: this.issuer,
      jwks_uri: jwksUri,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: [this.#key.alg],
    };
  }
}

function verificationMessage(err: unknown): string {
  if (err instanceof errors.JWTExpired) return "service account token has expired";
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === "nbf") return "service account token is not valid yet";
    if (err.claim === "iat") return "service account token is issued in the future";
    return `service account token claim ${err.claim} is invalid: ${err.reason}`;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return "service account token signature is invalid";
  return `service account token is invalid: ${err instanceof Error ? err.message : String(err)}`;
}
