-- CreateTable
CREATE TABLE "slack_request_signatures" (
    "signature" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slack_request_signatures_pkey" PRIMARY KEY ("signature")
);

-- CreateIndex
CREATE INDEX "slack_request_signatures_received_at_idx" ON "slack_request_signatures"("received_at");
