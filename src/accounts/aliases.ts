// The ids an account is known by in other systems, as people write them in the
// accounts CSV and API: `shopify:123;stripe:cus_9;zendesk:77;hubspot:42;domain:acme.com`.
// Pure: parsing, normalising and the e-mail-domain rules; the store is alias-store.ts.
import { domain as parseDomain, type Parsed } from '../ingest/parse-fields.js';

export const ALIAS_KINDS = ['shopify', 'stripe', 'zendesk', 'hubspot', 'domain'] as const;
export type AliasKind = (typeof ALIAS_KINDS)[number];

export interface Alias {
  kind: AliasKind;
  value: string;
}

/** An account with more ids than this is more likely a pasted list gone wrong. */
export const MAX_ALIASES_PER_ACCOUNT = 100;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (error: string): Parsed<never> => ({ ok: false, error });

export function isAliasKind(kind: string): kind is AliasKind {
  return (ALIAS_KINDS as readonly string[]).includes(kind);
}

/**
 * Mail providers shared by many companies: an address at one says nothing
 * about the customer, so such a domain is never an alias and never attributes.
 */
const CONSUMER_MAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'ymail.com', 'hotmail.com', 'hotmail.co.uk', 'outlook.com',
  'live.com', 'msn.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.de',
  'gmx.net', 'web.de', 't-online.de', 'mail.com', 'mail.ru', 'yandex.ru', 'yandex.com', 'qq.com', '163.com', '126.com',
  'zoho.com', 'fastmail.com', 'hey.com', 'orange.fr', 'free.fr', 'laposte.net', 'libero.it', 'btinternet.com',
]);

export function isConsumerMailDomain(host: string): boolean {
  return CONSUMER_MAIL_DOMAINS.has(host.toLowerCase());
}

/** Numeric ids (Shopify company, Zendesk organization, HubSpot company); Shopify's GraphQL gid form is reduced to the number. */
function numericId(kind: AliasKind, raw: string, example: string): Parsed<string> {
  const gid = kind === 'shopify' ? /^gid:\/\/shopify\/Company\/(\d+)$/.exec(raw)?.[1] : undefined;
  const id = gid ?? raw;
  if (/^\d{1,20}$/.test(id)) return ok(id.replace(/^0+(?=\d)/, ''));
  return fail(`${kind} id "${raw}" must be a number like ${example}`);
}

/** One alias, normalised so the same id always compares equal. */
export function normaliseAlias(kind: string, raw: string): Parsed<Alias> {
  const value = raw.trim();
  const lowered = kind.trim().toLowerCase();
  if (!isAliasKind(lowered)) return fail(`unknown alias kind "${kind.trim()}" (kinds: ${ALIAS_KINDS.join(', ')})`);
  if (value === '') return fail(`alias "${lowered}:" has no id (write kind:id, e.g. ${lowered}:${exampleFor(lowered)})`);
  const checked = checkValue(lowered, value);
  return checked.ok ? ok({ kind: lowered, value: checked.value }) : checked;
}

function exampleFor(kind: AliasKind): string {
  return { shopify: '6543210', stripe: 'cus_NffrFeUfNV2Hib', zendesk: '360012345', hubspot: '18139417', domain: 'acme.com' }[kind];
}

function checkValue(kind: AliasKind, value: string): Parsed<string> {
  switch (kind) {
    case 'shopify':
    case 'zendesk':
    case 'hubspot':
      return numericId(kind, value, exampleFor(kind));
    case 'stripe':
      // Stripe ids are case-sensitive; customers are cus_…, kept as written.
      return /^cus_[A-Za-z0-9]{1,250}$/.test(value) ? ok(value) : fail(`stripe id "${value}" must be a Stripe customer id like ${exampleFor('stripe')}`);
    case 'domain': {
      const host = parseDomain(value);
      if (!host.ok) return fail(host.error.replace(/^domain /, 'domain alias '));
      return isConsumerMailDomain(host.value) ? fail(`domain alias "${host.value}" is a public mail provider shared by many companies; give the customer's own domain`) : host;
    }
  }
}

export const aliasKey = (alias: Alias): string => `${alias.kind}:${alias.value}`;

/**
 * The `aliases` field: `kind:id` items separated by `;` (a JSON array of
 * `kind:id` strings also works). Every problem is reported at once; repeats
 * collapse to one.
 */
export function parseAliasList(input: unknown): Parsed<Alias[]> {
  const items = typeof input === 'string' ? input.split(';') : Array.isArray(input) && input.every((i) => typeof i === 'string') ? (input as string[]) : null;
  if (items === null) return fail(`aliases must be text like "shopify:123;stripe:cus_9;domain:acme.com", not ${JSON.stringify(input)}`);
  const aliases = new Map<string, Alias>();
  const problems: string[] = [];
  for (const item of items.map((i) => i.trim()).filter((i) => i !== '')) {
    const colon = item.indexOf(':');
    if (colon <= 0) {
      problems.push(`alias "${item}" needs a kind (write kind:id, e.g. shopify:123 or domain:${item.includes('.') ? item.toLowerCase() : 'acme.com'})`);
      continue;
    }
    const parsed = normaliseAlias(item.slice(0, colon), item.slice(colon + 1));
    if (parsed.ok) aliases.set(aliasKey(parsed.value), parsed.value);
    else problems.push(parsed.error);
  }
  if (problems.length > 0) return fail(`aliases: ${problems.join('; ')}`);
  if (aliases.size > MAX_ALIASES_PER_ACCOUNT) return fail(`aliases: at most ${MAX_ALIASES_PER_ACCOUNT} per account (got ${aliases.size})`);
  return ok([...aliases.values()]);
}

/** `a@b.c` → `b.c` (lower-case), or null for something that is not an address at a company domain. */
export function companyMailDomain(email: string): string | null {
  const at = email.trim().lastIndexOf('@');
  if (at <= 0) return null;
  const host = parseDomain(email.trim().slice(at + 1));
  if (!host.ok || isConsumerMailDomain(host.value)) return null;
  return host.value;
}

/** The host and its parents down to two labels: `eu.mail.acme.com` → eu.mail.acme.com, mail.acme.com, acme.com. */
export function domainCandidates(host: string): string[] {
  const labels = host.split('.');
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i += 1) out.push(labels.slice(i).join('.'));
  return out;
}

export function formatAliases(aliases: readonly Alias[]): string {
  return aliases.map(aliasKey).join(';');
}
