import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { appOfImage, DEPLOY, ENV_KEYS, SHUTDOWN_DEADLINE_MS, servedPorts } from "./apps.ts";

/**
 * The Compose Specification's schema, vendored from
 * https://github.com/compose-spec/compose-spec/blob/170098ba07d9f53c383a41bfd4c5166b0a4529a6/schema/compose-spec.json
 * (the same JSON, laid out by biome).
 */
const { $schema: draft, ...SCHEMA } = JSON.parse(
  readFileSync(path.join(DEPLOY, "test/schemas/compose-spec.json"), "utf8"),
);

const text = readFileSync(path.join(DEPLOY, "compose.yaml"), "utf8");
// Compose resolves YAML merge keys (`<<: *app`) before it validates, and so does this.
const compose = parse(text, { merge: true });
// biome-ignore lint/suspicious/noExplicitAny: a compose service, as written.
const services: Record<string, any> = compose.services;
const apps = Object.entries(services)
  .filter(([, service]) => /upfleet-/.test(service.image))
  .map(([name, service]) => ({ name, service, app: appOfImage(service.image.replace(/\$\{[^}]*\}/g, "x")) }));

const seconds = (duration: string) => Number(/^(\d+)s$/.exec(duration)?.[1]);

describe("deploy/compose.yaml", () => {
  it("validates against the Compose Specification's JSON schema", () => {
    // Draft 07, Ajv's default; the file names it by an https URL Ajv does not know, hence dropped above.
    expect(draft).toBe("https://json-schema.org/draft-07/schema");
    const validate = new Ajv({ strict: false, allErrors: true }).compile(SCHEMA);
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it("runs PostgreSQL, Redis as BullMQ needs it, the migration, two APIs, the alerter and two regions' workers", () => {
    const byApp = (app: string) => apps.filter((a) => a.app === app).map((a) => a.name);
    expect(byApp("api")).toHaveLength(2);
    expect(byApp("alerter")).toHaveLength(1);
    expect(byApp("migrate")).toHaveLength(1);
    expect(apps.filter((a) => a.app === "worker").map((a) => a.service.environment.REGION)).toEqual(["eu", "us"]);
    expect(services.redis.command.join(" ")).toContain("--appendonly yes");
    expect(services.redis.command.join(" ")).toContain("--maxmemory-policy noeviction");
    for (const name of ["postgres", "redis"]) expect(services[name].healthcheck.test, name).toBeDefined();
  });

  it("starts the apps after the migration and their dependencies are healthy; workers wait for Redis only", () => {
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    for (const { name, service, app } of apps) {
      if (app === "api" || app === "alerter") {
        expect(service.depends_on, name).toEqual({
          migrate: { condition: "service_completed_successfully" },
          redis: { condition: "service_healthy" },
        });
      }
      if (app === "worker") expect(service.depends_on, name).toEqual({ redis: { condition: "service_healthy" } });
    }
  });

  it("gives every app only variables its config schema reads, and workers no database, no keys, no network to PostgreSQL", () => {
    for (const { name, service, app } of apps) {
      expect(service.env_file, `${name}: an env_file would pass every secret`).toBeUndefined();
      const unknown = Object.keys(service.environment).filter((key) => !ENV_KEYS[app].has(key));
      expect(unknown, name).toEqual([]);
      if (app !== "worker") continue;
      expect(Object.keys(service.environment)).not.toContain("DATABASE_URL");
      expect(Object.keys(service.environment)).not.toContain("ENCRYPTION_KEY");
      const shared = service.networks.filter((n: string) => services.postgres.networks.includes(n));
      expect(shared, name).toEqual([]);
    }
  });

  it("takes secrets from deploy/.env, never from the file, and documents each in .env.example", () => {
    const example = readFileSync(path.join(DEPLOY, ".env.example"), "utf8");
    const required = new Set([...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]));
    for (const name of required) expect(example, name).toMatch(new RegExp(`^${name}=`, "m"));
    for (const { name, service } of apps) {
      for (const key of ["DATABASE_URL", "APP_SECRET", "ENCRYPTION_KEY", "REDIS_URL", "SMTP_URL"]) {
        const value = service.environment[key];
        if (value !== undefined) expect(value, `${name} ${key}`).toContain("${");
      }
    }
  });

  it("checks /readyz on the port each app serves, and gives each app more than its shutdown deadline", () => {
    for (const { name, service, app } of apps.filter((a) => a.app !== "migrate")) {
      const [, port, probePath] = /127\.0\.0\.1:(\d+)(\/\w+)/.exec(service.healthcheck.test.join(" ")) ?? [];
      expect(probePath, name).toBe("/readyz");
      expect(servedPorts(app, service.environment).health, name).toContain(Number(port));
      expect(seconds(service.stop_grace_period) * 1000, name).toBeGreaterThan(SHUTDOWN_DEADLINE_MS);
    }
  });
});
