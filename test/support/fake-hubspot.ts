// A fake HubSpot CRM v3 API on loopback: companies and owners, listed 100 (or
// `limit`) at a time with an opaque `after` cursor in paging.next.after, as
// HubSpot pages. It checks the Bearer token, records every request, and plays
// scripted faults: a 429 with Retry-After, a 5xx, or a connection dropped
// before any answer (the socket destroyed), on chosen requests.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCompany {
  id: string;
  properties: Record<string, string | null>;
}

export interface FakeOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
}

export type HubSpotFault = { status: 429; retryAfter?: string } | { status: 500 | 502 | 503 } | { drop: true };

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

const cursorFor = (index: number) => Buffer.from(`idx:${index}`).toString('base64url');
const indexOf = (cursor: string | null): number | null => {
  if (cursor === null) return 0;
  const m = /^idx:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
};

export class FakeHubSpot {
  readonly requests: RecordedRequest[] = [];
  companies: FakeCompany[] = [];
  owners: FakeOwner[] = [];
  token = 'pat-na1-fake-token-0001';
  private readonly faults: { match: (r: RecordedRequest, n: number) => boolean; fault: HubSpotFault }[] = [];
  private server: http.Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
    this.server = null;
  }

  /** Plays `fault` once, on the first request `match` accepts (n = that request's 1-based number). */
  failOnce(match: (request: RecordedRequest, n: number) => boolean, fault: HubSpotFault): void {
    this.faults.push({ match, fault });
  }

  companyRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/crm/v3/objects/companies');
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const request: RecordedRequest = { path: url.pathname.replace(/\/$/, ''), query: url.searchParams, authorization: req.headers.authorization };
    this.requests.push(request);
    const at = this.faults.findIndex((f) => f.match(request, this.requests.length));
    const fault = at >= 0 ? this.faults.splice(at, 1)[0]?.fault : undefined;
    if (fault) {
      if ('drop' in fault) {
        req.socket.destroy();
        return;
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.status === 429 && fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.status, headers);
      res.end(JSON.stringify(fault.status === 429
        ? { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: 'c0ffee00-0000-4000-8000-000000000001', policyName: 'SECONDLY' }
        : { status: 'error', message: 'internal error', correlationId: 'c0ffee00-0000-4000-8000-000000000002' }));
      return;
    }
    if (request.authorization !== `Bearer ${this.token}`) {
      return this.json(res, 401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' });
    }
    if (request.path === '/crm/v3/objects/companies') return this.listCompanies(res, url.searchParams);
    if (request.path === '/crm/v3/owners') return this.page(res, url.searchParams, this.owners, (o) => ({ ...o, type: 'PERSON', archived: false, createdAt: '2025-01-02T10:00:00.000Z', updatedAt: '2026-06-01T10:00:00.000Z' }));
    this.json(res, 404, { status: 'error', message: `no route ${request.path}` });
  }

  private listCompanies(res: http.ServerResponse, query: URLSearchParams): void {
    const wanted = (query.get('properties') ?? '').split(',').filter((p) => p !== '');
    this.page(res, query, this.companies, (c) => ({
      id: c.id,
      // HubSpot returns the asked-for properties (null when unset) plus a few it always sends.
      properties: Object.fromEntries([['hs_object_id', c.id], ['createdate', '2025-03-04T10:00:00.000Z'], ...wanted.map((p) => [p, c.properties[p] ?? null])]),
      createdAt: '2025-03-04T10:00:00.000Z',
      updatedAt: '2026-10-01T10:00:00.000Z',
      archived: false,
    }));
  }

  private page<T>(res: http.ServerResponse, query: URLSearchParams, all: readonly T[], render: (item: T) => unknown): void {
    const limit = Math.min(Number(query.get('limit') ?? '10'), 100);
    const start = indexOf(query.get('after'));
    if (start === null) return this.json(res, 400, { status: 'error', message: 'invalid after cursor', category: 'VALIDATION_ERROR' });
    const results = all.slice(start, start + limit).map(render);
    const next = start + limit < all.length ? { next: { after: cursorFor(start + limit), link: `?after=${cursorFor(start + limit)}` } } : undefined;
    this.json(res, 200, { results, ...(next ? { paging: next } : {}) });
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

/** 250 companies over 3 owners, as the sync tests use them: every 10th has no domain, every 7th no owner. */
export function generateCompanies(count: number, owners: readonly FakeOwner[]): FakeCompany[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const owner = owners[i % owners.length];
    return {
      id: String(5_000_000 + n),
      properties: {
        name: `Company ${String(n).padStart(3, '0')}`,
        domain: n % 10 === 0 ? null : `company-${n}.example`,
        hubspot_owner_id: n % 7 === 0 || !owner ? null : owner.id,
        annualrevenue: String(10_000 * n),
        contract_renewal_date: `2027-${String((n % 12) + 1).padStart(2, '0')}-15`,
      },
    };
  });
}

export const FAKE_OWNERS: FakeOwner[] = [
  { id: '41629779', email: 'ana@widgets.example', firstName: 'Ana', lastName: 'Alves', userId: 9586504 },
  { id: '41629780', email: 'ben@widgets.example', firstName: 'Ben', lastName: 'Brook', userId: 9586505 },
  { id: '41629781', email: 'cho@widgets.example', firstName: 'Cho', lastName: 'Chen', userId: 9586506 },
];
