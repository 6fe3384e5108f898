import { describe, expect, it } from 'vitest';
import { suggestWeights } from '../../../src/calibration/suggest-weights.js';
import { describeSuggestion } from '../../../src/outcomes/describe-suggestion.js';
import { withWeights, type ModelSuggestion } from '../../../src/outcomes/suggest-model.js';
import { DEFAULT_CUTOFFS, DEFAULT_MODELS } from '../../../src/scoring/default-models.js';
import { ACTION_IDS } from '../../../src/slack/ids.js';
import { decodeSuggestMetadata } from '../../../src/slack/suggest-metadata.js';
import { suggestionModal } from '../../../src/slack/views/suggestion-modal.js';
import { syntheticOutcomes } from '../calibration/synthetic.js';

function suggestionFrom(outcomes: number, seed: number): ModelSuggestion {
  const { measures, rows } = syntheticOutcomes({ seed, outcomes, weights: [50, 30, 20, 0], strength: 7, churnRate: 0.3 });
  const suggestion = suggestWeights({ measures, rows, cutoffs: DEFAULT_CUTOFFS, minCompleteness: 0.5, settings: { bootstrapReplicates: 100 } });
  const base = DEFAULT_MODELS[0]!;
  const model = { ...base, measures: measures.map((m) => ({ metricKey: m.metricKey, weight: m.currentWeight, good: 100, poor: 0 })), versionId: 1, version: 3 };
  return { model, leadDays: 90, outcomes, excluded: { churned: 1, renewed: 2 }, notYetDue: 0, suggestion, candidate: suggestion.weights ? withWeights(model, suggestion.weights) : null };
}

const buttons = (view: ReturnType<typeof suggestionModal>) =>
  view.blocks.flatMap((b) => ('elements' in b && b.type === 'actions' ? b.elements.map((e: object) => ('action_id' in e ? e.action_id : undefined)) : []));

describe('suggestion modal', () => {
  it('offers Apply, Shadow and Dismiss with the weights it shows in its metadata', () => {
    const s = suggestionFrom(1500, 1);
    const view = suggestionModal({ kind: 'ready', suggestion: s, labels: new Map([['m1', 'Logins']]) });
    expect(buttons(view)).toEqual([ACTION_IDS.suggestApply, ACTION_IDS.suggestShadow, ACTION_IDS.suggestDismiss]);
    const meta = decodeSuggestMetadata(view.private_metadata);
    expect(meta).toMatchObject({ modelKey: 'default', baseVersion: 3, leadDays: 90 });
    expect(Object.values(meta?.weights ?? {}).reduce((a, b) => a + b, 0)).toBe(100);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('Logins: 10 → *');
    expect(text).toContain('Left out for too little data 90 days before: 1 churned, 2 renewed.');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('offers only Dismiss when there are too few outcomes, and says why', () => {
    const s = suggestionFrom(18, 2);
    expect(s.suggestion.confidence).toBe('evaluate_only');
    const view = suggestionModal({ kind: 'ready', suggestion: s, labels: new Map() });
    expect(buttons(view)).toEqual([ACTION_IDS.suggestDismiss]);
    expect(JSON.stringify(view.blocks)).toContain('Too few outcomes to learn from');
  });

  it('prints every figure of the evidence for the terminal', () => {
    const lines = describeSuggestion(suggestionFrom(1500, 1)).join('\n');
    expect(lines).toMatch(/current weights +0\.\d\d {2}\(95% interval 0\.\d\d to 0\.\d\d\)/);
    expect(lines).toMatch(/difference +[+−]0\.\d\d {2}\(95% interval [+−]0\.\d\d to [+−]0\.\d\d\): (likely better|not proven)/);
    expect(lines).toMatch(/Churned outcomes that were at risk or critical: \d+% → \d+%/);
    expect(lines).toMatch(/m4 +10 → +0 +0\.\d\d/);
  });

  it('rejects metadata that is not what the modal writes', () => {
    expect(decodeSuggestMetadata('{"modelKey":"default","baseVersion":1,"leadDays":90,"weights":{"m1":101}}')).toBeNull();
    expect(decodeSuggestMetadata('not json')).toBeNull();
  });
});
