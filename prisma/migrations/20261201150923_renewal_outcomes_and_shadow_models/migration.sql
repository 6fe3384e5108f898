-- CreateTable
CREATE TABLE "renewal_outcomes" (
    "id" SERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "renewal_date" DATE NOT NULL,
    "outcome" TEXT NOT NULL,
    "arr" DOUBLE PRECISION,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "renewal_outcomes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shadow_models" (
    "id" SERIAL NOT NULL,
    "model_key" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "created_by" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "stopped_at" TIMESTAMPTZ(3),

    CONSTRAINT "shadow_models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shadow_scores" (
    "shadow_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "as_of" TIMESTAMPTZ(3) NOT NULL,
    "score" DOUBLE PRECISION,
    "band" TEXT NOT NULL,

    CONSTRAINT "shadow_scores_pkey" PRIMARY KEY ("shadow_id","account_id")
);

-- CreateIndex
CREATE INDEX "renewal_outcomes_renewal_date_idx" ON "renewal_outcomes"("renewal_date");

-- CreateIndex
CREATE UNIQUE INDEX "renewal_outcomes_account_id_renewal_date_key" ON "renewal_outcomes"("account_id", "renewal_date");

-- CreateIndex
CREATE INDEX "shadow_models_model_key_ends_at_idx" ON "shadow_models"("model_key", "ends_at");

-- CreateIndex
CREATE INDEX "shadow_scores_account_id_idx" ON "shadow_scores"("account_id");

-- AddForeignKey
ALTER TABLE "renewal_outcomes" ADD CONSTRAINT "renewal_outcomes_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shadow_scores" ADD CONSTRAINT "shadow_scores_shadow_id_fkey" FOREIGN KEY ("shadow_id") REFERENCES "shadow_models"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shadow_scores" ADD CONSTRAINT "shadow_scores_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
