-- AlterTable
ALTER TABLE "event_sources" ADD COLUMN     "last_error" TEXT,
ADD COLUMN     "last_error_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_message_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "event_source_activity" (
    "source_id" INTEGER NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "accepted" INTEGER NOT NULL DEFAULT 0,
    "refused" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "event_source_activity_pkey" PRIMARY KEY ("source_id","minute")
);

-- AddForeignKey
ALTER TABLE "event_source_activity" ADD CONSTRAINT "event_source_activity_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "event_sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;
