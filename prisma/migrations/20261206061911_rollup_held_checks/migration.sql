-- AlterTable
ALTER TABLE "check_rollups" ADD COLUMN     "held_checks" INTEGER,
ADD COLUMN     "held_failed" INTEGER;
