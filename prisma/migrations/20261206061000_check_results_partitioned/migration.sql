-- check_results becomes a table partitioned by day on `tick`, with smaller rows: a compact monitor key
-- (monitors.seq) instead of the text id, no surrogate id, no created_at, one index (the primary key),
-- and details only when there is something to say. Every existing row is copied over.

-- AlterTable
ALTER TABLE "monitors" ADD COLUMN     "seq" SERIAL NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "monitors_seq_key" ON "monitors"("seq");

-- The old table steps aside under another name, and its constraints go so the new ones can take their names.
ALTER TABLE "check_results" RENAME TO "check_results_unpartitioned";
ALTER TABLE "check_results_unpartitioned" DROP CONSTRAINT "check_results_monitor_id_fkey";
ALTER TABLE "check_results_unpartitioned" DROP CONSTRAINT "check_results_pkey";

-- Columns in this order pack without alignment padding (8-byte, then 4, then 2, then variable).
CREATE TABLE "check_results" (
    "tick" TIMESTAMPTZ(3) NOT NULL,
    "checked_at" TIMESTAMPTZ(3) NOT NULL,
    "monitor_seq" INTEGER NOT NULL,
    "status" "CheckOutcome" NOT NULL,
    "response_ms" INTEGER,
    "http_status" SMALLINT,
    "region" TEXT NOT NULL,
    "error" TEXT,
    "message" TEXT,
    "details" JSONB,

    CONSTRAINT "check_results_pkey" PRIMARY KEY ("monitor_seq","tick","region")
) PARTITION BY RANGE ("tick");

-- AddForeignKey
ALTER TABLE "check_results" ADD CONSTRAINT "check_results_monitor_seq_fkey" FOREIGN KEY ("monitor_seq") REFERENCES "monitors"("seq") ON DELETE CASCADE ON UPDATE CASCADE;

-- Partitions live in a schema of their own, where Prisma's diff does not look. The default partition
-- takes a tick no daily partition covers yet, so no result is ever refused.
CREATE SCHEMA IF NOT EXISTS "check_partitions";
CREATE TABLE "check_partitions"."check_results_default" PARTITION OF "check_results" DEFAULT;

-- A partition for every UTC day that holds results, and for today and the next two (the alerter
-- keeps creating them ahead from then on: packages/lifecycle).
DO $$
DECLARE
  day date;
BEGIN
  FOR day IN
    SELECT DISTINCT (tick AT TIME ZONE 'UTC')::date FROM "check_results_unpartitioned"
    UNION
    SELECT (now() AT TIME ZONE 'UTC')::date + ahead FROM generate_series(0, 2) AS ahead
  LOOP
    EXECUTE format(
      'CREATE TABLE "check_partitions".%I PARTITION OF "check_results" FOR VALUES FROM (%L) TO (%L)',
      'check_results_' || to_char(day, 'YYYYMMDD'),
      day::timestamp AT TIME ZONE 'UTC',
      (day + 1)::timestamp AT TIME ZONE 'UTC'
    );
  END LOOP;
END $$;

INSERT INTO "check_results" ("tick", "checked_at", "monitor_seq", "status", "response_ms", "http_status", "region", "error", "message", "details")
SELECT r."tick", r."checked_at", m."seq", r."status", r."response_ms", r."http_status", r."region", r."error", r."message",
       NULLIF(r."details", '{}'::jsonb)
FROM "check_results_unpartitioned" r
JOIN "monitors" m ON m."id" = r."monitor_id";

DROP TABLE "check_results_unpartitioned";
