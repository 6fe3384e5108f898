// The two HubSpot CRM v3 reads the account sync needs, with HubSpot's paging
// and rate limits handled: companies (GET /crm/v3/objects/companies) and owners
// (GET /crm/v3/owners), each `limit=100` a page with an opaque `after` cursor in
// `paging.next.after`. A 429 waits as long as Retry-After says (HubSpot's
// limits roll over 10-second windows, the wait when it says nothing); 5xx and
// dropped connections are retried a few times, then the page fails with a
// HubSpotError and the sync stops where it was (the cursor is kept).
import { z } from 'zod';

export interface HubSpotClientOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts per request for 429, 5xx and network failures. */
  maxAttempts?: number;
  timeoutMs?: number;
}

export class HubSpotError extends Error {
  constructor(message: string, readonly status: number | null, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HubSpotError';
  }
}

const pagingSchema = z.looseObject({ next: z.looseObject({ after: z.string().min(1) }).optional() }).optional();

const companySchema = z.looseObject({
  id: z.string().regex(/^\d+$/),
  properties: z.record(z.string(), z.string().nullable()).default({}),
  archived: z.boolean().optional(),
});
export type HubSpotCompany = z.output<typeof companySchema>;

const ownerSchema = z.looseObject({ id: z.string(), email: z.string().nullish(), archived: z.boolean().optional() });
export type HubSpotOwner = z.output<typeof ownerSchema>;

const pageOf = <T extends z.ZodType>(item: T) => z.looseObject({ results: z.array(item), paging: pagingSchema });

export interface Page<T> {
  results: T[];
  /** The cursor of the next page; undefined on the last one. */
  after: string | undefined;
}

const DEFAULT_RATE_LIMIT_WAIT_MS = 10_000;
const MAX_WAIT_MS = 60_000;

/** Retry-After in seconds (or an HTTP date), capped; HubSpot's window when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number {
  if (header === null || header.trim() === '') return DEFAULT_RATE_LIMIT_WAIT_MS;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_WAIT_MS) : DEFAULT_RATE_LIMIT_WAIT_MS;
}

export class HubSpotClient {
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  /** Requests sent, 429s waited out and failures retried, for the sync's summary and tests. */
  readonly stats = { requests: 0, rateLimited: 0, retried: 0 };

  constructor(private readonly options: HubSpotClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.maxAttempts = options.maxAttempts ?? 5;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async listCompanies(properties: readonly string[], after: string | undefined): Promise<Page<HubSpotCompany>> {
    const query = new URLSearchParams({ limit: '100', archived: 'false', properties: properties.join(',') });
    if (after !== undefined) query.set('after', after);
    return this.page(`/crm/v3/objects/companies?${query}`, companySchema);
  }

  async listOwners(after: string | undefined): Promise<Page<HubSpotOwner>> {
    const query = new URLSearchParams({ limit: '100', archived: 'false' });
    if (after !== undefined) query.set('after', after);
    return this.page(`/crm/v3/owners?${query}`, ownerSchema);
  }

  private async page<T extends z.ZodType>(path: string, item: T): Promise<Page<z.output<T>>> {
    const body = await this.get(path);
    const parsed = pageOf(item).safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HubSpotError(`HubSpot answered ${path.split('?')[0]} with an unexpected body (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`, 200);
    }
    return { results: parsed.data.results as z.output<T>[], after: parsed.data.paging?.next?.after };
  }

  private async get(path: string): Promise<unknown> {
    const url = `${this.options.baseUrl}${path}`;
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      this.stats.requests += 1;
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          headers: { authorization: `Bearer ${this.options.token}`, accept: 'application/json' },
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        lastProblem = `the connection failed (${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)})`;
        await this.backoff(attempt);
        continue;
      }
      if (response.status === 429) {
        this.stats.rateLimited += 1;
        lastProblem = 'rate limited (429)';
        const wait = retryAfterMs(response.headers.get('retry-after'), Date.now());
        await response.body?.cancel();
        await this.sleep(wait);
        continue;
      }
      if (response.status >= 500) {
        lastProblem = `HubSpot answered ${response.status}`;
        await response.body?.cancel();
        await this.backoff(attempt);
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw new HubSpotError(`HubSpot refused HUBSPOT_TOKEN (${response.status}); it must be a private app token with the crm.objects.companies.read and crm.objects.owners.read scopes`, response.status);
      }
      if (!response.ok) {
        const text = (await response.text()).slice(0, 300);
        throw new HubSpotError(`HubSpot answered ${response.status} to ${path.split('?')[0]}: ${text}`, response.status);
      }
      try {
        return (await response.json()) as unknown;
      } catch (error) {
        // A body cut off mid-way (the connection dropped while reading): as retryable as a failed connect.
        lastProblem = `the response was cut off (${error instanceof Error ? error.message : String(error)})`;
        await this.backoff(attempt);
      }
    }
    throw new HubSpotError(`HubSpot request ${path.split('?')[0]} failed after ${this.maxAttempts} attempts: ${lastProblem}`, null);
  }

  private async backoff(attempt: number): Promise<void> {
    if (attempt >= this.maxAttempts) return;
    this.stats.retried += 1;
    await this.sleep(Math.min(250 * 2 ** (attempt - 1), 5_000));
  }
}
