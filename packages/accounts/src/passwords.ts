import { hash, type Options, verify } from "@node-rs/argon2";

/** OWASP's Argon2id baseline (19 MiB, 2 passes): costly to brute-force, ~20 ms to check here. */
// 2 is Algorithm.Argon2id: the library exports it as a const enum, which isolated modules cannot read.
const ARGON2: Options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashSecret(secret: string): Promise<string> {
  return hash(secret, ARGON2);
}

export async function verifySecret(hashed: string, secret: string): Promise<boolean> {
  try {
    return await verify(hashed, secret);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same Argon2 work as a real check, for a login whose email is unknown, so that the
 * response time does not tell which addresses have accounts.
 */
export async function burnVerification(secret: string): Promise<false> {
  dummy ??= hashSecret("upfleet-timing-equaliser");
  await verifySecret(await dummy, secret);
  return false;
}
