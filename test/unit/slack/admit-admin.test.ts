// The admin modal's one admin check: an admin passes untouched; anyone else
// is logged with who, why and the listener's fields, and shown the refusal
// their access calls for through the listener's own view.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { admitAdmin, REFUSAL, UNVERIFIED } from '../../../src/slack/listeners/tuning-shared.js';
import type { AdminAccess } from '../../../src/tuning/is-admin.js';

async function admit(access: AdminAccess) {
  const lines: string[] = [];
  const shown: string[] = [];
  const admitted = await admitAdmin({ check: async () => access }, createLogger({ level: 'info', write: (l) => lines.push(l) }), 'U0USER0001', {
    log: 'refused a model restore',
    fields: { actionId: 'restore' },
    show: async (text) => void shown.push(text),
  });
  return { admitted, shown, logged: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('admitAdmin', () => {
  it('lets an admin through, showing and logging nothing', async () => {
    expect(await admit('admin')).toEqual({ admitted: true, shown: [], logged: [] });
  });

  it.each([
    ['not_admin', REFUSAL],
    ['unverified', UNVERIFIED],
  ] as const)('refuses %s with its own text, and logs why', async (access, text) => {
    const { admitted, shown, logged } = await admit(access);
    expect(admitted).toBe(false);
    expect(shown).toEqual([text]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'warn', msg: 'refused a model restore', user: 'U0USER0001', access, actionId: 'restore' });
  });
});
