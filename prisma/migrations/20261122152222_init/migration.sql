-- CreateTable
CREATE TABLE "accounts" (
    "id" SERIAL NOT NULL,
    "external_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_key" TEXT NOT NULL,
    "domain" TEXT,
    "segment" TEXT,
    "slack_channel_id" TEXT,
    "owner_slack_user_id" TEXT,
    "arr" DOUBLE PRECISION,
    "renewal_date" DATE,
    "customer_since" DATE,
    "churned_on" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_definitions" (
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "freshness_days" INTEGER NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "built_in" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metric_definitions_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "metric_observations" (
    "id" BIGSERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "metric_key" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "observed_at" TIMESTAMPTZ(3) NOT NULL,
    "note" TEXT,
    "author_slack_user_id" TEXT,
    "source" TEXT NOT NULL DEFAULT 'api',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metric_observations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "health_models" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "segment" TEXT,
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "current_version_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "health_models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "health_model_versions" (
    "id" SERIAL NOT NULL,
    "model_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "healthy_min" DOUBLE PRECISION NOT NULL,
    "watch_min" DOUBLE PRECISION NOT NULL,
    "at_risk_min" DOUBLE PRECISION NOT NULL,
    "min_completeness" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    "alert_config" JSONB NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "health_model_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_measures" (
    "id" SERIAL NOT NULL,
    "version_id" INTEGER NOT NULL,
    "metric_key" TEXT NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL,
    "good" DOUBLE PRECISION NOT NULL,
    "poor" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "model_measures_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "score_runs" (
    "id" SERIAL NOT NULL,
    "trigger" TEXT NOT NULL,
    "as_of" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "accounts_scored" INTEGER NOT NULL DEFAULT 0,
    "alerts_opened" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "score_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "score_snapshots" (
    "id" BIGSERIAL NOT NULL,
    "run_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "model_version_id" INTEGER NOT NULL,
    "as_of" TIMESTAMPTZ(3) NOT NULL,
    "score" DOUBLE PRECISION,
    "band" TEXT NOT NULL,
    "completeness" DOUBLE PRECISION NOT NULL,
    "components" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "score_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" SERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "open_key" INTEGER,
    "state" TEXT NOT NULL,
    "triggers" JSONB NOT NULL,
    "reason" JSONB NOT NULL,
    "band" TEXT NOT NULL,
    "score" DOUBLE PRECISION,
    "baseline_score" DOUBLE PRECISION,
    "opened_snapshot_id" BIGINT,
    "last_snapshot_id" BIGINT,
    "slack_channel_id" TEXT,
    "slack_ts" TEXT,
    "claimed_by" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "resolved_by" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "escalated_at" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "outcome_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slack_outbox" (
    "id" BIGSERIAL NOT NULL,
    "alert_id" INTEGER,
    "kind" TEXT NOT NULL,
    "channel_id" TEXT,
    "payload" JSONB NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "slack_ts" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slack_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "accounts_external_id_key" ON "accounts"("external_id");

-- CreateIndex
CREATE INDEX "accounts_name_key_idx" ON "accounts"("name_key");

-- CreateIndex
CREATE INDEX "accounts_domain_idx" ON "accounts"("domain");

-- CreateIndex
CREATE INDEX "accounts_owner_slack_user_id_idx" ON "accounts"("owner_slack_user_id");

-- CreateIndex
CREATE INDEX "metric_observations_metric_key_observed_at_idx" ON "metric_observations"("metric_key", "observed_at");

-- CreateIndex
CREATE UNIQUE INDEX "metric_observations_account_id_metric_key_observed_at_key" ON "metric_observations"("account_id", "metric_key", "observed_at");

-- CreateIndex
CREATE UNIQUE INDEX "health_models_key_key" ON "health_models"("key");

-- CreateIndex
CREATE UNIQUE INDEX "health_models_segment_key" ON "health_models"("segment");

-- CreateIndex
CREATE UNIQUE INDEX "health_models_current_version_id_key" ON "health_models"("current_version_id");

-- CreateIndex
CREATE UNIQUE INDEX "health_model_versions_model_id_version_key" ON "health_model_versions"("model_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "model_measures_version_id_metric_key_key" ON "model_measures"("version_id", "metric_key");

-- CreateIndex
CREATE INDEX "score_runs_started_at_idx" ON "score_runs"("started_at");

-- CreateIndex
CREATE INDEX "score_snapshots_run_id_idx" ON "score_snapshots"("run_id");

-- CreateIndex
CREATE UNIQUE INDEX "score_snapshots_account_id_as_of_key" ON "score_snapshots"("account_id", "as_of");

-- CreateIndex
CREATE UNIQUE INDEX "alerts_open_key_key" ON "alerts"("open_key");

-- CreateIndex
CREATE INDEX "alerts_account_id_created_at_idx" ON "alerts"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "alerts_state_idx" ON "alerts"("state");

-- CreateIndex
CREATE INDEX "alerts_slack_channel_id_slack_ts_idx" ON "alerts"("slack_channel_id", "slack_ts");

-- CreateIndex
CREATE UNIQUE INDEX "slack_outbox_idempotency_key_key" ON "slack_outbox"("idempotency_key");

-- CreateIndex
CREATE INDEX "slack_outbox_status_next_attempt_at_idx" ON "slack_outbox"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "slack_outbox_channel_id_idx" ON "slack_outbox"("channel_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_at_idx" ON "audit_log"("entity_type", "entity_id", "at");

-- AddForeignKey
ALTER TABLE "metric_observations" ADD CONSTRAINT "metric_observations_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_observations" ADD CONSTRAINT "metric_observations_metric_key_fkey" FOREIGN KEY ("metric_key") REFERENCES "metric_definitions"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "health_models" ADD CONSTRAINT "health_models_current_version_id_fkey" FOREIGN KEY ("current_version_id") REFERENCES "health_model_versions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "health_model_versions" ADD CONSTRAINT "health_model_versions_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "health_models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_measures" ADD CONSTRAINT "model_measures_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "health_model_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_measures" ADD CONSTRAINT "model_measures_metric_key_fkey" FOREIGN KEY ("metric_key") REFERENCES "metric_definitions"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "score_snapshots" ADD CONSTRAINT "score_snapshots_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "score_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "score_snapshots" ADD CONSTRAINT "score_snapshots_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "score_snapshots" ADD CONSTRAINT "score_snapshots_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "health_model_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slack_outbox" ADD CONSTRAINT "slack_outbox_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
