// Property-based: whatever arrives at an entry point, the answer is a value or
// a specific, typed error — never a crash, never a silent half-parse.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, envSchema, loadConfig } from '../../src/config.js';
import { parseAccountsBody, parseMetricsBody } from '../../src/ingest/parse-api.js';
import { CsvHeaderError, parseCsvInBatches } from '../../src/ingest/parse-csv.js';
import { DEFAULT_MODELS } from '../../src/scoring/default-models.js';
import { BUILT_IN_METRICS } from '../../src/scoring/catalogue.js';
import { readTuningForm } from '../../src/tuning/read-tuning-form.js';
import { parseSentimentArgs } from '../../src/accounts/record-sentiment.js';

const quote = (field: string) => `"${field.replace(/"/g, '""')}"`;

async function parseAll(csv: string) {
  let valid = 0;
  let errors = 0;
  for await (const batch of parseCsvInBatches(Readable.from([csv]), 'metrics', 7)) {
    valid += batch.valid.length;
    errors += batch.errors.length;
    for (const e of batch.errors) expect(e.error.length).toBeGreaterThan(5);
  }
  return { valid, errors };
}

describe('CSV import', () => {
  it('turns every record of a well-quoted file into exactly one valid row or one specific error', async () => {
    const field = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('nps', 'logins_30d', '12.5', '-3', '2026-01-31', '2026-02-30T00:00:00Z', 'NaN', '1e309', ''));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(field, { minLength: 3, maxLength: 5 }), { maxLength: 30 }), fc.boolean(), async (rows, crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        const lines = rows.filter((r) => r.some((f) => f.trim() !== '')).map((r) => r.map(quote).join(','));
        const { valid, errors } = await parseAll(`account,metric,value,observed_at${eol}${lines.join(eol)}${eol}`);
        expect(valid + errors).toBe(lines.length);
      }),
      { numRuns: 150 },
    );
  });

  it('never fails with anything but a header error or per-row errors on arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
        try {
          await parseAll(text);
        } catch (error) {
          expect(error).toBeInstanceOf(CsvHeaderError);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('API bodies', () => {
  it('answer any JSON value with rows, per-item errors, or a top-level error', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        for (const parsed of [parseMetricsBody(body), parseAccountsBody(body)]) {
          if (parsed.kind === 'ok') expect(parsed.valid.length + parsed.errors.length).toBe(Array.isArray(body) ? body.length : -1);
          else expect(parsed.error).toMatch(/expected a JSON array|at most 10000 items/);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('slash-command and modal values', () => {
  it('sentiment parsing returns a usage message or a 1–5 score with a reason, for any words', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 8 }), { maxLength: 8 }), (words) => {
        const parsed = parseSentimentArgs(words.filter((w) => w.trim() !== '' && !/\s/.test(w)));
        if (parsed.ok) {
          expect(parsed.value).toBeGreaterThanOrEqual(1);
          expect(parsed.value).toBeLessThanOrEqual(5);
          expect(parsed.reason.length).toBeGreaterThan(0);
        } else {
          expect(parsed.error.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('modal fields with any text give a model or errors keyed by a real block id', () => {
    const base = { ...DEFAULT_MODELS[0]!, versionId: 1, version: 1 };
    const known = new Set(BUILT_IN_METRICS.map((m) => m.key));
    const blockIds = [
      ...base.measures.flatMap((m) => ['weight', 'good', 'poor'].map((f) => `m:${m.metricKey}:${f}`)),
      'cut:healthyMin', 'cut:watchMin', 'cut:atRiskMin', 'min_completeness',
    ];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...blockIds), fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -200, max: 200 }).map(String))), (values) => {
        const state = Object.fromEntries(Object.entries(values).map(([id, value]) => [id, { value: { type: 'plain_text_input', value } }]));
        const form = readTuningForm(state, base, known);
        if (!form.ok) for (const id of Object.keys(form.errors)) expect([...blockIds, 'remove_measures', 'note']).toContain(id);
      }),
      { numRuns: 300 },
    );
  });
});

describe('environment', () => {
  it('any value of any variable loads or stops with one line naming that variable', () => {
    const names = Object.keys(envSchema.shape);
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.string({ maxLength: 40 }), (name, value) => {
        try {
          loadConfig({ [name]: value });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as ConfigError).variable).toBe(name);
          expect((error as Error).message).not.toContain('\n');
        }
      }),
      { numRuns: 400 },
    );
  });
});
