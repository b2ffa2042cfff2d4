-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('investigating', 'identified', 'monitoring', 'resolved');

-- CreateTable
CREATE TABLE "incidents" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "monitor_id" TEXT,
    "open_monitor_id" TEXT,
    "source_event_id" TEXT,
    "title" TEXT NOT NULL,
    "status" "IncidentStatus" NOT NULL DEFAULT 'investigating',
    "cause" JSONB,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_updates" (
    "id" TEXT NOT NULL,
    "incident_id" TEXT NOT NULL,
    "status" "IncidentStatus" NOT NULL,
    "message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_updates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_events" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "incident_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "incident_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "incidents_open_monitor_id_key" ON "incidents"("open_monitor_id");

-- CreateIndex
CREATE UNIQUE INDEX "incidents_source_event_id_key" ON "incidents"("source_event_id");

-- CreateIndex
CREATE INDEX "incidents_organization_id_id_idx" ON "incidents"("organization_id", "id");

-- CreateIndex
CREATE INDEX "incidents_monitor_id_id_idx" ON "incidents"("monitor_id", "id");

-- CreateIndex
CREATE INDEX "incident_updates_incident_id_created_at_idx" ON "incident_updates"("incident_id", "created_at");

-- CreateIndex
CREATE INDEX "incident_events_processed_at_idx" ON "incident_events"("processed_at");

-- CreateIndex
CREATE INDEX "incident_events_incident_id_id_idx" ON "incident_events"("incident_id", "id");

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_monitor_id_fkey" FOREIGN KEY ("monitor_id") REFERENCES "monitors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_updates" ADD CONSTRAINT "incident_updates_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident_events" ADD CONSTRAINT "incident_events_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand (Prisma's schema cannot express it, and its diff leaves CHECK constraints alone):
-- open_monitor_id is the monitor while the incident is open and NULL once resolved, so the unique
-- index on it allows one open incident per monitor, whatever code writes the rows.
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_open_monitor_id_check"
    CHECK ("open_monitor_id" IS NOT DISTINCT FROM (CASE WHEN "status" = 'resolved' THEN NULL ELSE "monitor_id" END));

ALTER TABLE "incidents" ADD CONSTRAINT "incidents_resolved_at_check"
    CHECK (("status" = 'resolved') = ("resolved_at" IS NOT NULL));
