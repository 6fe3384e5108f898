// Stratified k-fold assignment: each fold gets its share of churned and of
// renewed rows, so a fold never lacks a class when there are k of each.
import { shuffle, type Random } from '../demo/seeded-random.js';

/** fold index per row, 0..k-1. */
export function stratifiedFolds(churned: readonly boolean[], k: number, random: Random): Int32Array {
  const folds = new Int32Array(churned.length);
  for (const wanted of [true, false]) {
    const rows = shuffle(random, churned.flatMap((c, i) => (c === wanted ? [i] : [])));
    // Start each class at a random fold so small classes do not pile into fold 0.
    const offset = Math.floor(random() * k);
    rows.forEach((row, i) => {
      folds[row] = (i + offset) % k;
    });
  }
  return folds;
}
