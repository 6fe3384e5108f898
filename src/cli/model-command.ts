import { readFile, writeFile } from 'node:fs/promises';
import { AlertDeliverer } from '../alerts/deliver-outbox.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createLogger } from '../logger.js';
import { ensureCatalogueAndModels, InvalidModelError, listModelVersions, loadActiveModels, restoreModelVersion, saveModelVersion, stripVersion, UnknownModelError } from '../models/model-store.js';
import { MODEL_EXPORT_FORMAT, modelExportSchema, toModelIssues } from '../scoring/model-schema.js';
import { cliActor } from './cli-actor.js';
import { cliDeps, UsageError, withDatabase, type CliCommand, type CliIo } from './command.js';
import { describeEvaluation, evaluateModel } from '../tuning/evaluate-model.js';
import { describeRecomputeAfterChange, recomputeAfterModelChange } from '../tuning/recompute-after-model-change.js';
import { describeSuggestion } from '../outcomes/describe-suggestion.js';
import { applySuggestion, DEFAULT_LEAD_DAYS, suggestForModel } from '../outcomes/suggest-model.js';
import { intFlag, parseArgs } from './parse-flags.js';
import { compareShadows, describeShadowComparison } from '../shadow/compare-shadow.js';

const actor = cliActor;

export const modelCommand: CliCommand = {
  name: 'model',
  summary: 'list, export, import, evaluate, suggest weights for, show history of, or restore health models',
  usage: `account-health model list
account-health model export KEY [FILE]     JSON (format ${MODEL_EXPORT_FORMAT}) to FILE or stdout
account-health model import FILE           validate and save as a new version (creates the model if new)
account-health model history KEY           versions, newest first
account-health model restore KEY VERSION   save an earlier version as the newest one
account-health model evaluate [KEY…]       how well each model separates churned from retained accounts
                                           (ROC AUC of the score 60 days before churn, or today)
account-health model suggest KEY [--lead-days N] [--apply]
                                           weights learned from renewal outcomes (import outcomes), with
                                           their evidence: current vs suggested separation with 95%
                                           intervals, bands before → after, each measure's own signal.
                                           Inputs are those stored N days before each outcome (default 90).
                                           --apply saves the suggestion as a new version and recomputes.

KEY is "default" or a segment model such as "enterprise", "mid-market", "smb".
Every change (import, restore) is a new version with an audit entry, and scores
are recomputed with it at once, as saving in Slack does; alerts it raises are
delivered when SLACK_BOT_TOKEN is set (otherwise \`serve\` posts them).`,
  async run(args, config, io) {
    const [action, ...rest] = args;
    return withDatabase(config, 'model', async (db) => {
      await ensureCatalogueAndModels(db.prisma);
      try {
        switch (action) {
          case 'list': {
            const models = await loadActiveModels(db.prisma);
            for (const m of models.byKey.values()) io.out(`${m.key.padEnd(12)} v${m.version}  ${m.segment ? `segment ${m.segment}` : 'default (accounts without a segment model)'}  ${m.measures.length} measures`);
            return 0;
          }
          case 'export': {
            const [key, file] = rest;
            if (!key) throw new UsageError('name the model to export');
            const model = (await loadActiveModels(db.prisma)).byKey.get(key);
            if (!model) throw new UnknownModelError(key);
            const json = `${JSON.stringify({ format: MODEL_EXPORT_FORMAT, model: stripVersion(model) }, null, 2)}\n`;
            if (file) await writeFile(file, json);
            else io.out(json.trimEnd());
            if (file) io.out(`Exported ${key} v${model.version} to ${file}.`);
            return 0;
          }
          case 'import': {
            const [file] = rest;
            if (!file) throw new UsageError('name the JSON file to import');
            const text = await readFile(file, 'utf8').catch((error: unknown) => {
              const code = error instanceof Error && 'code' in error ? error.code : undefined;
              io.err(code === 'ENOENT' ? `${file} does not exist` : code === 'EISDIR' ? `${file} is a directory; name a model JSON file` : `cannot read ${file} (${error instanceof Error ? error.message : String(error)})`);
              return null;
            });
            if (text === null) return 1;
            let raw: unknown;
            try {
              raw = JSON.parse(text);
            } catch (error) {
              io.err(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
              return 1;
            }
            const parsed = modelExportSchema.safeParse(raw);
            if (!parsed.success) {
              io.err(`${file} is not a valid model export:`);
              for (const issue of toModelIssues(parsed.error)) io.err(`  ${issue.path || '(file)'}: ${issue.message}`);
              return 1;
            }
            const saved = await saveModelVersion(db.prisma, { definition: parsed.data.model, actor: actor(), note: `imported from ${file}` });
            if (saved.unchanged) {
              io.out(`${saved.key} v${saved.version} already says exactly this: no new version, nothing to recompute.`);
              return 0;
            }
            io.out(`Saved ${saved.key} v${saved.version}.`);
            return recomputeAfterChange(config, db, io);
          }
          case 'history': {
            const [key] = rest;
            if (!key) throw new UsageError('name the model');
            for (const v of await listModelVersions(db.prisma, key)) {
              io.out(`v${String(v.version).padEnd(4)} ${v.createdAt.toISOString()}  ${v.createdBy.padEnd(14)} ${v.measures} measures  ${v.note}${v.current ? '  (current)' : ''}`);
            }
            return 0;
          }
          case 'restore': {
            const [key, version] = rest;
            if (!key || !version || !/^\d+$/.test(version)) throw new UsageError('usage: model restore KEY VERSION');
            const saved = await restoreModelVersion(db.prisma, { modelKey: key, version: Number(version), actor: actor() });
            io.out(`Restored ${key} v${version} as v${saved.version}.`);
            return recomputeAfterChange(config, db, io);
          }
          case 'evaluate': {
            const keys = rest.length > 0 ? rest : [...(await loadActiveModels(db.prisma)).byKey.keys()];
            for (const key of keys) {
              if (!(await loadActiveModels(db.prisma)).byKey.has(key)) throw new UnknownModelError(key);
              io.out(`${key.padEnd(12)} ${describeEvaluation(await evaluateModel(db.prisma, key, null, new Date()))}`);
              for (const c of await compareShadows(db.prisma, key, new Date())) io.out(describeShadowComparison(c, new Date()));
            }
            return 0;
          }
          case 'suggest':
            return await suggestCommand(rest, config, db, io);
          default:
            throw new UsageError(action ? `unknown action "${action}"` : 'say list, export, import, history, restore, evaluate or suggest');
        }
      } catch (error) {
        if (error instanceof InvalidModelError) {
          io.err('The model is not valid:');
          for (const issue of error.issues) io.err(`  ${issue.path}: ${issue.message}`);
          return 1;
        }
        if (error instanceof UnknownModelError) {
          io.err(error.message);
          return 1;
        }
        throw error;
      }
    });
  },
};

async function suggestCommand(args: string[], config: Config, db: Database, io: CliIo): Promise<number> {
  const parsed = parseArgs(args, { values: ['lead-days'], switches: ['apply'] });
  const [key, extra] = parsed.positional;
  if (!key) throw new UsageError('name the model: model suggest KEY [--lead-days N] [--apply]');
  if (extra) throw new UsageError(`unexpected argument "${extra}"`);
  const leadDays = intFlag(parsed, 'lead-days', DEFAULT_LEAD_DAYS, [7, 365]);
  const s = await suggestForModel(db.prisma, key, { leadDays, now: new Date() });
  for (const line of describeSuggestion(s)) io.out(line);
  if (!parsed.flags.has('apply')) {
    if (s.candidate) io.out(`Nothing was changed. To use these weights: account-health model suggest ${key}${leadDays !== DEFAULT_LEAD_DAYS ? ` --lead-days ${leadDays}` : ''} --apply`);
    return 0;
  }
  if (!s.candidate) {
    io.err('--apply: there is no suggestion to apply; the model was not changed.');
    return 1;
  }
  const saved = await applySuggestion(db.prisma, s, actor());
  if (saved.unchanged) {
    io.out(`${saved.key} v${saved.version} already has these weights: no new version, nothing to recompute.`);
    return 0;
  }
  io.out(`Saved ${saved.key} v${saved.version} with the suggested weights (restore v${s.model.version} with \`account-health model restore ${saved.key} ${s.model.version}\`).`);
  return recomputeAfterChange(config, db, io);
}

/** Scores move to the new version at once, through the same entry Slack's save uses. */
async function recomputeAfterChange(config: Config, db: Database, io: CliIo): Promise<number> {
  const deps = cliDeps(config, db);
  const quiet = { ...deps, logger: createLogger({ level: 'warn' }) };
  const outcome = await recomputeAfterModelChange(quiet, 'cli');
  if (outcome.kind === 'failed') {
    io.err(`Recomputing failed: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}. The new version is saved; run \`account-health recompute\`.`);
    return 1;
  }
  io.out(describeRecomputeAfterChange(outcome));
  if (outcome.kind === 'recomputed' && outcome.alertsOpened > 0) {
    if (!deps.slackConfigured) io.out(`${outcome.alertsOpened} alert(s) opened; SLACK_BOT_TOKEN is not set, so \`serve\` will post them.`);
    else {
      const delivery = await new AlertDeliverer(quiet).deliverDue(1_000);
      io.out(`Alert messages: ${delivery.sent} delivered, ${delivery.failed} failed, ${delivery.deferred} waiting to retry (serve retries them).`);
    }
  }
  return 0;
}
