// Starts the real account-health server (real Bolt app over HTTP) against a
// fresh database and a fake Slack Web API, as the end-to-end tests need it.
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';
import type { Clock } from '../../src/app-deps.js';
import { createTestDatabase, type DatabaseKind } from './databases.js';
import { FakeSlack } from './fake-slack.js';
import { TEST_SIGNING_SECRET } from './slack-requests.js';

export interface TestServer {
  server: RunningServer;
  fake: FakeSlack;
  db: Database;
  config: Config;
  eventsUrl: string;
  logLines: string[];
  close(): Promise<void>;
}

export interface TestServerOptions {
  env?: Record<string, string>;
  clock?: Clock;
  /** Reuse a database (e.g. several replicas on one PostgreSQL). */
  db?: Database;
  runBackgroundJobs?: boolean;
  /** How long Bolt waits for an ack before answering 404 (default 500 ms; Slack's real budget is 3 s). */
  unhandledRequestTimeoutMillis?: number;
}

export async function startTestServer(kind: DatabaseKind, options: TestServerOptions = {}): Promise<TestServer> {
  const fake = await new FakeSlack().start();
  const db = options.db ?? (await createTestDatabase(kind));
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const logLines: string[] = [];
  const logger: Logger = createLogger({ level: 'debug', write: (line) => logLines.push(line) });
  const server = await startServer({
    config,
    db,
    logger,
    tuning: { retries: 0, timeoutMs: 2_000 },
    unhandledRequestTimeoutMillis: options.unhandledRequestTimeoutMillis ?? 500,
    runBackgroundJobs: options.runBackgroundJobs ?? false,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    server,
    fake,
    db,
    config,
    eventsUrl: `${server.url}/slack/events`,
    logLines,
    async close() {
      await server.stop();
      await fake.stop();
      if (!options.db) await db.close();
    },
  };
}
