// npm run bench [-- NAME [--flags]]: recompute, slash, ingest, alerts, events, sandbox, suggest, hubspot. Each prints
// one final line "NAME: key=value …" and records it in bench/RESULTS.md.
// The wasm tiering budget the command line sets, so PGlite benches run as the product does.
import '../src/db/wasm-tiering.js';
import { benchAlerts } from './alerts.js';
import { benchEvents } from './events.js';
import { benchHubSpot } from './hubspot.js';
import { benchIngest } from './ingest.js';
import { benchRecompute } from './recompute.js';
import { benchSandbox } from './sandbox.js';
import { benchSlash } from './slash.js';
import { benchSuggest } from './suggest.js';

const benches: Record<string, () => Promise<string[]>> = { recompute: benchRecompute, slash: benchSlash, ingest: benchIngest, alerts: benchAlerts, events: benchEvents, sandbox: benchSandbox, suggest: benchSuggest, hubspot: benchHubSpot };

async function main(): Promise<void> {
  const name = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : undefined;
  if (name && !benches[name]) {
    console.error(`unknown bench "${name}"; choose one of: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  const selected = name ? [name] : Object.keys(benches);
  for (const bench of selected) {
    console.error(`running ${bench}…`);
    for (const line of await (benches[bench] ?? (async () => []))()) console.log(line);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
