// A Slack request is served once. A signed request whose signature was already
// accepted in the last five minutes — a replay, or Slack re-sending after a
// slow acknowledgement — is acknowledged and not processed again. The record
// lives in the database (insert-on-conflict on the signature), so it holds
// across replicas; rows past the window are pruned now and then. A request
// whose processing failed is forgotten, so trying it again is served.
//
// On the embedded database there is exactly one process (PGlite's data
// directory lock), so the record is kept in memory there: PGlite runs one
// statement at a time, and an acknowledgement must not queue behind a
// recomputation's transaction.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Request } from 'express';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';

/** Slack refuses (and Bolt rejects) requests whose timestamp is older than this. */
export const REPLAY_WINDOW_MS = 5 * 60_000;
const PRUNE_EVERY_MS = 60_000;
const SIGNATURE_PROPERTY = 'slackRequestSignature';

/** For ExpressReceiver's customPropertiesExtractor: the (already verified) signature reaches middleware in the context. */
export function extractSignature(req: Request): Record<string, string> {
  const signature = req.headers['x-slack-signature'];
  return typeof signature === 'string' && signature !== '' ? { [SIGNATURE_PROPERTY]: signature } : {};
}

/** True the first time a signature is seen within the window; false for a repeat. */
export async function acceptSignature(db: Database, signature: string): Promise<boolean> {
  const rows = await db.prisma.$queryRaw<{ accepted: number }[]>`
    INSERT INTO slack_request_signatures AS s (signature, received_at) VALUES (${signature}, now())
    ON CONFLICT (signature) DO UPDATE SET received_at = EXCLUDED.received_at
      WHERE s.received_at < now() - make_interval(secs => ${REPLAY_WINDOW_MS / 1000})
    RETURNING 1 AS accepted`;
  return rows.length > 0;
}

export async function forgetSignature(db: Database, signature: string): Promise<void> {
  await db.prisma.$executeRaw`DELETE FROM slack_request_signatures WHERE signature = ${signature}`;
}

export async function pruneSignatures(db: Database): Promise<number> {
  return db.prisma.$executeRaw`DELETE FROM slack_request_signatures WHERE received_at < now() - make_interval(secs => ${REPLAY_WINDOW_MS / 1000})`;
}

interface SignatureStore {
  accept(signature: string): Promise<boolean>;
  forget(signature: string): Promise<void>;
  prune(): Promise<unknown>;
}

function databaseStore(db: Database): SignatureStore {
  return { accept: (s) => acceptSignature(db, s), forget: (s) => forgetSignature(db, s), prune: () => pruneSignatures(db) };
}

/** The one process owning an embedded database: signature → when it was accepted. */
export function memoryStore(now: () => number = Date.now): SignatureStore {
  const seen = new Map<string, number>();
  return {
    async accept(signature) {
      const at = seen.get(signature);
      if (at !== undefined && now() - at < REPLAY_WINDOW_MS) return false;
      seen.set(signature, now());
      return true;
    },
    async forget(signature) {
      seen.delete(signature);
    },
    async prune() {
      for (const [signature, at] of seen) if (now() - at >= REPLAY_WINDOW_MS) seen.delete(signature);
    },
  };
}

export function serveOnce(deps: { db: Database; logger: Logger }): Middleware<AnyMiddlewareArgs> {
  const log = deps.logger.child('slack');
  const store = deps.db.kind === 'pglite' ? memoryStore() : databaseStore(deps.db);
  let lastPrune = 0;
  return async (args) => {
    const signature: unknown = args.context[SIGNATURE_PROPERTY];
    // Socket Mode has no signature (Bolt acknowledges envelopes itself).
    if (typeof signature !== 'string') return args.next();
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      store.prune().catch((error: unknown) => log.warn('could not prune seen request signatures', { error }));
    }
    if (await store.accept(signature)) {
      try {
        return await args.next();
      } catch (error) {
        // Not served after all (a listener failed): the same request may be tried again.
        await store.forget(signature).catch((forgetError: unknown) => log.warn('could not forget a failed request signature', { error: forgetError }));
        throw error;
      }
    }
    log.info('repeated Slack request acknowledged, not processed again', { type: args.body.type ?? 'slash_command' });
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
  };
}
