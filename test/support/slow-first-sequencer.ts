// Starts the suite's longest files first. With two workers the run ends when
// the later of them runs out of files; a long file picked up near the end
// keeps one worker busy alone for minutes. Vitest orders by the durations it
// cached on an earlier run on this machine, but CI starts without that cache
// (npm ci empties node_modules/.vite) and falls back to file size, which puts
// a 140-line file that spawns five CLI processes behind 250-line unit tests.
// Durations measured on a full run (longest first; files over ~14 s); a stale
// entry only costs packing, never a test.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const SLOW_FILES = [
  'test/e2e/cli-first-hour.test.ts',
  'test/e2e/sandbox-browser.test.ts',
  'test/e2e/sandbox.test.ts',
  'test/e2e/recompute-killed.pglite.test.ts',
  'test/integration/demo/demo-portfolio.postgres.test.ts',
  'test/integration/scoring-run/incremental-equivalence.test.ts',
  'test/e2e/readme-examples.test.ts',
  'test/integration/demo/demo-portfolio.pglite.test.ts',
  'test/e2e/model-suggest-cli.test.ts',
  'test/e2e/events-cli.test.ts',
  'test/integration/db/pglite-thread.test.ts',
  'test/e2e/cli-process.test.ts',
  'test/e2e/hubspot-sync.test.ts',
  'test/e2e/recompute-killed.postgres.test.ts',
  'test/e2e/serve-without-slack.test.ts',
  'test/integration/db/migrations.test.ts',
  'test/e2e/past-date-alerts.test.ts',
  'test/e2e/ack-while-database-busy.test.ts',
  'test/e2e/cli-commands.test.ts',
  'test/e2e/model-cli.test.ts',
  'test/integration/jobs/recompute-schedule.test.ts',
  'test/e2e/demo-health.test.ts',
  'test/e2e/faults-and-fuzz.test.ts',
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = SLOW_FILES.findIndex((slow) => file.moduleId.endsWith(`/${slow}`));
      return index === -1 ? SLOW_FILES.length : index;
    };
    // Array.prototype.sort is stable: the rest keep vitest's own order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
