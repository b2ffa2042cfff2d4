import { randomBytes } from "node:crypto";
import { UnauthorizedError } from "@upfleet/errors";
import { errors, jwtVerify, SignJWT } from "jose";

export const SESSION_TTL_SECONDS = 12 * 60 * 60;
/** Clocks of API instances differ a little; a token "issued" further ahead than this is forged. */
const CLOCK_SKEW_SECONDS = 60;
const ISSUER = "upfleet";
const AUDIENCE = "upfleet-api";
const ALGORITHM = "HS256";

export interface SessionClaims {
  userId: string;
  organizationId: string;
}

/** A verified session: who, and what revocation needs (its id and lifetime). */
export interface VerifiedSession extends SessionClaims {
  jti: string;
  /** Unix seconds. */
  issuedAt: number;
  expiresAt: number;
}

export interface SessionTokens {
  issue(claims: SessionClaims, now?: Date): Promise<{ token: string; expiresAt: Date }>;
  verify(token: string, now?: Date): Promise<VerifiedSession>;
}

/**
 * Session JWTs signed with the deployment secret; only HS256 is accepted, so `alg: none` never is.
 * A token must carry `iat`, `exp` at most 12 h after it and a `jti`: a hand-made token without
 * `exp` (or with a 100-year one) would otherwise be a credential nobody could ever revoke.
 */
export function createSessionTokens(secret: string): SessionTokens {
  const key = new TextEncoder().encode(secret);
  return {
    async issue(claims, now = new Date()) {
      const issuedAt = Math.floor(now.getTime() / 1000);
      const expiresAt = new Date((issuedAt + SESSION_TTL_SECONDS) * 1000);
      const token = await new SignJWT({ org: claims.organizationId })
        .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
        .setSubject(claims.userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setJti(randomBytes(16).toString("base64url"))
        .setIssuedAt(issuedAt)
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key);
      return { token, expiresAt };
    },
    async verify(token, now = new Date()) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: AUDIENCE,
          requiredClaims: ["iat", "exp", "jti", "sub"],
          currentDate: now,
        });
        const { sub, org, jti, iat, exp } = payload;
        if (typeof sub !== "string" || typeof org !== "string" || typeof jti !== "string" || !jti) {
          throw new UnauthorizedError();
        }
        const nowSeconds = Math.floor(now.getTime() / 1000);
        if (
          typeof iat !== "number" ||
          typeof exp !== "number" ||
          iat > nowSeconds + CLOCK_SKEW_SECONDS ||
          exp - iat > SESSION_TTL_SECONDS
        ) {
          throw new UnauthorizedError();
        }
        return { userId: sub, organizationId: org, jti, issuedAt: iat, expiresAt: exp };
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new UnauthorizedError("Session token has expired");
        throw new UnauthorizedError("Invalid session token");
      }
    },
  };
}
