// The chart in words, for screen readers and for Slack's image alt text:
// "score 41, down 33 in 30 days; engagement lowest".
import type { GroupScore } from '../scoring/group-scores.js';
import { GROUP_LABEL, weakestGroup } from '../scoring/group-scores.js';

export function chartAltText(input: { score: number | null; change30d: number | null; groups: readonly GroupScore[]; days?: number }): string {
  const days = input.days ?? 90;
  if (input.score === null) return `score history for the last ${days} days; insufficient data now`;
  const score = Math.floor(input.score + 1e-9);
  const change = input.change30d === null
    ? 'no 30-day history'
    : Math.abs(input.change30d) < 0.5 ? 'unchanged in 30 days' : `${input.change30d < 0 ? 'down' : 'up'} ${Math.round(Math.abs(input.change30d))} in 30 days`;
  const weakest = input.groups.filter((g) => g.score !== null).length > 1 ? weakestGroup(input.groups) : null;
  return `score ${score}, ${change}${weakest ? `; ${GROUP_LABEL[weakest.group].toLowerCase()} lowest` : ''}`;
}
