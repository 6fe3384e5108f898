// The HTTP surface beside Slack's endpoint: /healthz and the ingestion API.
import express, { type Express, type Router } from 'express';
import type { AppDeps } from '../app-deps.js';
import { mountIngestRoutes } from './ingest-routes.js';
import { mountSegmentRoutes } from './segment-routes.js';
import { mountWebhookRoutes } from './webhook-routes.js';

export type MountRoutes = (router: Router, deps: AppDeps) => void;

const apiRoutes: MountRoutes[] = [
  mountIngestRoutes,
];

export interface HttpAppOptions {
  /** Slack's verdict on the credentials, reported by /healthz ("unverified" while Slack is out of reach). */
  slackState?: () => string;
}

export function createHttpApp(deps: AppDeps, options: HttpAppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', async (_req, res) => {
    try {
      await deps.db.ping();
      res.status(200).json({ ok: true, database: deps.db.kind, ...(options.slackState ? { slack: options.slackState() } : {}) });
    } catch (error) {
      deps.logger.warn('health check: database unreachable', { error });
      res.status(503).json({ ok: false, error: 'database unreachable' });
    }
  });

  const api = express.Router();
  for (const mount of apiRoutes) mount(api, deps);
  app.use('/api/v1', api);
  mountSegmentRoutes(app, deps);
  // Raw bytes (providers sign them): its own parser, never a JSON one.
  mountWebhookRoutes(app, deps);
  return app;
}
