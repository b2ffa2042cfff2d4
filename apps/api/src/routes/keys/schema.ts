import { SCOPES } from "@upfleet/accounts";
import { InstantDate } from "@upfleet/db";
import { z } from "zod";
import { idParam, listOf, Timestamp } from "../../http/schemas.ts";

const KeyBody = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: "The first 12 characters of the key" }),
    scopes: z.array(z.enum(SCOPES)),
    created_at: Timestamp,
    expires_at: Timestamp,
    last_used_at: Timestamp.nullable(),
  })
  .meta({ id: "ApiKey" });

export const CreateKeyBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    scopes: z
      .array(z.enum(SCOPES))
      .max(SCOPES.length * 2)
      .optional(),
    expires_at: InstantDate.optional().meta({ description: "At most one year ahead; default one year" }),
  })
  .meta({ id: "CreateApiKeyRequest" });

export const CreatedKey = z
  .object({ key: KeyBody, raw_key: z.string().meta({ description: "Shown once, never again" }) })
  .meta({ id: "CreatedApiKey" });

export const KeyList = listOf(KeyBody, "ApiKeyList");
export const KeyParams = idParam("key");
