import { optional } from "@upfleet/config";
import { z } from "zod";
import { type Keyring, KeyringError, parseKeyring } from "./keyring.ts";

/**
 * ENCRYPTION_KEY for the processes that write or send secrets (the API and the alerter; never a
 * worker). Required in production: see requireInProduction.
 */
export const secretsEnv = {
  ENCRYPTION_KEY: optional(
    z.string().transform((text, ctx): Keyring => {
      try {
        return parseKeyring(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: error instanceof KeyringError ? error.message : "is invalid" });
        return z.NEVER;
      }
    }),
  ),
};

/** For a config's superRefine: APP_SECRET-style "required when NODE_ENV=production". */
export function requireEncryptionKey(
  env: { NODE_ENV: string; ENCRYPTION_KEY?: Keyring | undefined },
  ctx: z.RefinementCtx,
): void {
  if (env.NODE_ENV === "production" && !env.ENCRYPTION_KEY) {
    ctx.addIssue({ code: "custom", path: ["ENCRYPTION_KEY"], message: "is required when NODE_ENV=production" });
  }
}
