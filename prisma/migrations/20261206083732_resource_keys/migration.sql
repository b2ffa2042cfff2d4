-- AlterTable
ALTER TABLE "escalation_policies" ADD COLUMN     "key" TEXT;

-- AlterTable
ALTER TABLE "maintenance_windows" ADD COLUMN     "key" TEXT;

-- AlterTable
ALTER TABLE "monitors" ADD COLUMN     "key" TEXT;

-- AlterTable
ALTER TABLE "notification_channels" ADD COLUMN     "key" TEXT;

-- AlterTable
ALTER TABLE "notification_rules" ADD COLUMN     "key" TEXT;

-- AlterTable
ALTER TABLE "status_pages" ADD COLUMN     "key" TEXT;

-- A key is unique per organization among live rows (a soft-deleted row frees its key). Raw SQL: Prisma's
-- schema cannot declare a partial index (see the comment on Monitor.key). The index also serves `?key=`.
CREATE UNIQUE INDEX "monitors_key_per_organization" ON "monitors"("organization_id", "key") WHERE "key" IS NOT NULL AND "deleted_at" IS NULL;
CREATE UNIQUE INDEX "notification_channels_key_per_organization" ON "notification_channels"("organization_id", "key") WHERE "key" IS NOT NULL AND "deleted_at" IS NULL;
CREATE UNIQUE INDEX "escalation_policies_key_per_organization" ON "escalation_policies"("organization_id", "key") WHERE "key" IS NOT NULL AND "deleted_at" IS NULL;
CREATE UNIQUE INDEX "notification_rules_key_per_organization" ON "notification_rules"("organization_id", "key") WHERE "key" IS NOT NULL;
CREATE UNIQUE INDEX "maintenance_windows_key_per_organization" ON "maintenance_windows"("organization_id", "key") WHERE "key" IS NOT NULL;
CREATE UNIQUE INDEX "status_pages_key_per_organization" ON "status_pages"("organization_id", "key") WHERE "key" IS NOT NULL;
