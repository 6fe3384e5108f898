// POST /webhooks/KIND/SOURCE: provider deliveries (Shopify, Stripe, Zendesk,
// Segment's Webhooks (Actions) destination). The body is kept as raw bytes —
// every provider signs the exact bytes it sent — so this router is mounted
// before, and apart from, any JSON parser. The work is receiveWebhook's.
import express, { type NextFunction, type Request, type Response } from 'express';
import { resolveAttribution } from '../accounts/alias-store.js';
import type { AppDeps } from '../app-deps.js';
import { receiveWebhook, type ReceiveWebhookDeps } from '../connectors/receive-webhook.js';
import type { WebhookDelivery } from '../connectors/types.js';
import { createWebhookIntake } from '../events/webhook-intake.js';

/** Providers send single events well under this (Shopify caps order payloads far lower; Segment batches stay under 500 KB). */
export const WEBHOOK_BODY_LIMIT = '1mb';

export function mountWebhookRoutes(app: express.Express, deps: AppDeps): void {
  const log = deps.logger.child('webhooks');
  const receive: ReceiveWebhookDeps = {
    intake: createWebhookIntake(deps.db.prisma),
    resolve: async (hints) => (await resolveAttribution(deps.db.prisma, hints))?.externalId ?? null,
    clock: deps.clock,
  };
  const router = express.Router();
  // Any content type: the bytes are what was signed, whatever the provider labels them.
  router.post('/:kind/:source', express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req: Request, res: Response, next: NextFunction) => {
    try {
      const kind = String(req.params['kind']);
      const source = String(req.params['source']);
      const delivery: WebhookDelivery = { rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), headers: lowerCasedHeaders(req) };
      const answer = await receiveWebhook(receive, kind, source, delivery);
      const level = answer.status === 200 ? 'info' : 'warn';
      log[level]('webhook', { kind, source, status: answer.status, ...(answer.status === 200 ? answer.body : { error: answer.body['error'] }) });
      res.status(answer.status).json(answer.body);
    } catch (error) {
      next(error);
    }
  });
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = typeof error === 'object' && error !== null && 'type' in error ? error.type : undefined;
    if (type === 'entity.too.large') return void res.status(413).json({ error: `the delivery is larger than ${WEBHOOK_BODY_LIMIT}` });
    if (type === 'encoding.unsupported') return void res.status(415).json({ error: 'send the body uncompressed or gzip/deflate encoded' });
    if (res.headersSent) return next(error);
    log.error('webhook intake failed', { error });
    // A 5xx makes every provider retry the delivery; the (source, messageId) de-duplication makes the retry safe.
    res.status(500).json({ error: 'internal error; nothing from this delivery was stored: the provider will retry it' });
  });
  app.use('/webhooks', router);
}

function lowerCasedHeaders(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
