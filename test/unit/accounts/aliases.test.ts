import { describe, expect, it } from 'vitest';
import { companyMailDomain, domainCandidates, formatAliases, normaliseAlias, parseAliasList } from '../../../src/accounts/aliases.js';
import { checkAliasClaims } from '../../../src/accounts/check-alias-claims.js';
import { accountRowSchema } from '../../../src/ingest/row-schemas.js';

describe('parseAliasList', () => {
  it('reads the documented form, normalising each kind', () => {
    const parsed = parseAliasList(' shopify:123; Stripe:cus_9 ;zendesk:77;hubspot:042;domain:https://www.ACME.com/;');
    expect(parsed).toEqual({
      ok: true,
      value: [
        { kind: 'shopify', value: '123' },
        { kind: 'stripe', value: 'cus_9' },
        { kind: 'zendesk', value: '77' },
        { kind: 'hubspot', value: '42' },
        { kind: 'domain', value: 'acme.com' },
      ],
    });
    expect(parseAliasList(['shopify:gid://shopify/Company/555', 'shopify:555', 'domain:acme.com', 'domain:ACME.COM'])).toEqual({
      ok: true,
      value: [{ kind: 'shopify', value: '555' }, { kind: 'domain', value: 'acme.com' }],
    });
  });

  it('names every bad item at once', () => {
    const parsed = parseAliasList('salesforce:0015;shopify:abc;stripe:9;zendesk:;acme.com;domain:gmail.com;domain:not a host');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toBe([
      'aliases: unknown alias kind "salesforce" (kinds: shopify, stripe, zendesk, hubspot, domain)',
      'shopify id "abc" must be a number like 6543210',
      'stripe id "9" must be a Stripe customer id like cus_NffrFeUfNV2Hib',
      'alias "zendesk:" has no id (write kind:id, e.g. zendesk:360012345)',
      'alias "acme.com" needs a kind (write kind:id, e.g. shopify:123 or domain:acme.com)',
      'domain alias "gmail.com" is a public mail provider shared by many companies; give the customer\'s own domain',
      'domain alias "not a host" is not a host name like acme.com',
    ].join('; '));
    expect(parseAliasList(42)).toMatchObject({ ok: false });
    expect(parseAliasList(Array.from({ length: 101 }, (_, i) => `shopify:${i}`))).toEqual({ ok: false, error: 'aliases: at most 100 per account (got 101)' });
  });

  it('round-trips through formatAliases', () => {
    const parsed = parseAliasList('shopify:1;domain:acme.com');
    expect(parsed.ok && formatAliases(parsed.value)).toBe('shopify:1;domain:acme.com');
    expect(normaliseAlias('STRIPE', ' cus_AbC ')).toEqual({ ok: true, value: { kind: 'stripe', value: 'cus_AbC' } });
  });
});

describe('e-mail domains', () => {
  it('takes the company domain of an address, never a public mail provider', () => {
    expect(companyMailDomain('Jane.Doe@EU.Acme.com')).toBe('eu.acme.com');
    expect(companyMailDomain('jane@gmail.com')).toBeNull();
    expect(companyMailDomain('no-at-sign')).toBeNull();
    expect(companyMailDomain('@acme.com')).toBeNull();
    expect(domainCandidates('eu.mail.acme.com')).toEqual(['eu.mail.acme.com', 'mail.acme.com', 'acme.com']);
  });
});

describe('accounts row aliases', () => {
  it('keeps stored aliases when left out, clears them when blank, and reports bad ones by field', () => {
    expect(accountRowSchema.parse({ external_id: 'A', name: 'Acme' }).aliases).toBeUndefined();
    expect(accountRowSchema.parse({ external_id: 'A', name: 'Acme', aliases: '' }).aliases).toBeNull();
    expect(accountRowSchema.parse({ external_id: 'A', name: 'Acme', aliases: 'stripe:cus_1' }).aliases).toEqual([{ kind: 'stripe', value: 'cus_1' }]);
    const bad = accountRowSchema.safeParse({ external_id: 'A', name: 'Acme', aliases: 'crm:1' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/^aliases: unknown alias kind "crm"/);
  });
});

describe('checkAliasClaims', () => {
  const a = (kind: 'shopify' | 'domain', value: string) => ({ kind, value });
  it('refuses a row claiming an alias another account holds, stored or from an earlier row', () => {
    const plan = checkAliasClaims(
      [
        { externalId: 'A', aliases: [a('shopify', '1')] },
        { externalId: 'B', aliases: [a('shopify', '2'), a('domain', 'b.com')] },
        { externalId: 'C', aliases: [a('shopify', '1')] },
        { externalId: 'D', aliases: [a('domain', 'b.com')] },
        { externalId: 'E' },
      ],
      new Map([['shopify:2', 'Z']]),
    );
    expect([...plan.refused]).toEqual([
      [1, 'alias "shopify:2" already belongs to account "Z" (remove it there first)'],
      [2, 'alias "shopify:1" already belongs to account "A" by an earlier row (remove it there first)'],
    ]);
    // B was refused, so D may take b.com; E sent no aliases and is left alone.
    expect([...plan.finalAliases]).toEqual([['A', [a('shopify', '1')]], ['D', [a('domain', 'b.com')]]]);
  });

  it('lets a batch move an alias: the old owner first gives it up, then the new one takes it', () => {
    const plan = checkAliasClaims(
      [
        { externalId: 'A', aliases: null },
        { externalId: 'B', aliases: [a('shopify', '1')] },
        { externalId: 'B', aliases: [a('shopify', '1'), a('shopify', '3')] },
      ],
      new Map([['shopify:1', 'A']]),
    );
    expect(plan.refused.size).toBe(0);
    expect(plan.finalAliases.get('A')).toEqual([]);
    expect(plan.finalAliases.get('B')).toEqual([a('shopify', '1'), a('shopify', '3')]);
  });
});
