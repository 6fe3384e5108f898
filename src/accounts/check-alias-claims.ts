// Which rows of an accounts batch may have the aliases they send: an alias
// belongs to one account, so a row claiming one that another account holds
// (stored, or given by an earlier row of the batch) is refused whole. Rows are
// taken in order, so a file may move an alias by first listing the old
// owner without it. Pure; the owners come from findAliasOwners.
import { aliasKey, type Alias } from './aliases.js';

export interface AliasClaimRow {
  externalId: string;
  /** undefined: this row leaves the account's aliases alone; null or []: clears them. */
  aliases?: readonly Alias[] | null | undefined;
}

export interface AliasClaimPlan {
  /** Index of each refused row, with the reason. */
  refused: Map<number, string>;
  /** Each account's alias list after the accepted rows, for accounts whose row sent one. */
  finalAliases: Map<string, Alias[]>;
}

export function checkAliasClaims(rows: readonly AliasClaimRow[], storedOwners: ReadonlyMap<string, string>): AliasClaimPlan {
  const owner = new Map<string, { externalId: string; row?: number }>([...storedOwners].map(([key, externalId]) => [key, { externalId }]));
  const refused = new Map<number, string>();
  const finalAliases = new Map<string, Alias[]>();
  rows.forEach((row, index) => {
    if (row.aliases === undefined) return;
    const wanted = row.aliases ?? [];
    const problems = wanted.flatMap((alias) => {
      const held = owner.get(aliasKey(alias));
      if (!held || held.externalId === row.externalId) return [];
      const where = held.row === undefined ? '' : ' by an earlier row';
      return [`alias "${aliasKey(alias)}" already belongs to account "${held.externalId}"${where} (remove it there first)`];
    });
    if (problems.length > 0) {
      refused.set(index, problems.join('; '));
      return;
    }
    const keep = new Set(wanted.map(aliasKey));
    for (const [key, held] of owner) if (held.externalId === row.externalId && !keep.has(key)) owner.delete(key);
    for (const alias of wanted) owner.set(aliasKey(alias), { externalId: row.externalId, row: index });
    finalAliases.set(row.externalId, [...wanted]);
  });
  return { refused, finalAliases };
}
