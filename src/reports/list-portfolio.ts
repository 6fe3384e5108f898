// Portfolio lists (at-risk, mine, App Home): each account with its current
// score (account_scores, one row per account), in one query whatever the
// portfolio size or the length of its history.
import type { Prisma } from '../db/database.js';
import type { SnapshotBand } from '../scoring/types.js';
import { cachedMetricDefinitions, toBand } from './build-health-report.js';
import { findWeakestGroups, type WeakestGroup } from './weakest-groups.js';

export interface PortfolioEntry {
  accountId: number;
  name: string;
  externalId: string;
  ownerSlackUserId: string | null;
  score: number | null;
  band: SnapshotBand;
  asOf: Date;
  openAlertId: number | null;
  claimedBy: string | null;
  /** The group with the lowest sub-score, when any has one (optional so hand-made entries may leave it out). */
  weakestGroup?: WeakestGroup | null;
}

export interface PortfolioQuery {
  ownerSlackUserId?: string;
  atRiskOnly?: boolean;
  limit: number;
}

export async function listPortfolio(prisma: Prisma, query: PortfolioQuery): Promise<{ entries: PortfolioEntry[]; total: number }> {
  const owner = query.ownerSlackUserId ?? null;
  const atRisk = query.atRiskOnly === true;
  const rows = await prisma.$queryRaw<{ account_id: number; name: string; external_id: string; owner: string | null; score: number | null; band: string; as_of: Date; alert_id: number | null; claimed_by: string | null; total: bigint | number; model_version_id: number; components: unknown }[]>`
    SELECT a.id AS account_id, a.name, a.external_id, a.owner_slack_user_id AS owner, l.score, l.band, l.as_of,
           al.id AS alert_id, al.claimed_by, count(*) OVER () AS total, s.model_version_id, s.components
    FROM account_scores l
    JOIN score_snapshots s ON s.id = l.snapshot_id
    JOIN accounts a ON a.id = l.account_id AND a.churned_on IS NULL
    LEFT JOIN alerts al ON al.open_key = a.id
    WHERE (${owner}::text IS NULL OR a.owner_slack_user_id = ${owner})
      AND (NOT ${atRisk} OR l.band IN ('at_risk', 'critical'))
    ORDER BY l.score ASC NULLS LAST, a.name
    LIMIT ${query.limit}`;
  const metrics = await cachedMetricDefinitions(prisma);
  const weakest = await findWeakestGroups(prisma, rows.map((r) => ({ accountId: r.account_id, modelVersionId: r.model_version_id, components: r.components })), metrics);
  return {
    total: Number(rows[0]?.total ?? 0),
    entries: rows.map((r) => ({
      accountId: r.account_id,
      name: r.name,
      externalId: r.external_id,
      ownerSlackUserId: r.owner,
      score: r.score,
      band: toBand(r.band),
      asOf: r.as_of,
      openAlertId: r.alert_id,
      claimedBy: r.claimed_by,
      weakestGroup: weakest.get(r.account_id) ?? null,
    })),
  };
}
