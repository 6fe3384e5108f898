// events: Segment messages through POST /v1/batch on PostgreSQL (messages/s,
// peak RSS), then the derivation pass over a generated history: a cold pass
// deriving every built-in metric for every account, and a quiet tick where a
// few events arrived. Flags: --messages N (ingest), --accounts N, --events N.
import { createEventSource } from '../src/events/event-sources.js';
import { deriveEventMetrics } from '../src/derived/derive-metrics.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { ensureCatalogueAndModels } from '../src/models/model-store.js';
import { startServer } from '../src/server/start-server.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { TEST_SIGNING_SECRET } from '../test/support/slack-requests.js';
import { intArg, openPostgresBench, recordResult, resultLine, type BenchDb } from './support.js';

const BATCH = 1_000;
const CONCURRENCY = 4;

export async function benchEvents(): Promise<string[]> {
  const messages = intArg('messages', 300_000);
  const accounts = intArg('accounts', 100_000);
  const events = intArg('events', 10_000_000);
  const asOf = new Date(Date.UTC(2026, 10, 20, 12));
  const fake = await new FakeSlack().start();
  const ingestDb = await openPostgresBench();
  let ingest: Record<string, number>;
  try {
    ingest = await benchIngest(ingestDb, fake.apiUrl, messages, asOf);
  } finally {
    await ingestDb.drop();
  }
  // --ingest-only: the intake alone (a change to it re-measured without regenerating 10M events).
  if (process.argv.includes('--ingest-only')) {
    await fake.stop();
    const line = resultLine('events[ingest]', ingest);
    await recordResult('events[ingest]', line);
    return [line];
  }
  const deriveDb = await openPostgresBench();
  try {
    const derived = await benchDerivation(deriveDb, accounts, events, asOf);
    const line = resultLine('events', { ...ingest, ...derived });
    await recordResult('events', line);
    return [line];
  } finally {
    await deriveDb.drop();
    await fake.stop();
  }
}

async function benchIngest(bench: BenchDb, slackUrl: string, total: number, asOf: Date): Promise<Record<string, number>> {
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_API_URL: slackUrl, PORT: '0', LOG_LEVEL: 'error' });
  const server = await startServer({ config, db: bench.db, logger: createLogger({ level: 'error' }), runBackgroundJobs: false, clock: () => asOf });
  try {
    const { writeKey } = await createEventSource(bench.db.prisma, { name: 'bench' });
    const auth = `Basic ${Buffer.from(`${writeKey ?? ''}:`).toString('base64')}`;
    // A thousand accounts joined by group calls first, as a real source starts.
    const groups = Array.from({ length: 1_000 }, (_, i) => ({ type: 'group', userId: `u${i}`, groupId: `B-${i}`, traits: { name: `Bench ${i}` }, messageId: `g${i}` }));
    await post(server.url, auth, groups);
    const names = ['Signed In', 'Feature Used', 'Order Completed', 'Ticket Opened', 'CSAT Rated'];
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const rssBefore = process.memoryUsage().rss;
    // CPU this process spent (server and the bench's own client) per message: steadier than
    // messages/s on a shared box, where the wall clock mostly measures the neighbours.
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      for (;;) {
        const from = next;
        next += BATCH;
        if (from >= total) return;
        const batch = Array.from({ length: Math.min(BATCH, total - from) }, (_, k) => {
          const i = from + k;
          return {
            type: 'track', userId: `u${i % 1_000}`, event: names[i % names.length], messageId: `m${i}`,
            timestamp: new Date(asOf.getTime() - (i % 86_400) * 1_000).toISOString(),
            properties: { order_id: `o${i}`, total: i % 500, feature: `f${i % 12}`, ticket_id: `t${i}`, rating: 1 + (i % 5) },
            context: { library: { name: 'bench', version: '1' } },
          };
        });
        await post(server.url, auth, batch);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    // A replay of the first batches changes nothing.
    const stored = await bench.db.prisma.event.count();
    return {
      ingest_messages: total, ingest_seconds: seconds, retries, ingest_msgs_per_s: Math.round(total / seconds), stored: stored - 1_000,
      node_cpu_us_per_msg: Math.round((cpu.user + cpu.system) / total),
      rss_before_mb: Math.round(rssBefore / 2 ** 20), peak_rss_mb: Math.round(peakRss / 2 ** 20),
    };
  } finally {
    await server.stop();
  }
}

/** Retries as Segment's clients do (a dropped connection, a 5xx): safe, since a replayed batch changes nothing. */
async function post(url: string, auth: string, batch: unknown[]): Promise<void> {
  const body = JSON.stringify({ batch });
  for (let attempt = 1; ; attempt += 1) {
    const res = await fetch(`${url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body }).catch((error: unknown) => {
      if (attempt >= 3) throw error;
      return null;
    });
    if (res?.status === 200) return;
    if (res && (res.status < 500 || attempt >= 3)) throw new Error(`/v1/batch answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    retries += 1;
  }
}
let retries = 0;

/**
 * A year of events for `accounts` accounts, generated inside the database,
 * in the built-in vocabulary; then a cold pass, and a tick after 100 accounts
 * received an event each.
 */
async function benchDerivation(bench: BenchDb, accounts: number, total: number, asOf: Date): Promise<Record<string, number>> {
  const prisma = bench.db.prisma;
  await ensureCatalogueAndModels(prisma);
  const setupStarted = performance.now();
  const { id: sourceId } = await createEventSource(prisma, { name: 'history' });
  await prisma.$executeRaw`
    INSERT INTO accounts (external_id, name, name_key, updated_at)
    SELECT 'B-' || i, 'Bench ' || i, 'bench ' || i, now() FROM generate_series(1, ${accounts}::int) AS i`;
  await prisma.$executeRaw`INSERT INTO event_accounts (account_id, changed_at) SELECT id, now() - interval '1 day' FROM accounts`;
  const names = ['Signed In', 'Signed In', 'Signed In', 'Signed In', 'Signed In', 'Signed In', 'Feature Used', 'Feature Used', 'Feature Used',
    'Order Completed', 'Order Completed', 'Order Cancelled', 'Invoice Paid', 'Invoice Overdue', 'Ticket Opened', 'Ticket Closed', 'NPS Survey Answered', 'CSAT Rated', 'CSAT Rated', 'Contact Logged'];
  const slice = 1_000_000;
  for (let from = 0; from < total; from += slice) {
    await prisma.$executeRaw`
      INSERT INTO events (source_id, message_id, type, event, user_id, user_key, account_id, timestamp, received_at, properties)
      SELECT ${sourceId}::int, 'h' || i, 'track', n.name, 'u' || (i % (${accounts}::int * 3)), 'u' || (i % (${accounts}::int * 3)),
             a.first_id + (i % ${accounts}::int), ts, ts,
             CASE n.name
               WHEN 'Order Completed' THEN jsonb_build_object('order_id', 'o' || (i / 7), 'total', i % 500)
               WHEN 'Order Cancelled' THEN jsonb_build_object('order_id', 'o' || ((i - 2000) / 7))
               WHEN 'Invoice Overdue' THEN jsonb_build_object('invoice_id', 'i' || (i / 3))
               WHEN 'Invoice Paid' THEN jsonb_build_object('invoice_id', 'i' || (i / 3))
               WHEN 'Feature Used' THEN jsonb_build_object('feature', 'f' || (i % 17))
               WHEN 'Ticket Opened' THEN jsonb_build_object('ticket_id', 't' || (i / 20), 'type', CASE WHEN i % 9 = 0 THEN 'complaint' ELSE 'question' END)
               WHEN 'Ticket Closed' THEN jsonb_build_object('ticket_id', 't' || ((i - 20 * ${accounts}::int) / 20))
               WHEN 'NPS Survey Answered' THEN jsonb_build_object('score', i % 11)
               WHEN 'CSAT Rated' THEN jsonb_build_object('rating', 1 + i % 5)
               ELSE '{}'::jsonb END
      FROM generate_series(${from}::bigint, ${Math.min(total, from + slice) - 1}::bigint) AS i
      CROSS JOIN (SELECT min(id) AS first_id FROM accounts) a
      CROSS JOIN LATERAL (SELECT (${names}::text[])[1 + (i % 20)::int] AS name) n
      CROSS JOIN LATERAL (SELECT ${asOf}::timestamptz - make_interval(secs => ((i * 7919) % (365 * 86400))::float8) AS ts) t`;
  }
  await prisma.$executeRaw`ANALYZE events`;
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  const cold = await deriveEventMetrics(prisma, asOf, { commitMarginMs: 0 });
  const coldObservations = await prisma.metricObservation.count({ where: { source: 'events' } });
  // A quiet tick: 100 accounts received one login each since the cold pass.
  const tickAt = new Date(asOf.getTime() + 15 * 60_000);
  await prisma.$executeRaw`
    INSERT INTO events (source_id, message_id, type, event, user_id, user_key, account_id, timestamp, received_at, properties)
    SELECT ${sourceId}::int, 'tick' || a.id, 'track', 'Signed In', 'tick', 'tick', a.id, ${tickAt}, ${tickAt}, '{}'::jsonb FROM (SELECT id FROM accounts ORDER BY id LIMIT 100) a`;
  await prisma.$executeRaw`UPDATE event_accounts SET changed_at = now() WHERE account_id IN (SELECT id FROM accounts ORDER BY id LIMIT 100)`;
  const tick = await deriveEventMetrics(prisma, tickAt, { commitMarginMs: 0 });
  const idle = await deriveEventMetrics(prisma, new Date(tickAt.getTime() + 15 * 60_000), { commitMarginMs: 0 });
  return {
    accounts, events: total, setup_seconds: setupSeconds,
    cold_seconds: cold.durationMs / 1000, cold_observations: coldObservations,
    tick_seconds: tick.durationMs / 1000, tick_accounts: tick.accounts ?? 0, tick_written: tick.written,
    idle_tick_seconds: idle.durationMs / 1000,
  };
}
