import { assertNoTensorLeak, createRng, initBackend, type Tensor2D, type Tensor3D, tf } from '@selfsup/backend';
import { createTextTransformer } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { stratifiedSplit } from '../data/stratified-split.js';
import { TEST_VOCABULARY } from '../masking/test-vocabulary.js';
import type { MaskedLanguageModel } from '../token-models.js';
import { maskedTokenScores, unigramScores } from './masked-token-scores.js';
import { bagOfWordsFeatures, frequentTokenIds, passageFeatures, passageSet } from './passage-features.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

const vocabulary = TEST_VOCABULARY;
/** `count` rows of `[CLS] w w … [SEP]`, `length` ids each, words drawn from `words` (or all `word`). */
function sequences(count: number, length: number, seed: number, word?: number): Int32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () =>
    Int32Array.from({ length }, (_, i) =>
      i === 0 ? vocabulary.clsId : i === length - 1 ? vocabulary.sepId : (word ?? 105 + rng.int(795)),
    ),
  );
}

/** A stand-in MLM whose logits are the same row for every position. */
function constantModel(logits: Float32Array): MaskedLanguageModel {
  return {
    featureSize: 4,
    vocabSize: logits.length,
    apply: (inputs) => tf.zeros([inputs.shape[0] as number, 4]) as Tensor2D,
    encodeTokens: (ids) => tf.zeros([ids.shape[0], ids.shape[1], 4]) as Tensor3D,
    mlmLogits: (hidden) => tf.tile(tf.tensor2d(logits, [1, logits.length]), [hidden.shape[0], 1]) as Tensor2D,
  };
}

describe('stratifiedSplit', () => {
  it('holds out a seeded share of every class, keeps a class of one in train, and covers every index once', () => {
    const labels = ['a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'c'];
    const split = stratifiedSplit(labels, { testFraction: 0.2, rng: createRng(0) });
    expect([...split.train, ...split.test].sort((x, y) => x - y)).toEqual(labels.map((_, i) => i));
    expect(split.test.map((i) => labels[i])).toEqual(['a', 'b', 'b']); // round(5 × 0.2) = 1, round(10 × 0.2) = 2
    expect(split.train).toContain(15);
    expect(stratifiedSplit(labels, { testFraction: 0.2, rng: createRng(0) })).toEqual(split);
    const seeds = Array.from({ length: 8 }, (_, seed) =>
      stratifiedSplit(labels, { testFraction: 0.2, rng: createRng(seed) }).test.join(),
    );
    expect(new Set(seeds).size).toBeGreaterThan(1);
    expect(() => stratifiedSplit(labels, { testFraction: 1, rng: createRng(0) })).toThrow(
      'stratifiedSplit: testFraction must be in (0, 1), got 1',
    );
  });
});

describe('passages', () => {
  it('cuts documents into passages of consecutive sequences, a short document into one, an empty one into none', () => {
    const documents = [sequences(9, 6, 1), sequences(2, 6, 2), []];
    const first = passageSet(documents, [3, 5, 7], { sequencesPerPassage: 4, passagesPerDocument: 1 });
    expect(first.labels).toEqual([3, 5]);
    expect(first.examples[0]).toEqual(documents[0]?.slice(0, 4));
    expect(first.examples[1]).toEqual(documents[1]);
    const drawn = passageSet(documents, [3, 5, 7], {
      sequencesPerPassage: 4,
      passagesPerDocument: 5,
      rng: createRng(0),
    });
    expect(drawn.labels).toEqual([3, 3, 5]); // 9 sequences hold 2 whole passages of 4
    expect(new Set(drawn.examples.slice(0, 2).map((p) => documents[0]?.indexOf(p[0] as Int32Array)))).toEqual(
      new Set([0, 4]),
    );
  });

  it('averages the encoder feature over each passage, and counts the most frequent tokens as bag-of-words', async () => {
    const encoder = createTextTransformer({ vocabSize: vocabulary.size, maxLength: 6, dim: 8, heads: 2, depth: 1 });
    const passages = [sequences(3, 6, 3), sequences(1, 6, 4)];
    const features = await assertNoTensorLeak('passageFeatures', async () => {
      const computed = passageFeatures(encoder, passages, 2);
      const values = computed.arraySync();
      computed.dispose();
      return values;
    });
    const direct = tf.tidy(() =>
      encoder.apply(tf.tensor2d(Int32Array.from(passages[0]?.flatMap((s) => [...s]) ?? []), [3, 6], 'int32'), {
        training: false,
      }),
    );
    const mean = (direct.arraySync() as number[][]).reduce(
      (sum, row) => sum.map((v, d) => v + (row[d] as number) / 3),
      new Array<number>(8).fill(0),
    );
    direct.dispose();
    features[0]?.forEach((value, d) => {
      expect(value).toBeCloseTo(mean[d] as number, 5);
    });
    expect(features).toHaveLength(2);
    encoder.dispose();

    const counts = new Float64Array(vocabulary.size);
    counts[vocabulary.clsId] = 50;
    counts[200] = 3;
    counts[300] = 7;
    counts[150] = 3;
    const ids = frequentTokenIds(counts, vocabulary, 3);
    expect([...ids]).toEqual([300, 150, 200]); // specials left out, ties by id
    const bag = bagOfWordsFeatures([[Int32Array.from([2, 300, 300, 150, 3])], [Int32Array.from([200, 999])]], ids);
    const expected = [
      [Math.log1p(2), Math.log1p(1), 0],
      [0, 0, Math.log1p(1)],
    ];
    (bag.arraySync() as number[][]).forEach((row, r) => {
      row.forEach((value, c) => {
        expect(value).toBeCloseTo(expected[r]?.[c] as number, 6);
      });
    });
    bag.dispose();
  });
});

describe('masked-token scores', () => {
  it('a uniform model has the vocabulary size as perplexity; a model sure of the one word in the text is always right', () => {
    const text = sequences(20, 16, 5);
    const uniform = maskedTokenScores(constantModel(new Float32Array(vocabulary.size)), text, { vocabulary, seed: 1 });
    expect(uniform.maskedTokens).toBeGreaterThan(20);
    expect(uniform.perplexity).toBeCloseTo(vocabulary.size, 1);
    expect(uniform.accuracy).toBe(0); // argmax of equal logits is id 0, [PAD], never masked

    const one = sequences(20, 16, 5, 500);
    const sure = new Float32Array(vocabulary.size);
    sure[500] = 30;
    expect(maskedTokenScores(constantModel(sure), one, { vocabulary, seed: 1 })).toMatchObject({
      accuracy: 1,
      perplexity: expect.closeTo(1, 5),
    });
  });

  it('scores a transformer on the same masked positions as the unigram baseline, in any batch size, leaving no tensor', async () => {
    const text = sequences(24, 16, 6);
    const model = createTextTransformer({ vocabSize: vocabulary.size, maxLength: 16, dim: 8, heads: 2, depth: 1 });
    const scores = await assertNoTensorLeak('maskedTokenScores', () =>
      maskedTokenScores(model, text, { vocabulary, seed: 2, batchSize: 5 }),
    );
    const whole = maskedTokenScores(model, text, { vocabulary, seed: 2 });
    expect(whole.accuracy).toBe(scores.accuracy);
    expect(whole.perplexity).toBeCloseTo(scores.perplexity, 2);
    model.dispose();
    const counts = new Float64Array(vocabulary.size);
    for (const sequence of sequences(100, 16, 7)) for (const id of sequence) counts[id] = (counts[id] as number) + 1;
    const unigram = unigramScores(counts, text, { vocabulary, seed: 2 });
    expect(unigram.maskedTokens).toBe(scores.maskedTokens);
    // Words are uniform over 795 ids: the add-one unigram model is close to uniform over the 895 non-special ids.
    expect(unigram.perplexity).toBeGreaterThan(600);
    expect(unigram.perplexity).toBeLessThan(1200);
    // All masked text is word 500, the most frequent: always right, perplexity (total + types) / (count + 1).
    const single = new Float64Array(vocabulary.size);
    single[500] = 99;
    expect(unigramScores(single, sequences(4, 16, 8, 500), { vocabulary, seed: 2 })).toMatchObject({
      accuracy: 1,
      perplexity: expect.closeTo((99 + 895) / 100, 6),
    });
  });
});
