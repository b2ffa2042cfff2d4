-- Instants a request gives are bounded to 1970-01-01 .. 9999-12-31 UTC (packages/db instant.ts).
-- PostgreSQL stores year 10000, which JavaScript reads back as an invalid date. Rows written before
-- the API refused such instants are dropped (a window or export in year 10000 can never happen), and
-- CHECK constraints make the rule hold whatever writes the table.
DELETE FROM "maintenance_windows" WHERE "starts_at" >= '10000-01-01Z' OR "ends_at" >= '10000-01-01Z';
DELETE FROM "exports" WHERE "from" >= '10000-01-01Z' OR "to" >= '10000-01-01Z';
UPDATE "api_keys" SET "expires_at" = '9999-12-31T23:59:59.999Z' WHERE "expires_at" >= '10000-01-01Z';

ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_instants_bounded"
  CHECK ("starts_at" >= '1970-01-01Z' AND "ends_at" < '10000-01-01Z');
ALTER TABLE "exports" ADD CONSTRAINT "exports_instants_bounded"
  CHECK ("from" >= '1970-01-01Z' AND "to" < '10000-01-01Z');
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_expires_at_bounded" CHECK ("expires_at" < '10000-01-01Z');
