-- CreateTable
CREATE TABLE "account_aliases" (
    "id" SERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_aliases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "connector_syncs" (
    "provider" TEXT NOT NULL,
    "cursor" TEXT,
    "applied" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "connector_syncs_pkey" PRIMARY KEY ("provider")
);

-- CreateIndex
CREATE INDEX "account_aliases_account_id_idx" ON "account_aliases"("account_id");

-- CreateIndex
CREATE UNIQUE INDEX "account_aliases_kind_value_key" ON "account_aliases"("kind", "value");

-- AddForeignKey
ALTER TABLE "account_aliases" ADD CONSTRAINT "account_aliases_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
