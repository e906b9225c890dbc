import type { Rng } from '@selfsup/backend';

/** Options of {@link stratifiedSplit}. */
export interface StratifiedSplitOptions {
  /** Share of each class held out, in (0, 1). */
  testFraction: number;
  /** Draws which members of a class are held out (forked per class, so one class's draw never shifts another's). */
  rng: Rng;
}

/**
 * Splits examples into train and held-out indices, holding out a seeded `testFraction` of every
 * class (rounded, at least one of a class with two or more members; a class of one stays in
 * train). Split whole documents this way and no held-out text is seen by pretraining, a tokenizer
 * trained on the train side, or a probe's training set.
 *
 * @param labels the class of each example (numbers or names).
 * @returns indices into `labels`, each side in ascending order.
 * @example
 * const { train, test } = stratifiedSplit(corpus.labels, { testFraction: 0.2, rng: createRng(0) });
 * @throws when `testFraction` is not in (0, 1).
 */
export function stratifiedSplit(
  labels: readonly (number | string)[],
  options: StratifiedSplitOptions,
): { train: number[]; test: number[] } {
  const { testFraction, rng } = options;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new Error(`stratifiedSplit: testFraction must be in (0, 1), got ${testFraction}`);
  }
  const members = new Map<number | string, number[]>();
  labels.forEach((label, i) => {
    members.set(label, [...(members.get(label) ?? []), i]);
  });
  const train: number[] = [];
  const test: number[] = [];
  const classes = [...members.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const label of classes) {
    const indices = members.get(label) as number[];
    const order = rng.fork(`class-${label}`).shuffle(indices);
    const held = indices.length < 2 ? 0 : Math.max(1, Math.round(indices.length * testFraction));
    test.push(...order.slice(0, held));
    train.push(...order.slice(held));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
