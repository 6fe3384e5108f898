// `account-health sandbox`: the real app (the same start-up as `serve`: Bolt
// app, listeners, scheduler, alert delivery) with a local Slack in its place.
// The emulator starts first (Bolt checks its token with auth.test), the app is
// pointed at it with SLACK_API_URL, a bot token and a signing secret made up
// for this run, and both listen on 127.0.0.1 only.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { databaseTarget, openDatabase, type Database } from '../db/database.js';
import { loadDemo } from '../demo/load-demo.js';
import { DEMO_CSMS, DEMO_ID_PREFIX } from '../demo/generate-portfolio.js';
import { configuredSecrets, createLogger, type Level, type Logger } from '../logger.js';
import { startServer, type RunningServer } from '../server/start-server.js';
import { AppLink, randomSigningSecret } from './app-link.js';
import { EmulatorServer, type TimeControls } from './emulator-server.js';
import { sandboxRefusal } from './guard.js';
import { ResponseUrls } from './response-urls.js';
import { SandboxClock } from './sandbox-clock.js';
import { TriggerIds } from './trigger-ids.js';
import { UserActions } from './user-actions.js';
import { SandboxWebApi } from './web-api.js';
import { Workspace, type SandboxUser } from './workspace.js';
import { channelName } from './channel-name.js';
import { timeControls } from './world/time-controls.js';

export const SANDBOX_USERS: readonly SandboxUser[] = [
  { id: 'U0DEMOCSM01', name: 'Priya Raman', role: 'CSM', isAdmin: false },
  { id: 'U0DEMOCSM02', name: 'Tom Becker', role: 'CSM, teammate', isAdmin: false },
  { id: 'U0SANDADM1', name: 'Alex Morgan', role: 'admin', isAdmin: false },
];
export const GENERAL_CHANNEL = { id: 'C0GENERAL1', name: 'general' };
/** Alerts of accounts without a channel land here (ALERT_FALLBACK_CHANNEL_ID). */
export const ALERTS_CHANNEL = { id: 'C0CSALERTS', name: 'cs-alerts' };

export class SandboxRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxRefusedError';
  }
}

export interface SandboxOptions {
  config: Config;
  /** Port of the page (0 picks a free one). */
  port: number;
  force?: boolean;
  /** Demo portfolio loaded into an empty database. */
  demo?: { seed: number; accounts: number };
  /** Tests pass an opened database; otherwise one is opened from config. */
  db?: Database;
  logger?: Logger;
  onProgress?: (line: string) => void;
  /** How long the emulator waits for the app to answer a request (Slack: 3 s). */
  appTimeoutMs?: number;
}

export interface RunningSandbox {
  url: string;
  app: RunningServer;
  workspace: Workspace;
  clock: SandboxClock;
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const { config } = options;
  const ownsDb = options.db === undefined;
  const db = options.db ?? (await openDatabase(databaseTarget(config), { command: 'account-health sandbox', ownThread: true }));
  let emulator: EmulatorServer | null = null;
  try {
    await db.migrate();
    const refusal = sandboxRefusal({ config, realAccounts: await realAccounts(db) }, options.force === true);
    if (refusal) throw new SandboxRefusedError(refusal);

    const botToken = `xoxb-sandbox-${randomBytes(16).toString('hex')}`;
    const signingSecret = randomSigningSecret();
    const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL as Level, secrets: [botToken, signingSecret, ...configuredSecrets(config)] });
    const clock = new SandboxClock();
    if ((await db.prisma.account.count()) === 0) {
      const demo = options.demo ?? { seed: 42, accounts: 240 };
      options.onProgress?.(`Loading the demo portfolio (${demo.accounts} accounts)…`);
      await loadDemo({ db, clock: clock.now, logger }, { ...demo, ...(options.onProgress ? { onProgress: (m) => options.onProgress?.(`  ${m}`) } : {}) });
    }

    // The rest of the demo's CSM team is in the directory, so mentions of account owners show names.
    const directory = DEMO_CSMS.filter((c) => !SANDBOX_USERS.some((u) => u.id === c.slackUserId)).map((c) => ({ id: c.slackUserId, name: c.name, role: 'CSM', isAdmin: false, persona: false }));
    const workspace = new Workspace([...SANDBOX_USERS, ...directory], [{ ...GENERAL_CHANNEL, botMember: true }, { ...ALERTS_CHANNEL, botMember: true }, ...(await accountChannels(db))]);
    const triggers = new TriggerIds();
    const api = new SandboxWebApi(workspace, triggers, botToken, () => emulator?.url ?? '');
    const responses = new ResponseUrls(workspace, () => emulator?.url ?? '');
    let eventsUrl = '';
    const actions = new UserActions(workspace, new AppLink(() => eventsUrl, signingSecret, options.appTimeoutMs), triggers, responses);
    let controls: TimeControls | null = null;
    const notReady = () => Promise.reject(new Error('the app is still starting'));
    const time: TimeControls = { clock: clock.now, recompute: () => controls?.recompute() ?? notReady(), advanceDay: () => controls?.advanceDay() ?? notReady() };
    emulator = new EmulatorServer({ ws: workspace, api, responses, actions, time });
    const url = await emulator.start(options.port);

    const appConfig: Config = {
      ...config,
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_APP_TOKEN: undefined,
      SLACK_API_URL: `${url}/api/`,
      PORT: 0,
      ADMIN_USER_IDS: [...config.ADMIN_USER_IDS, 'U0SANDADM1'],
      ALERT_FALLBACK_CHANNEL_ID: ALERTS_CHANNEL.id,
    };
    const app = await startServer({ config: appConfig, db, logger, clock: clock.now, host: '127.0.0.1' });
    eventsUrl = `${app.url}/slack/events`;
    controls = timeControls(app.deps, clock);
    // The first scheduled tick, at once: alerts already in the data are posted before anyone looks.
    options.onProgress?.(await controls.recompute());
    welcome(workspace);
    const sweep = setInterval(() => triggers.sweep(), 10_000);
    sweep.unref();

    const running = emulator;
    return {
      url,
      app,
      workspace,
      clock,
      async stop() {
        clearInterval(sweep);
        await app.stop();
        await running.stop();
        if (ownsDb) await db.close();
      },
    };
  } catch (error) {
    await emulator?.stop();
    if (ownsDb) await db.close();
    throw error;
  }
}

async function realAccounts(db: Database): Promise<{ count: number; examples: string[] }> {
  const where = { NOT: { externalId: { startsWith: DEMO_ID_PREFIX } } };
  const [count, examples] = await Promise.all([db.prisma.account.count({ where }), db.prisma.account.findMany({ where, select: { externalId: true }, take: 3, orderBy: { id: 'asc' } })]);
  return { count, examples: examples.map((a) => a.externalId) };
}

/** One public channel per account that names one, called after the account (#acme-corp). */
async function accountChannels(db: Database): Promise<{ id: string; name: string; botMember: boolean }[]> {
  const accounts = await db.prisma.account.findMany({ where: { slackChannelId: { not: null } }, select: { slackChannelId: true, name: true }, orderBy: { name: 'asc' } });
  const seen = new Set<string>();
  const channels: { id: string; name: string; botMember: boolean }[] = [];
  for (const a of accounts) {
    if (!a.slackChannelId || seen.has(a.slackChannelId) || !/^[CG][A-Z0-9]{2,}$/.test(a.slackChannelId)) continue;
    seen.add(a.slackChannelId);
    // Public channels the app has not joined yet: its first alert there joins (conversations.join), as in a real workspace.
    channels.push({ id: a.slackChannelId, name: channelName(a.name), botMember: false });
  }
  return channels;
}

function welcome(ws: Workspace): void {
  ws.post({
    channel: GENERAL_CHANNEL.id,
    user: 'USLACKBOT',
    text: 'Welcome to the account-health sandbox: a pretend Slack workspace wired to the real app. Type `/health help` below, or `/health at-risk`. Switch person at the top left; move time on with *Advance one day* to see alerts arrive in account channels, then react with :eyes: to claim one.',
  });
}
