// Incremental ticks are a shortcut, never a different answer: two databases of
// the same kind receive the same random writes (observations new, late,
// future-dated, corrected and deleted; account segment, renewal and churn
// changes; new accounts; model and freshness changes; runs for a few listed
// accounts; scores removed) and the same clock; one ticks incrementally, the other always in
// full. After every tick both hold exactly the same current scores, snapshots,
// alerts and queued Slack messages.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRunAlerts } from '../../../src/alerts/record-run-alerts.js';
import type { Database } from '../../../src/db/database.js';
import { createLogger } from '../../../src/logger.js';
import { ensureCatalogueAndModels, loadActiveModels, saveModelVersion, stripVersion } from '../../../src/models/model-store.js';
import { recomputeScores } from '../../../src/scoring-run/recompute.js';
import { createTestDatabase, DATABASE_KINDS } from '../../support/databases.js';

const MIN = 60_000;
const DAY = 86_400_000;
const logger = createLogger({ level: 'error' });
const START = new Date('2026-11-02T00:05:00Z');
const ACCOUNTS = 5;

const METRICS: Record<string, [number, number]> = {
  orders_30d: [0, 40], logins_30d: [0, 400], nps: [-100, 100], csat: [40, 100], open_support_tickets: [0, 20],
  feature_adoption_pct: [0, 100], csm_sentiment: [1, 5], days_to_renewal: [0, 400], days_since_last_contact: [0, 90],
};
const metricKey = fc.constantFrom(...Object.keys(METRICS));
const account = fc.integer({ min: 1, max: ACCOUNTS + 2 });

type Op =
  | { kind: 'observe'; account: number; metric: string; value: number; minutesFromNow: number }
  | { kind: 'correct'; account: number; metric: string; value: number }
  | { kind: 'delete'; account: number; metric: string }
  | { kind: 'segment'; account: number; segment: string | null }
  | { kind: 'renewal'; account: number; days: number | null }
  | { kind: 'churn'; account: number; days: number | null }
  | { kind: 'newAccount' }
  | { kind: 'model'; weight: number }
  | { kind: 'freshness'; metric: string; days: number }
  | { kind: 'scoped'; accounts: number[] }
  | { kind: 'dropScores'; account: number }
  | { kind: 'advance'; minutes: number }
  | { kind: 'tick' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('observe' as const), account, metric: metricKey, value: fc.integer({ min: 0, max: 100 }),
    // Mostly recent; some late (weeks back), some near the look-back edge, a few dated in the future.
    minutesFromNow: fc.oneof(fc.integer({ min: -3 * 24 * 60, max: 0 }), fc.integer({ min: -60 * 24 * 60, max: 0 }), fc.integer({ min: -366 * 24 * 60, max: -360 * 24 * 60 }), fc.integer({ min: 1, max: 2 * 24 * 60 })) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('correct' as const), account, metric: metricKey, value: fc.integer({ min: 0, max: 100 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), account, metric: metricKey }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('segment' as const), account, segment: fc.constantFrom(null, 'enterprise', 'smb', 'nonexistent') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('renewal' as const), account, days: fc.option(fc.integer({ min: -10, max: 400 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('churn' as const), account, days: fc.option(fc.integer({ min: -3, max: 3 })) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'newAccount' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('model' as const), weight: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('freshness' as const), metric: metricKey, days: fc.integer({ min: 1, max: 120 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('scoped' as const), accounts: fc.array(account, { minLength: 1, maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropScores' as const), account }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('advance' as const), minutes: fc.constantFrom(15, 15, 60, 6 * 60, 24 * 60, 7 * 24 * 60, 31 * 24 * 60) }) },
  { weight: 5, arbitrary: fc.constant({ kind: 'tick' as const }) },
);

/** One database's side of the experiment, with its own clock. */
class Side {
  now = START;
  constructor(readonly db: Database, readonly full: boolean) {}

  async reset(): Promise<void> {
    this.now = START;
    await this.db.prisma.$executeRawUnsafe('TRUNCATE accounts, score_runs, score_changes, alerts, slack_outbox RESTART IDENTITY CASCADE');
    for (let i = 1; i <= ACCOUNTS; i += 1) await this.addAccount(i);
  }

  private async addAccount(n: number): Promise<void> {
    await this.db.prisma.account.create({ data: { externalId: `A${n}`, name: `Account ${n}`, nameKey: `account ${n}`, slackChannelId: `C${n}` } });
  }

  async apply(o: Op): Promise<void> {
    const p = this.db.prisma;
    const newest = (a: number, metric: string) => p.metricObservation.findFirst({ where: { accountId: a, metricKey: metric }, orderBy: { observedAt: 'desc' } });
    switch (o.kind) {
      case 'observe': {
        const [min, max] = METRICS[o.metric] ?? [0, 100];
        const value = min + ((max - min) * o.value) / 100;
        if (!(await p.account.findUnique({ where: { id: o.account } }))) return;
        await p.$executeRaw`INSERT INTO metric_observations (account_id, metric_key, value, observed_at, source)
          VALUES (${o.account}, ${o.metric}, ${value}, ${new Date(this.now.getTime() + o.minutesFromNow * MIN)}, 'test')
          ON CONFLICT (account_id, metric_key, observed_at) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`;
        return;
      }
      case 'correct': {
        const row = await newest(o.account, o.metric);
        const [min, max] = METRICS[o.metric] ?? [0, 100];
        if (row) await p.metricObservation.update({ where: { id: row.id }, data: { value: min + ((max - min) * o.value) / 100 } });
        return;
      }
      case 'delete': {
        const row = await newest(o.account, o.metric);
        if (row) await p.metricObservation.delete({ where: { id: row.id } });
        return;
      }
      case 'segment':
        await p.account.updateMany({ where: { id: o.account }, data: { segment: o.segment } });
        return;
      case 'renewal':
        await p.account.updateMany({ where: { id: o.account }, data: { renewalDate: o.days === null ? null : new Date(Math.floor(this.now.getTime() / DAY) * DAY + o.days * DAY) } });
        return;
      case 'churn':
        await p.account.updateMany({ where: { id: o.account }, data: { churnedOn: o.days === null ? null : new Date(Math.floor(this.now.getTime() / DAY) * DAY + o.days * DAY) } });
        return;
      case 'newAccount':
        await this.addAccount((await p.account.count()) + 1);
        return;
      case 'model': {
        const current = (await loadActiveModels(p)).forSegment(null);
        const measures = current.measures.map((m) => (m.metricKey === 'orders_30d' ? { ...m, weight: o.weight } : m));
        await saveModelVersion(p, { definition: { ...stripVersion(current), measures }, actor: 'test', note: 'weight' });
        return;
      }
      case 'freshness':
        await p.metricDefinition.update({ where: { key: o.metric }, data: { freshnessDays: o.days } });
        return;
      case 'scoped':
        await recomputeScores({ db: this.db, clock: () => this.now, logger }, { trigger: 'sentiment', asOf: this.now, accountIds: o.accounts, afterSnapshots: recordRunAlerts() });
        return;
      case 'dropScores':
        // As the demo does when it reloads its accounts: their history and current score go.
        await p.$executeRaw`DELETE FROM score_snapshots WHERE account_id = ${o.account}`;
        return;
      case 'advance':
        this.now = new Date(this.now.getTime() + o.minutes * MIN);
        return;
      case 'tick':
        await this.tick();
        return;
    }
  }

  async tick() {
    return recomputeScores(
      { db: this.db, clock: () => this.now, logger },
      { trigger: 'schedule', asOf: this.now, afterSnapshots: recordRunAlerts({ fallbackChannelId: 'CFALLBACK' }), ...(this.full ? { full: true } : {}) },
    );
  }

  /** Everything a run leaves behind, without ids that only reflect insertion order. */
  async state() {
    const p = this.db.prisma;
    const [scores, snapshots, alerts, outbox] = await Promise.all([
      p.$queryRaw`SELECT account_id, as_of, score, band, fingerprint FROM account_scores ORDER BY account_id`,
      p.$queryRaw`SELECT s.account_id, s.as_of, s.score, s.band, s.completeness, s.components::text AS components, v.version, m.key AS model
        FROM score_snapshots s JOIN health_model_versions v ON v.id = s.model_version_id JOIN health_models m ON m.id = v.model_id
        ORDER BY s.account_id, s.as_of`,
      p.$queryRaw`SELECT a.account_id, a.state, a.band, a.score, a.baseline_score, a.triggers::text AS triggers, a.reason::text AS reason,
          a.slack_channel_id, a.resolved_at, b.as_of AS baseline_as_of, o.as_of AS opened_as_of, l.as_of AS last_as_of
        FROM alerts a LEFT JOIN score_snapshots b ON b.id = a.baseline_snapshot_id LEFT JOIN score_snapshots o ON o.id = a.opened_snapshot_id
        LEFT JOIN score_snapshots l ON l.id = a.last_snapshot_id
        ORDER BY a.account_id, a.created_at, o.as_of`,
      p.$queryRaw`SELECT al.account_id, x.kind, x.channel_id, x.payload::text AS payload, s.as_of
        FROM slack_outbox x JOIN alerts al ON al.id = x.alert_id
        LEFT JOIN score_snapshots s ON s.id = (regexp_match(x.idempotency_key, ':(\\d+)$'))[1]::bigint AND x.kind <> 'post'
        ORDER BY al.account_id, x.kind, s.as_of, x.payload::text`,
    ]);
    return { scores, snapshots, alerts, outbox };
  }
}

describe.each(DATABASE_KINDS)('incremental ticks equal full recomputations (%s)', (kind) => {
  let incremental: Side;
  let full: Side;

  beforeAll(async () => {
    const [a, b] = await Promise.all([createTestDatabase(kind), createTestDatabase(kind)]);
    for (const db of [a, b]) await ensureCatalogueAndModels(db.prisma);
    incremental = new Side(a, false);
    full = new Side(b, true);
  });
  afterAll(async () => {
    await Promise.all([incremental.db.close(), full.db.close()]);
  });

  it('leaves exactly the scores, snapshots, alerts and messages a full run would', async () => {
    let incrementalTicks = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (ops) => {
        await Promise.all([incremental.reset(), full.reset()]);
        // Start from scored accounts with some history, as a running product does.
        for (const start of [{ kind: 'tick' } as Op, ...ops, { kind: 'tick' } as Op]) {
          for (const side of [incremental, full]) await side.apply(start);
          if (start.kind !== 'tick') continue;
          const [a, b] = await Promise.all([incremental.state(), full.state()]);
          expect(a).toEqual(b);
        }
        const last = await incremental.db.prisma.scoreRun.findFirst({ orderBy: { id: 'desc' } });
        if (last?.mode === 'incremental') incrementalTicks += 1;
      }),
      { numRuns: 25, seed: 15_2026, endOnFailure: true },
    );
    // The property means something only if ticks were in fact incremental.
    expect(incrementalTicks).toBeGreaterThan(5);
  }, 600_000);
});
