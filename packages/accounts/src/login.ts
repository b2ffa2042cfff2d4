import type { Db } from "@upfleet/db";
import { UnauthorizedError } from "@upfleet/errors";
import { burnVerification, verifySecret } from "./passwords.ts";
import type { SessionTokens } from "./sessions.ts";

/** Wrong email and wrong password cost the same Argon2 work and give the same answer. */
export async function login(db: Db, tokens: SessionTokens, input: { email: string; password: string }) {
  const user = await db.user.findUnique({ where: { email: input.email.toLowerCase() } });
  const valid = user ? await verifySecret(user.passwordHash, input.password) : await burnVerification(input.password);
  if (!user || !valid) throw new UnauthorizedError("Invalid email or password");
  const session = await tokens.issue({ userId: user.id, organizationId: user.organizationId });
  return { token: session.token, expires_at: session.expiresAt.toISOString() };
}
