// A run that re-scores more accounts than a statement may carry bind
// parameters (32,767) — e.g. every account after a model change — must not
// trip over a per-id parameter list anywhere on its path, alerts included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRunAlerts } from '../../../src/alerts/record-run-alerts.js';
import type { Database } from '../../../src/db/database.js';
import { createLogger } from '../../../src/logger.js';
import { ensureCatalogueAndModels } from '../../../src/models/model-store.js';
import { recomputeScores } from '../../../src/scoring-run/recompute.js';
import { createTestDatabase } from '../../support/databases.js';

const ACCOUNTS = 33_000;
const asOf = new Date('2026-11-01T12:00:00Z');

describe('a run over 33,000 accounts (postgres)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    await ensureCatalogueAndModels(db.prisma);
    await db.prisma.$executeRaw`
      INSERT INTO accounts (external_id, name, name_key, updated_at)
      SELECT 'L-' || i, 'Large ' || i, 'large ' || i, now() FROM generate_series(1, ${ACCOUNTS}::int) AS i`;
    // Two measures each: under the default model's minimum completeness, so the
    // accounts are "insufficient data" — still snapshotted, and still passed
    // through the alert rules' history queries.
    await db.prisma.$executeRaw`
      INSERT INTO metric_observations (account_id, metric_key, value, observed_at, source, updated_at)
      SELECT a.id, m.k, (a.id % 7)::float8, ${asOf}::timestamptz - interval '1 day', 'test', now()
      FROM accounts a CROSS JOIN unnest(ARRAY['orders_30d', 'logins_30d']) AS m(k)`;
  }, 120_000);
  afterAll(async () => {
    await db.close();
  });

  it('scores, snapshots and judges every account in one run', async () => {
    const result = await recomputeScores({ db, clock: () => asOf, logger: createLogger({ level: 'error' }) }, { trigger: 'cli', asOf, afterSnapshots: recordRunAlerts() });
    expect(result).toMatchObject({ accountsScored: ACCOUNTS, snapshotsWritten: ACCOUNTS });
    expect(await db.prisma.accountScore.count()).toBe(ACCOUNTS);
  }, 120_000);
});
