import { hkdfSync } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";

/** A download link works for an hour after it is handed out (API.md "Exports and reports"). */
const DOWNLOAD_LINK_TTL_SECONDS = 3_600;
const ISSUER = "upfleet";
const AUDIENCE = "upfleet-export-download";
const ALGORITHM = "HS256";

/**
 * Who asked for a link: the link dies with them. The download checks that the user still exists in
 * the export's organization and, when the link came through an API key, that the key is still live.
 */
export interface DownloadHolder {
  userId: string;
  /** Null when the link was handed to a session (the dashboard). */
  apiKeyId: string | null;
}

export interface DownloadLinks {
  /** The link's token for one export and the caller it was handed to, and when it stops working. */
  sign(exportId: string, holder: DownloadHolder, now?: Date): Promise<{ token: string; expiresAt: Date }>;
  /** Who the link was handed to, only for an unexpired token signed here for this very export; else null. */
  verify(token: string, exportId: string): Promise<DownloadHolder | null>;
}

/**
 * Download tokens: HS256 JWTs whose subject is the export, carrying the user (`usr`) and API key
 * (`key`) that asked. The key is derived from the app secret (HKDF-SHA256, its own info string)
 * rather than being it, so neither a session token nor anything else signed with the secret can pass
 * for a download link (the audience differs too).
 */
export function createDownloadLinks(appSecret: string): DownloadLinks {
  const key = new Uint8Array(hkdfSync("sha256", appSecret, "", "upfleet export download links", 32));
  return {
    async sign(exportId, holder, now = new Date()) {
      const issuedAt = Math.floor(now.getTime() / 1000);
      const expiresAt = new Date((issuedAt + DOWNLOAD_LINK_TTL_SECONDS) * 1000);
      const token = await new SignJWT({ usr: holder.userId, key: holder.apiKeyId })
        .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
        .setSubject(exportId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key);
      return { token, expiresAt };
    },
    async verify(token, exportId) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: AUDIENCE,
          requiredClaims: ["exp", "sub"],
        });
        const { usr, key: apiKeyId } = payload;
        if (payload.sub !== exportId || typeof usr !== "string") return null;
        if (apiKeyId !== null && typeof apiKeyId !== "string") return null;
        return { userId: usr, apiKeyId };
      } catch {
        return null;
      }
    },
  };
}
