// Segment's HTTP Tracking API on the serve port: POST /v1/track, /v1/identify,
// /v1/group, /v1/page, /v1/screen, /v1/alias and /v1/batch. Authenticated as
// Segment does it: HTTP Basic with the write key as user name and an empty
// password (with or without the colon), or "writeKey" in the JSON body. So
// Segment's own libraries, RudderStack, Jitsu or Customer.io can send here
// unchanged by pointing their host at this server.
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { AppDeps } from '../app-deps.js';
import { verifyWriteKey } from '../events/event-sources.js';
import { ingestSegmentMessages, type IngestSummary } from '../events/ingest-messages.js';
import { recordRefused } from '../events/source-activity.js';
import { MAX_BATCH_BYTES, MAX_MESSAGE_BYTES, type MessageType } from '../events/segment-message.js';

const SINGLE_TYPES: readonly MessageType[] = ['track', 'identify', 'group', 'page', 'screen', 'alias'];

export function mountSegmentRoutes(app: express.Express, deps: AppDeps): void {
  const router: Router = express.Router();
  const log = deps.logger.child('events');
  // Segment's clients do not all send Content-Type: application/json; parse any body as JSON.
  const single = express.json({ limit: MAX_MESSAGE_BYTES, strict: false, type: () => true });
  const batch = express.json({ limit: MAX_BATCH_BYTES, strict: false, type: () => true });

  const handle = (impliedType: MessageType | null) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      const body: unknown = req.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return void res.status(400).json({ success: false, error: impliedType ? 'the body must be one JSON message object' : 'the body must be a JSON object {"batch": […]}' });
      }
      const writeKey = writeKeyOf(req.get('authorization'), body);
      const source = writeKey === null ? null : await verifyWriteKey(deps.db.prisma, writeKey, deps.clock());
      if (!source) {
        res.set('WWW-Authenticate', 'Basic realm="account-health events"');
        return void res.status(401).json({ success: false, error: 'a valid write key is required: HTTP Basic with the write key as user name and an empty password, or "writeKey" in the body (create one with `account-health source create NAME`)' });
      }
      let messages: unknown[];
      let batchSentAt: string | null = null;
      if (impliedType) {
        messages = [withoutWriteKey(body)];
      } else {
        const list = 'batch' in body ? body.batch : undefined;
        if (!Array.isArray(list)) return void res.status(400).json({ success: false, error: '"batch" must be an array of messages' });
        messages = list;
        const sentAt = 'sentAt' in body ? body.sentAt : undefined;
        batchSentAt = typeof sentAt === 'string' ? sentAt : null;
      }
      const summary = await ingestSegmentMessages({ prisma: deps.db.prisma }, source, messages, deps.clock(), { ...(impliedType ? { impliedType } : {}), batchSentAt });
      if (summary.refused > 0) {
        const first = summary.results.find((r) => r.status === 'refused');
        await recordRefused(deps.db.prisma, source.id, `${summary.refused} message(s) refused; first: ${first?.status === 'refused' ? first.reason : ''}`, deps.clock(), summary.refused);
      }
      log.info('events received', { source: source.name, path: req.path, accepted: summary.accepted, duplicates: summary.duplicates, refused: summary.refused });
      respond(res, summary);
    } catch (error) {
      next(error);
    }
  };

  for (const type of SINGLE_TYPES) router.post(`/${type}`, single, handle(type));
  router.post('/batch', batch, handle(null));
  // Segment's own import alias for batch.
  router.post('/import', batch, handle(null));

  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    const type = typeof error === 'object' && error !== null && 'type' in error ? error.type : undefined;
    const isBatch = req.path === '/batch' || req.path === '/import';
    if (type === 'entity.too.large') {
      return void res.status(400).json({ success: false, error: isBatch ? 'the batch is larger than the 500 KB limit per batch: send fewer messages per call' : 'the message is larger than the 32 KB limit per message' });
    }
    if (type === 'entity.parse.failed') return void res.status(400).json({ success: false, error: 'the body is not valid JSON' });
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') return void res.status(415).json({ success: false, error: 'send the body as UTF-8 JSON' });
    if (res.headersSent) return next(error);
    log.error('event intake failed', { error });
    res.status(500).json({ success: false, error: 'internal error; nothing from this call was stored (each call is one transaction): retry it' });
  });
  app.use('/v1', router);
}

/** Basic "key:" or "key" (no colon), else the body's writeKey. */
export function writeKeyOf(authorization: string | undefined, body: object): string | null {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const key = colon === -1 ? decoded : decoded.slice(0, colon);
    if (key !== '') return key;
  }
  const fromBody = 'writeKey' in body ? body.writeKey : undefined;
  return typeof fromBody === 'string' && fromBody !== '' ? fromBody : null;
}

function withoutWriteKey(body: object): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...body };
  delete copy['writeKey'];
  return copy;
}

/**
 * 200 when every message was stored (or already was); 400 when some were
 * refused, saying which and why — the others are stored all the same.
 */
function respond(res: Response, summary: IngestSummary): void {
  const counts = { accepted: summary.accepted, duplicates: summary.duplicates, refused: summary.refused };
  if (summary.refused === 0) return void res.status(200).json({ success: true, ...counts });
  const errors = summary.results.flatMap((r) => (r.status === 'refused' ? [{ index: r.index, messageId: r.messageId, error: r.reason }] : []));
  const kept = summary.accepted + summary.duplicates;
  res.status(400).json({ success: false, error: `${summary.refused} message(s) refused; the other ${kept} were stored`, ...counts, errors });
}
