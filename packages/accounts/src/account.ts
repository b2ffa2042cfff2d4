import type { Db } from "@upfleet/db";
import { NotFoundError } from "@upfleet/errors";
import type { Actor } from "./actor.ts";

/** The acting user and organization, as stored now. */
export async function loadAccount(db: Db, actor: Actor) {
  const user = await db.user.findFirst({
    where: { id: actor.userId, organizationId: actor.organizationId },
    include: { organization: true },
  });
  if (!user) throw new NotFoundError("User", actor.userId);
  return user;
}
