-- DropIndex
DROP INDEX "status_pages_custom_domain_key";

-- AlterTable
ALTER TABLE "status_pages" ADD COLUMN     "custom_domain_checked_at" TIMESTAMPTZ(3),
ADD COLUMN     "custom_domain_token" TEXT,
ADD COLUMN     "custom_domain_verified_at" TIMESTAMPTZ(3);

-- Only verified claims are unique: an unverified claim never blocks another organization's (raw SQL:
-- Prisma's schema cannot declare a partial index, see the comment on StatusPage.customDomain).
CREATE UNIQUE INDEX "status_pages_verified_custom_domain_key" ON "status_pages"("custom_domain") WHERE "custom_domain_verified_at" IS NOT NULL;
