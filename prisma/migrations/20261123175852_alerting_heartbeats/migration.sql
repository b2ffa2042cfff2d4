-- CreateEnum
CREATE TYPE "PingKind" AS ENUM ('success', 'start', 'fail');

-- CreateEnum
CREATE TYPE "ChannelType" AS ENUM ('webhook', 'slack', 'discord', 'email');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('pending', 'succeeded', 'failed');

-- AlterTable
ALTER TABLE "monitor_events" ADD COLUMN     "notified_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "monitors" ADD COLUMN     "heartbeat_deadline_at" TIMESTAMPTZ(3),
ADD COLUMN     "heartbeat_last_ping_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "heartbeat_pings" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "monitor_id" TEXT NOT NULL,
    "kind" "PingKind" NOT NULL,
    "exit_code" INTEGER,
    "rid" TEXT,
    "duration_ms" INTEGER,
    "method" TEXT NOT NULL,
    "source_ip" TEXT,
    "user_agent" TEXT,
    "body" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "heartbeat_pings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "heartbeat_runs" (
    "id" TEXT NOT NULL,
    "monitor_id" TEXT NOT NULL,
    "rid" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "heartbeat_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_channels" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" "ChannelType" NOT NULL,
    "config" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_rules" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "events" TEXT[],
    "monitor_ids" TEXT[],
    "tags" TEXT[],
    "channel_ids" TEXT[],
    "escalation_policy_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escalation_policies" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "steps" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "escalation_policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_escalations" (
    "incident_id" TEXT NOT NULL,
    "policy_id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "steps" JSONB NOT NULL,
    "next_step" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "stopped_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_escalations_pkey" PRIMARY KEY ("incident_id","policy_id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "incident_id" TEXT,
    "monitor_id" TEXT,
    "payload" JSONB NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_deliveries" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "notification_id" TEXT,
    "channel_id" TEXT NOT NULL,
    "incident_id" TEXT,
    "event" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" "NotificationStatus" NOT NULL,
    "response_status" INTEGER,
    "error" TEXT,
    "duration_ms" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "heartbeat_pings_monitor_id_id_idx" ON "heartbeat_pings"("monitor_id", "id");

-- CreateIndex
CREATE INDEX "heartbeat_runs_monitor_id_finished_at_started_at_idx" ON "heartbeat_runs"("monitor_id", "finished_at", "started_at");

-- CreateIndex
CREATE INDEX "notification_channels_organization_id_id_idx" ON "notification_channels"("organization_id", "id");

-- CreateIndex
CREATE INDEX "notification_rules_organization_id_id_idx" ON "notification_rules"("organization_id", "id");

-- CreateIndex
CREATE INDEX "escalation_policies_organization_id_id_idx" ON "escalation_policies"("organization_id", "id");

-- CreateIndex
CREATE INDEX "incident_escalations_stopped_at_idx" ON "incident_escalations"("stopped_at");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_dedupe_key_key" ON "notifications"("dedupe_key");

-- CreateIndex
CREATE INDEX "notifications_status_next_attempt_at_idx" ON "notifications"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "notifications_organization_id_id_idx" ON "notifications"("organization_id", "id");

-- CreateIndex
CREATE INDEX "notification_deliveries_organization_id_id_idx" ON "notification_deliveries"("organization_id", "id");

-- CreateIndex
CREATE INDEX "notification_deliveries_organization_id_channel_id_id_idx" ON "notification_deliveries"("organization_id", "channel_id", "id");

-- CreateIndex
CREATE INDEX "notification_deliveries_organization_id_incident_id_id_idx" ON "notification_deliveries"("organization_id", "incident_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "notification_deliveries_notification_id_attempt_key" ON "notification_deliveries"("notification_id", "attempt");

-- CreateIndex
CREATE INDEX "monitor_events_notified_at_idx" ON "monitor_events"("notified_at");

-- CreateIndex
CREATE INDEX "monitors_heartbeat_deadline_at_idx" ON "monitors"("heartbeat_deadline_at");

-- AddForeignKey
ALTER TABLE "heartbeat_pings" ADD CONSTRAINT "heartbeat_pings_monitor_id_fkey" FOREIGN KEY ("monitor_id") REFERENCES "monitors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "heartbeat_runs" ADD CONSTRAINT "heartbeat_runs_monitor_id_fkey" FOREIGN KEY ("monitor_id") REFERENCES "monitors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_rules" ADD CONSTRAINT "notification_rules_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalation_policies" ADD CONSTRAINT "escalation_policies_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE CASCADE ON UPDATE CASCADE;
