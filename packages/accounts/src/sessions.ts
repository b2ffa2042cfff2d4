import { UnauthorizedError } from "@upfleet/errors";
import { errors, jwtVerify, SignJWT } from "jose";

export const SESSION_TTL_SECONDS = 12 * 60 * 60;
const ISSUER = "upfleet";
const AUDIENCE = "upfleet-api";
const ALGORITHM = "HS256";

export interface SessionClaims {
  userId: string;
  organizationId: string;
}

export interface SessionTokens {
  issue(claims: SessionClaims, now?: Date): Promise<{ token: string; expiresAt: Date }>;
  verify(token: string): Promise<SessionClaims>;
}

/** Session JWTs signed with the deployment secret; only HS256 is accepted, so `alg: none` never is. */
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
        .setIssuedAt(issuedAt)
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key);
      return { token, expiresAt };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: AUDIENCE,
        });
        if (typeof payload.sub !== "string" || typeof payload.org !== "string") throw new UnauthorizedError();
        return { userId: payload.sub, organizationId: payload.org };
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new UnauthorizedError("Session token has expired");
        throw new UnauthorizedError("Invalid session token");
      }
    },
  };
}
