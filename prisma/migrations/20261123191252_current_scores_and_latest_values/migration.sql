-- AlterTable
ALTER TABLE "metric_definitions" ADD COLUMN     "max_value" DOUBLE PRECISION,
ADD COLUMN     "min_value" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "model_measures" ADD COLUMN     "group" TEXT;

-- AlterTable
ALTER TABLE "alerts" ADD COLUMN     "baseline_snapshot_id" BIGINT;

-- CreateTable
CREATE TABLE "metric_latest" (
    "account_id" INTEGER NOT NULL,
    "metric_key" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "observed_at" TIMESTAMPTZ(3) NOT NULL,
    "note" TEXT,
    "author_slack_user_id" TEXT,

    CONSTRAINT "metric_latest_pkey" PRIMARY KEY ("account_id","metric_key")
);

-- CreateTable
CREATE TABLE "account_scores" (
    "account_id" INTEGER NOT NULL,
    "snapshot_id" BIGINT NOT NULL,
    "as_of" TIMESTAMPTZ(3) NOT NULL,
    "score" DOUBLE PRECISION,
    "band" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,

    CONSTRAINT "account_scores_pkey" PRIMARY KEY ("account_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_scores_snapshot_id_key" ON "account_scores"("snapshot_id");

-- CreateIndex
CREATE INDEX "account_scores_band_score_idx" ON "account_scores"("band", "score");

-- AddForeignKey
ALTER TABLE "metric_latest" ADD CONSTRAINT "metric_latest_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_latest" ADD CONSTRAINT "metric_latest_metric_key_fkey" FOREIGN KEY ("metric_key") REFERENCES "metric_definitions"("key") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_scores" ADD CONSTRAINT "account_scores_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_scores" ADD CONSTRAINT "account_scores_snapshot_id_fkey" FOREIGN KEY ("snapshot_id") REFERENCES "score_snapshots"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "score_runs_as_of_idx" ON "score_runs"("as_of");

-- AlterTable
ALTER TABLE "score_snapshots" ALTER COLUMN "components" SET DATA TYPE JSON;

-- metric_latest is kept by the database itself, so no writer (ingestion, Slack
-- sentiment, demo, a hand-run psql INSERT) can leave it behind. Statement-level
-- triggers with transition tables: one set-based upsert per statement, not a
-- trigger call per row, so bulk ingestion stays set-based.
CREATE FUNCTION metric_latest_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO metric_latest AS l (account_id, metric_key, value, observed_at, note, author_slack_user_id)
  SELECT DISTINCT ON (account_id, metric_key) account_id, metric_key, value, observed_at, note, author_slack_user_id
  FROM inserted_rows
  ORDER BY account_id, metric_key, observed_at DESC
  ON CONFLICT (account_id, metric_key) DO UPDATE
    SET value = EXCLUDED.value, observed_at = EXCLUDED.observed_at, note = EXCLUDED.note, author_slack_user_id = EXCLUDED.author_slack_user_id
    WHERE EXCLUDED.observed_at >= l.observed_at;
  RETURN NULL;
END $$;

-- Updates and deletes can move the newest value in any direction (a corrected
-- value, an observation re-dated or removed): re-derive the touched pairs from
-- the history, which the unique (account_id, metric_key, observed_at) index serves.
CREATE FUNCTION metric_latest_refresh(pairs_account int[], pairs_metric text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM metric_latest l
  USING unnest(pairs_account, pairs_metric) AS p(account_id, metric_key)
  WHERE l.account_id = p.account_id AND l.metric_key = p.metric_key;
  INSERT INTO metric_latest (account_id, metric_key, value, observed_at, note, author_slack_user_id)
  SELECT o.account_id, o.metric_key, o.value, o.observed_at, o.note, o.author_slack_user_id
  FROM (SELECT DISTINCT account_id, metric_key FROM unnest(pairs_account, pairs_metric) AS p(account_id, metric_key)) p
  CROSS JOIN LATERAL (
    SELECT * FROM metric_observations m
    WHERE m.account_id = p.account_id AND m.metric_key = p.metric_key
    ORDER BY m.observed_at DESC LIMIT 1
  ) o;
END $$;

CREATE FUNCTION metric_latest_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM metric_latest_refresh(
    (SELECT array_agg(account_id) FROM (SELECT account_id FROM old_rows UNION ALL SELECT account_id FROM new_rows) x),
    (SELECT array_agg(metric_key) FROM (SELECT metric_key FROM old_rows UNION ALL SELECT metric_key FROM new_rows) x));
  RETURN NULL;
END $$;

CREATE FUNCTION metric_latest_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM metric_latest_refresh((SELECT array_agg(account_id) FROM old_rows), (SELECT array_agg(metric_key) FROM old_rows));
  RETURN NULL;
END $$;

CREATE TRIGGER metric_observations_latest_insert AFTER INSERT ON metric_observations
  REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION metric_latest_after_insert();
CREATE TRIGGER metric_observations_latest_update AFTER UPDATE ON metric_observations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION metric_latest_after_update();
CREATE TRIGGER metric_observations_latest_delete AFTER DELETE ON metric_observations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION metric_latest_after_delete();

-- Existing databases: derive both tables from what is already stored.
INSERT INTO metric_latest (account_id, metric_key, value, observed_at, note, author_slack_user_id)
SELECT DISTINCT ON (account_id, metric_key) account_id, metric_key, value, observed_at, note, author_slack_user_id
FROM metric_observations
ORDER BY account_id, metric_key, observed_at DESC;

-- An empty fingerprint never matches, so the next recomputation writes a fresh snapshot.
INSERT INTO account_scores (account_id, snapshot_id, as_of, score, band, fingerprint)
SELECT DISTINCT ON (account_id) account_id, id, as_of, score, band, ''
FROM score_snapshots
ORDER BY account_id, as_of DESC;

-- Account lookups match external ids case-insensitively (/health, CSV and API references).
CREATE INDEX "accounts_lower_external_id_idx" ON "accounts" (lower("external_id"));
