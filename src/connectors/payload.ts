// Reading provider payloads: JSON parsed once, validated with zod schemas that
// keep unknown fields (providers add fields all the time), and a refusal that
// names the first field the mapping needs but did not get.
import { z } from 'zod';
import type { Alias } from '../accounts/aliases.js';
import { companyMailDomain, isAliasKind, normaliseAlias } from '../accounts/aliases.js';
import type { ExternalId, Normalised, WebhookDelivery } from './types.js';

export function parseJson(delivery: WebhookDelivery): { ok: true; value: unknown } | { ok: false; refused: Normalised } {
  try {
    return { ok: true, value: JSON.parse(delivery.rawBody.toString('utf8')) as unknown };
  } catch {
    return { ok: false, refused: { kind: 'refused', field: 'body', error: 'the body is not valid JSON' } };
  }
}

/** The first problem, as "field: what is wrong", with the field path the provider's docs use (detail.id, data.object.customer). */
export function refusal(error: z.ZodError, input: unknown): Normalised {
  const issue = error.issues[0];
  const path = issue?.path ?? [];
  const field = path.length > 0 ? path.join('.') : 'body';
  let value: unknown = input;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  const absent = path.length > 0 && (value === undefined || value === null);
  return { kind: 'refused', field, error: absent ? `${field} is required` : `${field}: ${issue?.message ?? 'invalid'}` };
}

/** Parses with `schema`, or says which field is missing or wrong. */
export function read<S extends z.ZodType>(schema: S, value: unknown): { ok: true; value: z.output<S> } | { ok: false; refused: Normalised } {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, refused: refusal(parsed.error, value) };
}

/** Provider ids arrive as numbers or strings; we keep them as text. */
export const idField = z.union([z.string().trim().min(1), z.number().int().nonnegative()]).transform(String);

/** ISO 8601 with a zone, as providers send; normalised to UTC. */
export const isoInstant = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time with a zone')
  .transform((s) => new Date(s).toISOString());

/** A decimal amount sent as text ("59.99"), as Shopify does. */
export const decimalText = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : Number.NaN;
  if (Number.isFinite(n)) return n;
  ctx.addIssue({ code: 'custom', message: `"${String(v)}" is not an amount` });
  return z.NEVER;
});

/** The hints in Segment's own vocabulary, so a stored message says where its account is to be found. */
export function externalIds(aliases: readonly Alias[]): ExternalId[] {
  return aliases.map((a) => ({ id: a.value, type: a.kind === 'domain' ? 'email_domain' : `${a.kind}_id`, collection: 'accounts', encoding: 'none' }));
}

/** A domain hint from an e-mail address, unless it is absent or a public mail provider. */
export function domainHint(email: string | null | undefined): Alias[] {
  const host = email ? companyMailDomain(email) : null;
  return host ? [{ kind: 'domain', value: host }] : [];
}

/**
 * The inverse of externalIds: the alias hints a stored message carries in
 * `context.externalIds` (accounts collection), in the order sent. Entries of
 * other collections or unknown kinds are not hints and are skipped.
 */
export function attributionHints(context: Record<string, unknown> | null | undefined): Alias[] {
  const list = context?.['externalIds'];
  if (!Array.isArray(list)) return [];
  const hints: Alias[] = [];
  for (const entry of list as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { id, type, collection } = entry as Record<string, unknown>;
    if ((collection !== undefined && collection !== 'accounts') || typeof type !== 'string' || (typeof id !== 'string' && typeof id !== 'number')) continue;
    const kind = type === 'email_domain' ? 'domain' : type.endsWith('_id') ? type.slice(0, -3) : null;
    if (kind === null || !isAliasKind(kind)) continue;
    const alias = normaliseAlias(kind, String(id));
    if (alias.ok) hints.push(alias.value);
  }
  return hints;
}
