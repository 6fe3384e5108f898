import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The fixture's exact bytes, as the provider would send them. */
export const fixtureBytes = (name: string): Buffer => readFileSync(path.join(dir, name));
export const fixtureJson = (name: string): Record<string, unknown> => JSON.parse(fixtureBytes(name).toString('utf8')) as Record<string, unknown>;
export const bytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
