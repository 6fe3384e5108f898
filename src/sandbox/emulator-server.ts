// The sandbox's one HTTP server, on loopback: the Slack Web API the app calls
// (/api/<method>, bot token required), the response_urls it posts to
// (/response/<id>), and the page with its small JSON API (/sandbox/...).
// Page requests must come from the page itself: the Host header must be this
// server's loopback address (no DNS rebinding) and writes must be JSON (a
// cross-site form cannot send that without a preflight this server refuses).
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { StartupError } from '../server/start-server.js';
import { pageFile, type PageFile } from './page-files.js';
import { pageState } from './page-state.js';
import type { ResponseUrls } from './response-urls.js';
import type { UserActions } from './user-actions.js';
import { MAX_UPLOAD_BYTES } from './slack-shapes.js';
import type { SandboxWebApi } from './web-api.js';
import type { Workspace } from './workspace.js';

export interface TimeControls {
  clock(): Date;
  /** Runs a recomputation now; returns a one-line summary for the page. */
  recompute(): Promise<string>;
  /** Moves the app's clock a day on, lets the day's data arrive, runs the day's work. */
  advanceDay(): Promise<string>;
}

export interface EmulatorParts {
  ws: Workspace;
  api: SandboxWebApi;
  responses: ResponseUrls;
  actions: UserActions;
  time: TimeControls;
}

const MAX_BODY = 1_000_000;
const LONG_POLL_MS = 25_000;

const user = z.string().regex(/^[UW][A-Z0-9]{2,}$/);
const channel = z.string().regex(/^[CDG][A-Z0-9]{2,}$/);
const form = z.record(z.string().max(300), z.union([z.string().max(3000), z.array(z.string().max(200)).max(100)]));
const schemas = {
  command: z.object({ user, channel, text: z.string().min(1).max(4000) }),
  messageAction: z.object({ user, channel, ts: z.string().max(40), blockId: z.string().max(255), actionId: z.string().max(255), selected: z.string().max(2000).optional() }),
  viewAction: z.object({ user, viewId: z.string().max(40), blockId: z.string().max(255), actionId: z.string().max(255), selected: z.string().max(2000).optional(), form: form.default({}) }),
  submit: z.object({ user, viewId: z.string().max(40), form: form.default({}) }),
  close: z.object({ user, viewId: z.string().max(40) }),
  react: z.object({ user, channel, ts: z.string().max(40), reaction: z.string().regex(/^[a-z0-9_+-]{1,60}$/), add: z.boolean() }),
  home: z.object({ user }),
  simulate: z.object({ rateLimitedPosts: z.number().int().min(0).max(20) }),
};

export class EmulatorServer {
  private server: http.Server | null = null;
  url = '';

  constructor(private readonly parts: EmulatorParts) {}

  async start(port: number): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => send(res, 500, { ok: false, error: error instanceof Error ? error.message : String(error) }));
    });
    this.server.keepAliveTimeout = 60_000;
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening').catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new StartupError(`Port ${port} on 127.0.0.1 is already in use: stop what uses it, or pass --port N (0 picks a free port).`);
      throw error;
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server = null;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    if (req.method === 'POST' && path.startsWith('/api/')) return this.webApi(req, res, path.slice('/api/'.length));
    if (req.method === 'POST' && path.startsWith('/response/')) {
      const body = parseBody(await readBody(req), req.headers['content-type'] ?? '');
      const outcome = this.parts.responses.respond(path.slice('/response/'.length), body ?? {});
      return send(res, outcome.status, outcome.body);
    }
    if (req.method === 'POST' && path.startsWith('/upload/')) {
      const accepted = this.parts.api.receiveUpload(path.slice('/upload/'.length), await readBytes(req));
      res.writeHead(accepted ? 200 : 404, { 'content-type': 'text/plain' });
      return void res.end(accepted ? 'OK' : 'upload not found');
    }
    if (!this.sameOrigin(req)) return send(res, 403, { ok: false, error: 'This sandbox answers only its own page on 127.0.0.1.' });
    if (req.method === 'GET' && path.startsWith('/files/')) return this.serveUpload(res, path.slice('/files/'.length));
    if (req.method === 'GET') {
      const file = pageFile(path);
      if (file) return this.serveFile(res, file);
      if (path === '/sandbox/state') return this.state(res, url);
      if (path === '/sandbox/wait') {
        await this.parts.ws.changed(Number(url.searchParams.get('after') ?? '0') || 0, LONG_POLL_MS);
        return send(res, 200, { version: this.parts.ws.version });
      }
      return send(res, 404, { ok: false, error: 'not_found' });
    }
    if (req.method !== 'POST' || !(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 405, { ok: false, error: 'method_not_allowed' });
    const raw = await readBody(req);
    const body: unknown = raw === '' ? {} : JSON.parse(raw);
    return send(res, 200, await this.pageAction(path, body));
  }

  private async webApi(req: http.IncomingMessage, res: http.ServerResponse, method: string): Promise<void> {
    const body = parseBody(await readBody(req), req.headers['content-type'] ?? '') ?? {};
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (typeof body.token === 'string' ? body.token : null);
    const answer = this.parts.api.call(method, body, bearer);
    send(res, answer.status, answer.body, answer.headers);
  }

  private async pageAction(path: string, body: unknown): Promise<Record<string, unknown>> {
    const { actions, time, api } = this.parts;
    const parse = <T extends z.ZodType>(schema: T): z.infer<T> => schema.parse(body);
    try {
      switch (path) {
        case '/sandbox/command': {
          const b = parse(schemas.command);
          return await actions.command(b.user, b.channel, b.text);
        }
        case '/sandbox/message-action': {
          const b = parse(schemas.messageAction);
          return await actions.messageAction(b.user, b.channel, b.ts, b.blockId, b.actionId, b.selected);
        }
        case '/sandbox/view-action': {
          const b = parse(schemas.viewAction);
          return await actions.viewAction(b.user, b.viewId, b.blockId, b.actionId, b.selected, b.form);
        }
        case '/sandbox/view-submit': {
          const b = parse(schemas.submit);
          return await actions.submitView(b.user, b.viewId, b.form);
        }
        case '/sandbox/view-close': {
          const b = parse(schemas.close);
          return await actions.closeView(b.user, b.viewId);
        }
        case '/sandbox/react': {
          const b = parse(schemas.react);
          return await actions.react(b.user, b.channel, b.ts, b.reaction, b.add);
        }
        case '/sandbox/home':
          return await actions.openHome(parse(schemas.home).user);
        case '/sandbox/recompute':
          return { ok: true, summary: await time.recompute() };
        case '/sandbox/advance-day':
          return { ok: true, summary: await time.advanceDay() };
        case '/sandbox/simulate':
          api.faults.rateLimitedPosts = parse(schemas.simulate).rateLimitedPosts;
          return { ok: true };
        default:
          return { ok: false, error: 'not_found' };
      }
    } catch (error) {
      if (error instanceof z.ZodError) return { ok: false, error: `bad request: ${error.issues[0]?.path.join('.') ?? ''} ${error.issues[0]?.message ?? ''}` };
      throw error;
    }
  }

  private state(res: http.ServerResponse, url: URL): void {
    const me = user.safeParse(url.searchParams.get('user'));
    if (!me.success || !this.parts.ws.users.has(me.data)) return send(res, 400, { ok: false, error: 'unknown user' });
    const selected = url.searchParams.get('channel');
    if (selected) this.parts.ws.markSeen(me.data, selected);
    send(res, 200, pageState(this.parts.ws, me.data, selected, this.parts.time.clock()) as unknown as Record<string, unknown>);
  }

  private async serveFile(res: http.ServerResponse, file: PageFile): Promise<void> {
    const content = await readFile(file.path);
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'self'; img-src 'self' data: https: http:; style-src 'self'" });
    res.end(content);
  }

  /** An uploaded file, for the page: images as themselves, anything else only as a download. */
  private serveUpload(res: http.ServerResponse, id: string): void {
    const file = this.parts.ws.files.get(id);
    if (!file?.bytes || !file.completed) return send(res, 404, { ok: false, error: 'file_not_found' });
    const image = file.mimetype.startsWith('image/');
    res.writeHead(200, { 'content-type': file.mimetype, 'x-content-type-options': 'nosniff', ...(image ? {} : { 'content-disposition': 'attachment' }) });
    res.end(file.bytes);
  }

  /** Requests from this server's own page: Host is our loopback address. */
  private sameOrigin(req: http.IncomingMessage): boolean {
    const host = req.headers.host ?? '';
    const { port } = new URL(this.url);
    return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  }
}

async function readBytes(req: http.IncomingMessage, limit = MAX_UPLOAD_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  return (await readBytes(req, MAX_BODY)).toString('utf8');
}

/** The Web API takes form bodies whose complex values are JSON strings, or JSON bodies. */
function parseBody(raw: string, contentType: string): Record<string, unknown> | null {
  if (raw === '') return {};
  try {
    if (contentType.includes('application/json')) {
      const parsed: unknown = JSON.parse(raw);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
    }
    const args: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw)) args[key] = /^[[{]/.test(value) ? jsonOr(value) : value;
    return args;
  } catch {
    return null;
  }
}

function jsonOr(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function send(res: http.ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
