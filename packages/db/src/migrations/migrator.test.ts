import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { pendingSchemaChange } from "./migrator.ts";

const server = process.env.TEST_DATABASE_SERVER_URL ?? "postgresql://postgres@127.0.0.1:5432";
const url = new URL(server);
url.pathname = `/upfleet_test_${randomBytes(6).toString("hex")}`;

afterAll(async () => {
  const admin = new pg.Client({ connectionString: new URL("/postgres", server).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${url.pathname.slice(1)} WITH (FORCE)`);
  await admin.end();
});

describe("migrations", () => {
  // Also proves the engine reads the hand-written CHECK constraints (it once panicked on them) and
  // leaves them alone: a diff that dropped them would show here.
  it("take the database exactly to schema.prisma", async () => {
    expect(await pendingSchemaChange(url.toString())).toBeNull();
  });
});
