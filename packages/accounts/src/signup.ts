import { type Db, isUniqueViolation } from "@upfleet/db";
import { ConflictError, ForbiddenError } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import { EMAIL_UNUSABLE } from "./email-conflict.ts";
import { assertAcceptablePassword } from "./password-policy.ts";
import { hashSecret } from "./passwords.ts";
import { presentOrganization, presentUser } from "./present.ts";
import type { SessionTokens } from "./sessions.ts";

export interface SignupInput {
  email: string;
  password: string;
  organizationName: string;
}

const SIGNUP_LOCK = 0x5349474e; // "SIGN": serialises the "is this the first user?" decision

/** Creates an organization and its owner; the first user always may, later ones only with open sign-up. */
export async function signup(db: Db, tokens: SessionTokens, input: SignupInput, options: { openSignup: boolean }) {
  assertAcceptablePassword(input.password);
  const passwordHash = await hashSecret(input.password);
  const email = input.email.toLowerCase();
  try {
    const { user, organization } = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SIGNUP_LOCK})`;
      if (!options.openSignup && (await tx.user.findFirst({ select: { id: true } }))) {
        throw new ForbiddenError("Sign-up is closed on this deployment; ask an administrator to invite you");
      }
      const organization = await tx.organization.create({
        data: { id: newId("organization"), name: input.organizationName },
      });
      const user = await tx.user.create({
        data: { id: newId("user"), organizationId: organization.id, email, passwordHash, role: "owner" },
      });
      return { user, organization };
    });
    const session = await tokens.issue({ userId: user.id, organizationId: organization.id });
    return {
      user: presentUser(user),
      organization: presentOrganization(organization),
      token: session.token,
      expires_at: session.expiresAt.toISOString(),
    };
  } catch (error) {
    if (isUniqueViolation(error, "email")) throw new ConflictError(EMAIL_UNUSABLE);
    throw error;
  }
}
