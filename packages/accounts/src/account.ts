import type { Db, RoleName } from "@upfleet/db";
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
 * A user and their organization, as stored now, or null when the user is gone. One joined query
 * rather than a Prisma `include`, which sends a second query for the organization: every session
 * request pays it, and the join roughly doubles its throughput (BENCHMARKS.md).
 */
export async function loadAccount(db: Db, who: Pick<Actor, "userId" | "organizationId">): Promise<Account | null> {
  const [row] = await db.$queryRaw<AccountRow[]>`
    SELECT u.id, u.email, u.role::text AS role, o.id AS organization_id, o.name AS organization_name, o.plan
    FROM users u JOIN organizations o ON o.id = u.organization_id
    WHERE u.id = ${who.userId} AND u.organization_id = ${who.organizationId}`;
  if (!row) return null;
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    organization: { id: row.organization_id, name: row.organization_name, plan: row.plan },
  };
}
