import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { applyMigrations, MIGRATIONS_DIR } from "@upfleet/db/migrations";
import pg from "pg";

const SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? "postgresql://postgres@127.0.0.1:5432";
const TEMPLATE_LOCK = 0x75_70_66_6c; // "upfl"

function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl("postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The template's name changes with the migrations, so an edited migration never reuses a stale one. */
async function templateName(): Promise<string> {
  const hash = createHash("sha256");
  for (const folder of (await readdir(MIGRATIONS_DIR)).sort()) {
    const file = path.join(MIGRATIONS_DIR, folder, "migration.sql");
    hash.update(folder).update(await readFile(file, "utf8").catch(() => ""));
  }
  return `upfleet_template_${hash.digest("hex").slice(0, 16)}`;
}

/** Templates of earlier migration sets are never used again: each one is a whole database on disk. */
async function dropStaleTemplates(admin: pg.Client, current: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'upfleet\\_template\\_%' AND datname <> $1",
    [current],
  );
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
}

/** Migrates a template database once per migration set; every test database is a cheap copy of it. */
async function ensureTemplate(): Promise<string> {
  const name = await templateName();
  await withAdmin(async (admin) => {
    await admin.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK]);
    try {
      const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (!rowCount) {
        const building = `${name}_building`;
        await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        await applyMigrations(databaseUrl(building));
        // A template nobody is connected to; renamed only when complete so a crash leaves no half-built one.
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
        await dropStaleTemplates(admin, name);
      }
    } finally {
      await admin.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK]);
    }
  });
  return name;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated PostgreSQL database of its own, for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await ensureTemplate();
  const name = `upfleet_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(async (admin) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        // Two copies of one template at the same instant can collide; it clears in milliseconds.
        const busy = (error as { code?: string }).code === "55006";
        if (!busy || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
    }
  });
  return {
    name,
    url: databaseUrl(name),
    drop: () => withAdmin(async (admin) => void (await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
