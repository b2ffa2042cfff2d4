import type { Db, RoleName } from "@upfleet/db";
import { NotFoundError } from "@upfleet/errors";
import type { Actor } from "./actor.ts";

export interface Account {
  id: string;
  email: string;
  role: RoleName;
  organization: { id: string; name: string; plan: string };
}

interface AccountRow {
  id: string;
  email: string;
  role: RoleName;
  organization_id: string;
  organization_name: string;
  plan: string;
}

/**
 * The acting user and organization, as stored now. One joined query rather than a Prisma
 * `include`, which sends a second query for the organization: GET /account is a hot read, and
 * the join roughly doubles its throughput (BENCHMARKS.md).
 */
export async function loadAccount(db: Db, actor: Actor): Promise<Account> {
  const [row] = await db.$queryRaw<AccountRow[]>`
    SELECT u.id, u.email, u.role::text AS role, o.id AS organization_id, o.name AS organization_name, o.plan
    FROM users u JOIN organizations o ON o.id = u.organization_id
    WHERE u.id = ${actor.userId} AND u.organization_id = ${actor.organizationId}`;
  if (!row) throw new NotFoundError("User", actor.userId);
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    organization: { id: row.organization_id, name: row.organization_name, plan: row.plan },
  };
}
