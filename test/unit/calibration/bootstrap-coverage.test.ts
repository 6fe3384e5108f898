// The advertised 95% interval must cover the true AUC about 95% of the time.
// Seeded simulation: accounts with one or two renewals each (a latent health
// shared by both, so outcomes of one account are not independent), 300 data
// sets of 250 accounts, 400 replicates each; the true AUC from 400,000 outcomes.
import { describe, expect, it } from 'vitest';
import { percentileInterval, stratifiedAccountBootstrap } from '../../../src/calibration/bootstrap.js';
import { rankScores, weightedAuc } from '../../../src/calibration/weighted-auc.js';
import { seededRandom, type Random } from '../../../src/demo/seeded-random.js';

function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function simulate(random: Random, accounts: number) {
  const accountOfRow: number[] = [];
  const scores: number[] = [];
  const churned: boolean[] = [];
  for (let a = 0; a < accounts; a += 1) {
    const health = normal(random);
    const renewals = random() < 0.5 ? 1 : 2;
    for (let k = 0; k < renewals; k += 1) {
      accountOfRow.push(a);
      scores.push(Math.round((60 + 12 * health + 8 * normal(random)) * 10) / 10);
      churned.push(random() < 1 / (1 + Math.exp(1.6 + 1.1 * health)));
    }
  }
  return { accountOfRow, scores, churned };
}

describe('stratified bootstrap by account', () => {
  it('covers the true AUC at about the advertised 95%', () => {
    const random = seededRandom(42);
    const population = simulate(random, 200_000);
    const truth = weightedAuc(rankScores(population.scores), population.churned, null) ?? 0;
    expect(truth).toBeGreaterThan(0.65);
    expect(truth).toBeLessThan(0.85);
    const sims = 300;
    let covered = 0;
    for (let s = 0; s < sims; s += 1) {
      const sample = simulate(random, 250);
      const ranked = rankScores(sample.scores);
      const values: number[] = [];
      stratifiedAccountBootstrap(sample.accountOfRow, sample.churned, 400, random, (counts) => {
        const auc = weightedAuc(ranked, sample.churned, counts);
        if (auc !== null) values.push(auc);
      });
      const interval = percentileInterval(values);
      if (interval && interval.low <= truth && truth <= interval.high) covered += 1;
    }
    // ±3 binomial standard errors around 0.95 at 300 simulations.
    expect(covered / sims).toBeGreaterThanOrEqual(0.91);
    expect(covered / sims).toBeLessThanOrEqual(0.99);
  }, 60_000);
});
