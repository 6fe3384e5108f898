import type { SlackMessage } from './health-views.js';
import { section } from './block-limits.js';

export interface HelpEntry {
  usage: string;
  summary: string;
}

export function helpMessage(extra: readonly HelpEntry[]): SlackMessage {
  const entries: HelpEntry[] = [
    { usage: '/health ACCOUNT', summary: 'score, trend, what costs points, and suggested next steps (name, domain or id)' },
    { usage: '/health at-risk', summary: 'the lowest-scoring accounts, yours first' },
    { usage: '/health mine', summary: 'your portfolio' },
    { usage: '/health sentiment ACCOUNT 1-5 REASON', summary: 'record your judgement of the relationship' },
    ...extra,
    { usage: '/health help', summary: 'this help' },
  ];
  return {
    text: 'How to use /health',
    blocks: [section(`*How to use /health*\n${entries.map((e) => `• \`${e.usage}\` — ${e.summary}`).join('\n')}`)],
  };
}
