// The page's time controls. "Run recomputation now" is what the scheduler
// does on its tick; "advance one day" moves the app's clock a day on, writes
// the day's news into the metrics (as a data feed would), then runs the day's
// scheduled work: a recomputation with alerts, and alert maintenance
// (escalating unclaimed alerts, recording outcomes).
import type { AppDeps } from '../../app-deps.js';
import { runRecomputeAndAlerts } from '../../alerts/recompute-and-alert.js';
import { upsertObservations } from '../../ingest/write-observations.js';
import { runAlertMaintenance } from '../../jobs/alert-maintenance-job.js';
import type { TimeControls } from '../emulator-server.js';
import type { SandboxClock } from '../sandbox-clock.js';
import { planDayNews, type NewsCandidate } from './day-news.js';

export function timeControls(deps: AppDeps, clock: SandboxClock): TimeControls {
  const recompute = async (): Promise<string> => {
    const outcome = await runRecomputeAndAlerts(deps, { trigger: 'schedule', asOf: wholeSecond(clock.now()) });
    if (!outcome.ran) return 'A recomputation is already running; try again in a moment.';
    const { result } = outcome;
    return `Recomputed ${result.accountsScored} accounts; ${result.alertsOpened} new alert(s).`;
  };
  return {
    clock: clock.now,
    recompute,
    async advanceDay() {
      clock.advanceDays(1);
      const news = planDayNews(await newsCandidates(deps), clock.day);
      const at = wholeSecond(clock.now());
      await upsertObservations(deps.db.prisma, news.flatMap((n) => n.values.map((v) => ({ accountId: n.accountId, metricKey: v.metricKey, value: v.value, observedAt: at }))), 'demo');
      const ran = await recompute();
      await runAlertMaintenance(deps);
      const told = news.map((n) => `${n.name} ${n.kind === 'bad_day' ? 'had a bad day' : 'recovered'}`).join('; ');
      return `Now ${at.toISOString().slice(0, 10)}. ${told ? `${told}.` : 'A quiet day.'} ${ran}`;
    },
  };
}

async function newsCandidates(deps: AppDeps): Promise<NewsCandidate[]> {
  const rows = await deps.db.prisma.$queryRaw<{ id: number; external_id: string; name: string; segment: string | null; band: string | null; slack_channel_id: string | null; open_alert: boolean }[]>`
    SELECT a.id, a.external_id, a.name, a.segment, s.band, a.slack_channel_id,
           EXISTS (SELECT 1 FROM alerts al WHERE al.open_key = a.id) AS open_alert
    FROM accounts a LEFT JOIN account_scores s ON s.account_id = a.id
    WHERE a.churned_on IS NULL`;
  return rows.map((r) => ({ accountId: r.id, externalId: r.external_id, name: r.name, segment: r.segment, band: r.band, hasChannel: r.slack_channel_id !== null, hasOpenAlert: r.open_alert }));
}

function wholeSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
