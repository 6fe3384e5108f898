-- CreateTable
CREATE TABLE "event_sources" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'segment',
    "write_key_hash" TEXT,
    "write_key_prefix" TEXT,
    "signing_secret" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "event_sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "source_id" INTEGER NOT NULL,
    "message_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "event" TEXT,
    "user_id" TEXT,
    "anonymous_id" TEXT,
    "user_key" TEXT NOT NULL,
    "group_id" TEXT,
    "account_id" INTEGER,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "properties" JSONB,
    "context" JSONB,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_user_accounts" (
    "user_key" TEXT NOT NULL,
    "account_id" INTEGER NOT NULL,
    "linked_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "event_user_accounts_pkey" PRIMARY KEY ("user_key","account_id")
);

-- CreateTable
CREATE TABLE "event_accounts" (
    "account_id" INTEGER NOT NULL,
    "first_event_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_accounts_pkey" PRIMARY KEY ("account_id")
);

-- CreateTable
CREATE TABLE "derived_metrics" (
    "metric_key" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "derived_metrics_pkey" PRIMARY KEY ("metric_key")
);

-- CreateTable
CREATE TABLE "derivation_state" (
    "id" INTEGER NOT NULL,
    "as_of" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "definitions_hash" TEXT NOT NULL,

    CONSTRAINT "derivation_state_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "event_sources_write_key_hash_key" ON "event_sources"("write_key_hash");

-- CreateIndex
CREATE INDEX "events_account_id_event_timestamp_idx" ON "events"("account_id", "event", "timestamp");

-- CreateIndex
CREATE INDEX "events_event_timestamp_idx" ON "events"("event", "timestamp");

-- CreateIndex
CREATE INDEX "events_timestamp_idx" ON "events"("timestamp");

-- CreateIndex
CREATE UNIQUE INDEX "events_source_id_message_id_key" ON "events"("source_id", "message_id");

-- CreateIndex
CREATE INDEX "event_user_accounts_user_key_linked_at_idx" ON "event_user_accounts"("user_key", "linked_at");

-- CreateIndex
CREATE INDEX "event_accounts_changed_at_idx" ON "event_accounts"("changed_at");

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "event_sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_user_accounts" ADD CONSTRAINT "event_user_accounts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_accounts" ADD CONSTRAINT "event_accounts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "derived_metrics" ADD CONSTRAINT "derived_metrics_metric_key_fkey" FOREIGN KEY ("metric_key") REFERENCES "metric_definitions"("key") ON DELETE CASCADE ON UPDATE CASCADE;

-- Waiting events (not attributed yet): a group call finds them by user or by
-- the account they name, without indexing every attributed event as well.
CREATE INDEX "events_waiting_user_idx" ON "events" ("user_key") WHERE "account_id" IS NULL;
CREATE INDEX "events_waiting_group_idx" ON "events" ("group_id") WHERE "account_id" IS NULL;
