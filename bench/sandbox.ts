// sandbox: how fast the sandbox page draws with the demo portfolio (240
// accounts, the alerts of a simulated day), in Debian's Chromium: time
// from navigation to the first complete draw, for #general and for the
// busiest channel (#cs-alerts), and the size of the state the page fetches.
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { ALERTS_CHANNEL, startSandbox } from '../src/sandbox/start-sandbox.js';
import { launchChromium } from '../test/support/sandbox-browser.js';
import { intArg, openPgliteBench, percentile, recordResult, resultLine } from './support.js';

export async function benchSandbox(): Promise<string[]> {
  const accounts = intArg('accounts', 240);
  const loads = intArg('loads', 10);
  const bench = await openPgliteBench();
  const sandbox = await startSandbox({ config: loadConfig({ LOG_LEVEL: 'error' }), port: 0, db: bench.db, demo: { seed: 42, accounts }, logger: createLogger({ level: 'error', write: () => undefined }) });
  const browser = await launchChromium();
  try {
    // A simulated day opens the demo's alerts; let them reach their channels, so #cs-alerts is as full as it gets.
    await fetch(`${sandbox.url}/sandbox/advance-day`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await new Promise((resolve) => setTimeout(resolve, intArg('settle-ms', 30_000)));
    const measure = async (channel: string) => {
      const times: number[] = [];
      for (let i = 0; i < loads; i += 1) {
        const context = await browser.newContext();
        await context.addInitScript(`localStorage.setItem('sandbox.channel', ${JSON.stringify(channel)})`);
        const page = await context.newPage();
        await page.goto(`${sandbox.url}/`);
        await page.waitForSelector('html[data-ready="true"]');
        times.push(Number(await page.evaluate('window.sandboxFirstDrawMs')));
        await context.close();
      }
      return times.sort((a, b) => a - b);
    };
    const general = await measure('C0GENERAL1');
    const alerts = await measure(ALERTS_CHANNEL.id);
    const state = await fetch(`${sandbox.url}/sandbox/state?user=U0DEMOCSM01&channel=${ALERTS_CHANNEL.id}`).then((r) => r.text());
    const line = resultLine('sandbox', {
      accounts, loads, general_p50_ms: percentile(general, 50), general_max_ms: general.at(-1) ?? Number.NaN,
      alerts_channel_messages: sandbox.workspace.messages.get(ALERTS_CHANNEL.id)?.length ?? 0,
      alerts_p50_ms: percentile(alerts, 50), alerts_max_ms: alerts.at(-1) ?? Number.NaN, state_kb: state.length / 1024,
    });
    await recordResult('sandbox', line);
    return [line];
  } finally {
    await browser.close();
    await sandbox.stop();
    await bench.drop();
  }
}
