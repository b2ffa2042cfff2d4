import { type Db, isUniqueViolation, type PageRequest, pageQuery, type Role, toPage } from "@upfleet/db";
import { ConflictError, ForbiddenError, NotFoundError } from "@upfleet/errors";
import { newId } from "@upfleet/ids";
import type { Actor } from "./actor.ts";
import { EMAIL_UNUSABLE } from "./email-conflict.ts";
import { assertAcceptablePassword } from "./password-policy.ts";
import { hashSecret } from "./passwords.ts";
import { canGrantRole, canManageUsers, effectiveScopes, scopesBeyondKey } from "./permissions.ts";
import { presentUser } from "./present.ts";

function requireUserAdmin(actor: Actor): void {
  if (!canManageUsers(actor.role)) throw new ForbiddenError("Only owners and admins manage users");
}

export async function listUsers(db: Db, actor: Actor, page: PageRequest) {
  const query = pageQuery(page);
  const rows = await db.user.findMany({ ...query, where: { ...query.where, organizationId: actor.organizationId } });
  return toPage(rows, page, presentUser);
}

export async function createUser(db: Db, actor: Actor, input: { email: string; password: string; role: Role }) {
  requireUserAdmin(actor);
  if (!canGrantRole(actor.role, input.role)) throw new ForbiddenError(`A ${actor.role} cannot create an ${input.role}`);
  const beyond = scopesBeyondKey(actor.apiKey, effectiveScopes(input.role, null));
  if (beyond.length) {
    throw new ForbiddenError(`This key cannot create a ${input.role}, who could ${beyond.join(", ")}; it lacks those`);
  }
  assertAcceptablePassword(input.password);
  try {
    const user = await db.user.create({
      data: {
        id: newId("user"),
        organizationId: actor.organizationId,
        email: input.email.toLowerCase(),
        passwordHash: await hashSecret(input.password),
        role: input.role,
      },
    });
    return presentUser(user);
  } catch (error) {
    // The same answer whether the email is a colleague's or belongs to another organization.
    if (isUniqueViolation(error, "email")) throw new ConflictError(EMAIL_UNUSABLE);
    throw error;
  }
}

/** Deletes a user and, by cascade, their keys. The caller must invalidate that user's cached keys. */
export async function deleteUser(db: Db, actor: Actor, userId: string): Promise<void> {
  requireUserAdmin(actor);
  const user = await db.user.findFirst({ where: { id: userId, organizationId: actor.organizationId } });
  if (!user) throw new NotFoundError("User", userId);
  if (user.id === actor.userId) throw new ConflictError("You cannot delete yourself");
  if (user.role === "owner") throw new ForbiddenError("The organization's owner cannot be deleted");
  if (user.role === "admin" && actor.role !== "owner") throw new ForbiddenError("Only the owner deletes admins");
  await db.user.delete({ where: { id: user.id } });
}
