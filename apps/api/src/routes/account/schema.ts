import { ROLES, SCOPES } from "@upfleet/accounts";
import { z } from "zod";
import { Timestamp } from "../../http/schemas.ts";

export const UserBody = z
  .object({ id: z.string(), email: z.string(), role: z.enum(ROLES), created_at: Timestamp })
  .meta({ id: "User" });

export const OrganizationBody = z
  .object({ id: z.string(), name: z.string(), plan: z.string(), created_at: Timestamp })
  .meta({ id: "Organization" });

export const AccountBody = z
  .object({
    organization: z.object({ id: z.string(), name: z.string(), plan: z.string() }),
    user: z.object({ id: z.string(), email: z.string(), role: z.enum(ROLES) }),
    api_key: z.object({ id: z.string(), name: z.string(), scopes: z.array(z.enum(SCOPES)) }).nullable(),
    rate_limit: z.object({ limit_per_minute: z.number().int(), limit_per_hour: z.number().int() }),
  })
  .meta({ id: "Account" });
