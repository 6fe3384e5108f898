// response_urls, as Slack honours them: each belongs to one command or one
// message interaction, takes up to five posts within 30 minutes, answers
// ephemerally unless told `in_channel`, and for a message interaction may
// replace or delete the message it came from.
import { randomBytes } from 'node:crypto';
import { messageContent } from './slack-shapes.js';
import { BOT_USER_ID, type Workspace } from './workspace.js';

const MAX_USES = 5;
const LIFETIME_MS = 30 * 60_000;

interface Issued {
  channel: string;
  user: string;
  /** The message an interaction came from (replace_original / delete_original act on it). */
  sourceTs: string | null;
  uses: number;
  at: number;
}

export type ResponseOutcome = { status: number; body: Record<string, unknown> };

export class ResponseUrls {
  private readonly issued = new Map<string, Issued>();

  constructor(
    private readonly ws: Workspace,
    private readonly baseUrl: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  issue(channel: string, user: string, sourceTs: string | null): string {
    const id = randomBytes(18).toString('base64url');
    this.issued.set(id, { channel, user, sourceTs, uses: 0, at: this.now() });
    return `${this.baseUrl()}/response/${id}`;
  }

  respond(id: string, body: Record<string, unknown>): ResponseOutcome {
    const entry = this.issued.get(id);
    if (!entry) return { status: 404, body: { ok: false, error: 'invalid_url' } };
    if (this.now() - entry.at > LIFETIME_MS) return { status: 404, body: { ok: false, error: 'expired_url' } };
    if (entry.uses >= MAX_USES) return { status: 404, body: { ok: false, error: 'used_url' } };
    entry.uses += 1;
    const source = entry.sourceTs === null ? undefined : this.ws.find(entry.channel, entry.sourceTs);
    if (body.delete_original === true || body.delete_original === 'true') {
      if (source) this.ws.remove(source.channel, source.ts);
      return { status: 200, body: { ok: true } };
    }
    const content = messageContent(body);
    if (content === null) return { status: 400, body: { ok: false, error: 'no_text' } };
    const replace = body.replace_original === true || body.replace_original === 'true';
    if (replace && source) {
      source.text = content.text;
      if (content.blocks) source.blocks = content.blocks;
      else delete source.blocks;
      source.edited = source.ephemeralFor === undefined;
      this.ws.touch();
      return { status: 200, body: { ok: true } };
    }
    const inChannel = body.response_type === 'in_channel';
    this.ws.post({ channel: entry.channel, user: BOT_USER_ID, ...content, ...(inChannel ? {} : { ephemeralFor: entry.user }) });
    return { status: 200, body: { ok: true } };
  }
}
