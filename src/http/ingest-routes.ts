// POST /api/v1/accounts, /api/v1/metrics and /api/v1/outcomes: Bearer token, JSON only, size
// limits, per-item errors. Good items of a batch are kept; the response says
// how many were loaded and why each other one was not.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AppDeps } from '../app-deps.js';
import { verifyApiToken } from '../api-tokens/api-tokens.js';
import { ingestAccounts, ingestMetrics, type BatchOutcome } from '../ingest/ingest-rows.js';
import { ingestOutcomes } from '../ingest/ingest-outcomes.js';
import { parseAccountsBody, parseMetricsBody, parseOutcomesBody, type ParsedBody } from '../ingest/parse-api.js';

/** 10,000 metric items at ~120 bytes each, with room to spare. */
export const API_BODY_LIMIT = '4mb';

export function mountIngestRoutes(router: Router, deps: AppDeps): void {
  const log = deps.logger.child('api');
  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const token = match?.[1] ? await verifyApiToken(deps.db.prisma, match[1], deps.clock()).catch((error: unknown) => {
      next(error);
      return undefined;
    }) : null;
    if (token === undefined) return;
    if (!token) {
      res.set('WWW-Authenticate', 'Bearer').status(401).json({ error: 'a valid API token is required (Authorization: Bearer …; create one with `account-health token create NAME`)' });
      return;
    }
    res.locals.tokenName = token.name;
    next();
  };
  const requireJson = (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('application/json')) {
      res.status(415).json({ error: 'send the body as JSON with Content-Type: application/json' });
      return;
    }
    next();
  };
  const json = express.json({ limit: API_BODY_LIMIT, strict: false });

  const handle = <R>(parse: (body: unknown) => ParsedBody<R>, ingest: (rows: { at: number; row: R }[]) => Promise<BatchOutcome<number>>) =>
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const parsed = parse(req.body);
        if (parsed.kind === 'not-array') return void res.status(400).json({ error: parsed.error });
        if (parsed.kind === 'too-many') return void res.status(413).json({ error: parsed.error });
        const outcome = await ingest(parsed.valid);
        const errors = [...parsed.errors.map((e) => ({ index: e.at, error: e.error })), ...outcome.errors.map((e) => ({ index: e.at, error: e.error }))].sort((a, b) => a.index - b.index);
        const counts = { loaded: outcome.loaded, inserted: outcome.inserted, updated: outcome.updated, rejected: errors.length };
        // The touched accounts are rescored within seconds, not at the next scheduled tick; the answer says when.
        if (deps.rescore && outcome.accountIds.length > 0) deps.rescore.add(outcome.accountIds);
        const rescore = deps.rescore && outcome.accountIds.length > 0 ? { rescore: { accounts: outcome.accountIds.length, withinSeconds: deps.rescore.withinSeconds } } : {};
        log.info('ingested', { path: req.path, token: res.locals.tokenName, ...counts, superseded: outcome.superseded.length });
        // An item repeating an earlier item's key replaces it: say which, so a sender can find the duplicate.
        const superseded = outcome.superseded.length > 0 ? { superseded: outcome.superseded.length, supersededItems: outcome.superseded.map((s) => ({ index: s.at, by: s.by })) } : {};
        const notes = outcome.notes && outcome.notes.length > 0 ? { notes: outcome.notes } : {};
        if (errors.length > 0) return void res.status(400).json({ error: `${errors.length} item(s) rejected; the other ${outcome.loaded} were loaded`, ...counts, errors, ...superseded, ...notes, ...rescore });
        res.status(200).json({ ...counts, ...superseded, ...notes, ...rescore });
      } catch (error) {
        next(error);
      }
    };

  router.post('/accounts', authenticate, requireJson, json, handle(parseAccountsBody, (rows) => ingestAccounts(deps.db.prisma, rows)));
  router.post('/metrics', authenticate, requireJson, json, handle(parseMetricsBody, (rows) => ingestMetrics(deps.db.prisma, rows, 'api', undefined, deps.clock())));
  router.post('/outcomes', authenticate, requireJson, json, handle(parseOutcomesBody, (rows) => ingestOutcomes(deps.db.prisma, rows, 'api')));

  // Turn body-parser failures into our JSON shape; everything else is a 500 that is logged.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = typeof error === 'object' && error !== null && 'type' in error ? error.type : undefined;
    if (type === 'entity.too.large') return void res.status(413).json({ error: `the body is larger than ${API_BODY_LIMIT}; send at most 10,000 items per call` });
    if (type === 'entity.parse.failed') return void res.status(400).json({ error: 'the body is not valid JSON' });
    if (res.headersSent) return next(error);
    log.error('ingestion failed', { error });
    res.status(500).json({ error: 'internal error; nothing from this call was half-written (each call is one transaction per kind)' });
  });
}
