import { ConfigError, parseEnv } from "@upfleet/config";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { requireEncryptionKey, secretsEnv } from "./env.ts";
import { generateKeyringText } from "./keyring.ts";

// The shape the API's and the alerter's configs take it in.
const Env = z.object({ NODE_ENV: z.string().default("development"), ...secretsEnv }).superRefine(requireEncryptionKey);

describe("ENCRYPTION_KEY", () => {
  it("is optional in development (a generated key is kept in the database) and required in production", () => {
    expect(parseEnv(Env, {}).ENCRYPTION_KEY).toBeUndefined();
    expect(() => parseEnv(Env, { NODE_ENV: "production" })).toThrow(ConfigError);
    expect(() => parseEnv(Env, { NODE_ENV: "production" })).toThrow(/ENCRYPTION_KEY: is required/);
    const key = generateKeyringText("k1");
    expect(parseEnv(Env, { NODE_ENV: "production", ENCRYPTION_KEY: key }).ENCRYPTION_KEY?.current.id).toBe("k1");
  });

  it("names the variable, not the key material, when a key is bad", () => {
    const bad = "k1:c2hvcnQ=";
    expect(() => parseEnv(Env, { ENCRYPTION_KEY: bad })).toThrow(/ENCRYPTION_KEY: key "k1" must be the base64/);
    expect(() => parseEnv(Env, { ENCRYPTION_KEY: bad })).not.toThrow(/c2hvcnQ/);
  });
});
