import { hkdfSync } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";

/** A download link works for an hour after it is handed out (API.md "Exports and reports"). */
export const DOWNLOAD_LINK_TTL_SECONDS = 3_600;
const ISSUER = "upfleet";
const AUDIENCE = "upfleet-export-download";
const ALGORITHM = "HS256";

export interface DownloadLinks {
  /** The link's token for one export, and when it stops working. */
  sign(exportId: string, now?: Date): Promise<{ token: string; expiresAt: Date }>;
  /** True only for an unexpired token signed here for this very export. */
  verify(token: string, exportId: string): Promise<boolean>;
}

/**
 * Download tokens: HS256 JWTs whose subject is the export. The key is derived from the app secret
 * (HKDF-SHA256, its own info string) rather than being it, so neither a session token nor anything else signed with the secret can pass
 * for a download link (the audience differs too).
 */
export function createDownloadLinks(appSecret: string): DownloadLinks {
  const key = new Uint8Array(hkdfSync("sha256", appSecret, "", "upfleet export download links", 32));
  return {
    async sign(exportId, now = new Date()) {
      const issuedAt = Math.floor(now.getTime() / 1000);
      const expiresAt = new Date((issuedAt + DOWNLOAD_LINK_TTL_SECONDS) * 1000);
      const token = await new SignJWT({})
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
        });
        return payload.sub === exportId;
      } catch {
        return false;
      }
    },
  };
}
