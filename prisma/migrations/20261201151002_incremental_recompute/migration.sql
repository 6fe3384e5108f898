-- AlterTable
ALTER TABLE "score_runs" ADD COLUMN     "accounts_computed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "inputs_fingerprint" TEXT,
ADD COLUMN     "mode" TEXT;

-- CreateTable
CREATE TABLE "score_changes" (
    "seq" BIGSERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,

    CONSTRAINT "score_changes_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "metric_latest_metric_key_observed_at_idx" ON "metric_latest"("metric_key", "observed_at");

-- CreateIndex
CREATE INDEX "score_runs_mode_as_of_idx" ON "score_runs"("mode", "as_of");

-- The change log an incremental tick reads: whoever writes observations or the
-- account fields scoring depends on, the database notes the account. Statement
-- level, one row per account per statement, so bulk ingestion stays set-based.
CREATE FUNCTION score_changes_from_observations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO score_changes (account_id) SELECT DISTINCT account_id FROM changed_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION score_changes_from_observation_updates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO score_changes (account_id)
  SELECT account_id FROM old_rows UNION SELECT account_id FROM new_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION score_changes_from_new_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO score_changes (account_id) SELECT id FROM changed_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION score_changes_from_removed_scores() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO score_changes (account_id) SELECT account_id FROM changed_rows;
  RETURN NULL;
END $$;

CREATE FUNCTION score_changes_from_account_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO score_changes (account_id) VALUES (NEW.id);
  RETURN NULL;
END $$;

CREATE TRIGGER metric_observations_score_changes_insert AFTER INSERT ON metric_observations
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION score_changes_from_observations();
CREATE TRIGGER metric_observations_score_changes_update AFTER UPDATE ON metric_observations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION score_changes_from_observation_updates();
CREATE TRIGGER metric_observations_score_changes_delete AFTER DELETE ON metric_observations
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION score_changes_from_observations();
CREATE TRIGGER accounts_score_changes_insert AFTER INSERT ON accounts
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION score_changes_from_new_accounts();
-- A current score removed (e.g. the demo reloading its accounts): that account must be scored again.
CREATE TRIGGER account_scores_score_changes_delete AFTER DELETE ON account_scores
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION score_changes_from_removed_scores();
-- Row level: transition tables cannot go with a column list, and account edits are few.
CREATE TRIGGER accounts_score_changes_update AFTER UPDATE OF segment, renewal_date, churned_on ON accounts
  FOR EACH ROW WHEN (OLD.segment IS DISTINCT FROM NEW.segment OR OLD.renewal_date IS DISTINCT FROM NEW.renewal_date OR OLD.churned_on IS DISTINCT FROM NEW.churned_on)
  EXECUTE FUNCTION score_changes_from_account_update();
