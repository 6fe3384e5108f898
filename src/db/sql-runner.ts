// The smallest SQL surface the migration runner and locks need, over either
// driver. Prisma is for everything else; this exists because migrations are
// multi-statement scripts and advisory locks need one pinned session.
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

export interface SqlSession {
  /** Runs a script (may hold several statements); no parameters. */
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

export function pgliteSession(db: PGlite): SqlSession {
  return {
    async exec(sql) {
      await db.exec(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await db.query<T>(sql, params);
      return result.rows;
    },
  };
}

export function pgSession(client: pg.PoolClient | pg.Client): SqlSession {
  return {
    async exec(sql) {
      await client.query(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await client.query(sql, params);
      return result.rows as T[];
    },
  };
}
