-- CreateEnum
CREATE TYPE "MonitorType" AS ENUM ('http', 'tcp', 'dns', 'ping', 'ssl', 'heartbeat', 'api');

-- CreateEnum
CREATE TYPE "MonitorStatus" AS ENUM ('pending', 'up', 'degraded', 'down');

-- CreateEnum
CREATE TYPE "CheckOutcome" AS ENUM ('up', 'degraded', 'down');

-- CreateTable
CREATE TABLE "monitors" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" "MonitorType" NOT NULL,
    "settings" JSONB NOT NULL,
    "interval_seconds" INTEGER NOT NULL,
    "timeout_ms" INTEGER NOT NULL,
    "regions" TEXT[],
    "confirmations" INTEGER NOT NULL DEFAULT 1,
    "recovery_confirmations" INTEGER NOT NULL DEFAULT 1,
    "tags" TEXT[],
    "escalation_policy_id" TEXT,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "heartbeat_token" TEXT,
    "status" "MonitorStatus" NOT NULL DEFAULT 'pending',
    "fail_streak" INTEGER NOT NULL DEFAULT 0,
    "pass_streak" INTEGER NOT NULL DEFAULT 0,
    "last_round_at" TIMESTAMPTZ(3),
    "last_checked_at" TIMESTAMPTZ(3),
    "last_status" INTEGER,
    "last_response_ms" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "monitors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "check_results" (
    "id" TEXT NOT NULL,
    "monitor_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "tick" TIMESTAMPTZ(3) NOT NULL,
    "checked_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "CheckOutcome" NOT NULL,
    "response_ms" INTEGER,
    "http_status" INTEGER,
    "error" TEXT,
    "message" TEXT,
    "details" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "check_results_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "check_rollups" (
    "monitor_id" TEXT NOT NULL,
    "span" INTEGER NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "checks" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "degraded" INTEGER NOT NULL DEFAULT 0,
    "response_sum_ms" BIGINT NOT NULL DEFAULT 0,
    "response_count" INTEGER NOT NULL DEFAULT 0,
    "histogram" INTEGER[],

    CONSTRAINT "check_rollups_pkey" PRIMARY KEY ("monitor_id","span","bucket")
);

-- CreateTable
CREATE TABLE "monitor_events" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "monitor_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "from_status" "MonitorStatus" NOT NULL,
    "to_status" "MonitorStatus" NOT NULL,
    "tick" TIMESTAMPTZ(3) NOT NULL,
    "cause" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "monitor_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "monitors_heartbeat_token_key" ON "monitors"("heartbeat_token");

-- CreateIndex
CREATE INDEX "monitors_organization_id_id_idx" ON "monitors"("organization_id", "id");

-- CreateIndex
CREATE INDEX "monitors_deleted_at_paused_idx" ON "monitors"("deleted_at", "paused");

-- CreateIndex
CREATE INDEX "check_results_monitor_id_id_idx" ON "check_results"("monitor_id", "id");

-- CreateIndex
CREATE INDEX "check_results_monitor_id_tick_idx" ON "check_results"("monitor_id", "tick");

-- CreateIndex
CREATE UNIQUE INDEX "check_results_monitor_id_region_tick_key" ON "check_results"("monitor_id", "region", "tick");

-- CreateIndex
CREATE INDEX "monitor_events_processed_at_idx" ON "monitor_events"("processed_at");

-- CreateIndex
CREATE INDEX "monitor_events_monitor_id_id_idx" ON "monitor_events"("monitor_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "monitor_events_monitor_id_tick_type_key" ON "monitor_events"("monitor_id", "tick", "type");

-- AddForeignKey
ALTER TABLE "monitors" ADD CONSTRAINT "monitors_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "check_results" ADD CONSTRAINT "check_results_monitor_id_fkey" FOREIGN KEY ("monitor_id") REFERENCES "monitors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "monitor_events" ADD CONSTRAINT "monitor_events_monitor_id_fkey" FOREIGN KEY ("monitor_id") REFERENCES "monitors"("id") ON DELETE CASCADE ON UPDATE CASCADE;
