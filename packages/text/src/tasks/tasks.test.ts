import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertNoTensorLeak,
  createRng,
  initBackend,
  readScalars,
  type Tensor,
  type Tensor2D,
  tf,
} from '@selfsup/backend';
import { createTaskRegistry, type TaskBatch } from '@selfsup/pretext';
import { beforeAll, describe, expect, it } from 'vitest';
import { IGNORE_INDEX } from '../masking/masked-tokens.js';
import { syntheticBatch, TEST_VOCABULARY as vocabulary } from '../masking/test-vocabulary.js';
import { textTasks } from '../text-tasks.js';
import { contextWindows } from '../word2vec/context-pairs.js';
import { createNegativeSampler } from '../word2vec/negative-sampler.js';
import { subsamplingKeepProbabilities } from '../word2vec/subsampling.js';
import { tokenCounts } from '../word2vec/token-counts.js';
import { bertMlmTask } from './bert-mlm/bert-mlm-task.js';
import { cbowTask } from './cbow/cbow-task.js';
import { type DocumentRotationBatch, documentRotationTask } from './document-rotation/document-rotation-task.js';
import type { MaskedTokenBatch } from './masked-language-model-task.js';
import { sentenceOrderTask } from './sentence-order/sentence-order-task.js';
import { permutations, sentencePermutationTask } from './sentence-permutation/sentence-permutation-task.js';
import { skipGramTask } from './skip-gram/skip-gram-task.js';
import { spanMlmTask } from './span-mlm/span-mlm-task.js';
import { type SpanCorruptionBatch, t5SpanCorruptionTask } from './t5-span-corruption/t5-span-corruption-task.js';
import { sparseCrossEntropy } from './token-cross-entropy.js';
import { wholeWordMlmTask } from './whole-word-mlm/whole-word-mlm-task.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

const context = (seed: number) => ({ rng: createRng(seed), training: true });
const ids2d = (rows: number, length: number, seed: number, pieces = false) =>
  tf.tensor2d(syntheticBatch(rows, length, seed, pieces), [rows, length], 'int32');
const rowOf = (t: Tensor, row: number) =>
  Array.from(t.dataSync()).slice(row * (t.shape[1] as number), (row + 1) * (t.shape[1] as number));

/** Segments [N, S, L] of random words, padded with the pad id. */
function segmentSamples(count: number, segments: number, length: number, seed: number): tf.Tensor3D {
  const rng = createRng(seed);
  const values = new Int32Array(count * segments * length);
  for (let s = 0; s < count * segments; s++) {
    const used = 1 + rng.int(length);
    for (let i = 0; i < used; i++) values[s * length + i] = 105 + rng.int(795);
  }
  return tf.tensor3d(values, [count, segments, length], 'int32');
}

describe('the text task map', () => {
  it('has a line for every task folder (tasks/<id>/<id>-task.ts): the map is how a task is reached', () => {
    const folders = readdirSync(import.meta.dirname, { withFileTypes: true })
      .filter(
        (entry) => entry.isDirectory() && existsSync(join(import.meta.dirname, entry.name, `${entry.name}-task.ts`)),
      )
      .map((entry) => entry.name);
    expect(Object.keys(textTasks).sort()).toEqual(folders.sort());
  });

  it('describes every task in one line, and makes it with its options resolved and serializable', () => {
    const counts = tokenCounts([syntheticBatch(4, 16, 0, false)], vocabulary.size);
    for (const [id, factory] of Object.entries(textTasks)) {
      const task = (factory as (options: object) => ReturnType<typeof factory>)({ vocabulary, counts });
      expect(task.id).toBe(id);
      expect(task.modality).toBe('text');
      // `selfsup list` and the generated task reference show it: what is seen → what is predicted (paper).
      expect(task.description, `the description of '${id}'`).toMatch(/^[A-Z][^\n]{19,199}[^.\s]$/);
      const { vocabulary: _vocabulary, counts: _counts, ...options } = task.options as Record<string, unknown>;
      expect(JSON.parse(JSON.stringify(options))).toEqual(options);
    }
  });

  it('registers every task by id and rejects unknown ones with the list', () => {
    const registry = createTaskRegistry(textTasks);
    const ids = Object.keys(textTasks).sort();
    expect(registry.ids()).toEqual(ids);
    expect(registry.create('bert-mlm', { vocabulary }).id).toBe('bert-mlm');
    expect(() => registry.create('bert-mlmm' as never)).toThrow(`'bert-mlmm' is not a task; known: ${ids.join(', ')}`);
    expect(() => bertMlmTask()).toThrow('bertMlmTask: options.vocabulary is required (pass tokenizer.vocabulary)');
    expect(() => bertMlmTask({ vocabulary, maskProbability: 1.5 })).toThrow(
      'bertMlmTask: maskProbability must be in [0, 1], got 1.5',
    );
    expect(() => t5SpanCorruptionTask({ vocabulary: { ...vocabulary, sentinelIds: [] } })).toThrow(
      /no sentinel tokens/,
    );
    expect(() => skipGramTask({ vocabulary })).toThrow(/options.counts is required/);
  });
});

describe('masked-token tasks', () => {
  for (const make of [bertMlmTask, wholeWordMlmTask, spanMlmTask]) {
    it(`${make.name}: labels, weights and positions agree, the batch is seeded, nothing leaks`, async () => {
      const task = make({ vocabulary });
      const samples = ids2d(16, 64, 5, true);
      const batch = task.makeBatch(samples, context(1)) as MaskedTokenBatch;
      const labels = batch.targets.dataSync();
      const weights = batch.weights.dataSync();
      const positions = Array.from(batch.maskedPositions.dataSync());
      expect(positions.length).toBeGreaterThan(0);
      expect(positions).toEqual(Array.from(labels.keys()).filter((i) => labels[i] !== IGNORE_INDEX));
      expect(positions.every((i) => weights[i] === 1)).toBe(true);
      expect(Array.from(weights).reduce((a, b) => a + b, 0)).toBe(positions.length);
      expect(Array.from(batch.maskedLabels.dataSync())).toEqual(positions.map((i) => labels[i]));
      const again = task.makeBatch(samples, context(1)) as MaskedTokenBatch;
      expect(Array.from(again.inputs.dataSync())).toEqual(Array.from(batch.inputs.dataSync()));
      await assertNoTensorLeak(`${task.id} makeBatch`, () => task.makeBatch(samples, context(2)));
      const logits = tf.randomNormal([positions.length, vocabulary.size]) as Tensor2D;
      await assertNoTensorLeak(`${task.id} loss`, () => task.loss(logits, batch));
      const { maskedTokenAccuracy } = await assertNoTensorLeak(`${task.id} metrics`, () =>
        readScalars(task.metrics?.(logits, batch) ?? {}),
      );
      expect(maskedTokenAccuracy).toBeGreaterThanOrEqual(0);
      expect(maskedTokenAccuracy).toBeLessThanOrEqual(1);
      expect(() =>
        task.forward?.({ featureSize: 4, apply: () => logits }, undefined, batch, { training: true }),
      ).toThrow(/need a token encoder with an MLM head/);
      expect(() => task.makeBatch(tf.zeros([2, 3, 4]) as never, context(0))).toThrow(
        /samples must be token ids \[batch, length\]/,
      );
      tf.dispose([samples, batch, again, logits] as never);
    });
  }

  it('sparse cross-entropy equals the one-hot cross-entropy and is 0 for an empty batch', () => {
    const logits = createRng(3).normalTensor([5, 7]) as Tensor2D;
    const labels = tf.tensor1d([0, 6, 3, 3, 1], 'int32');
    const sparse = sparseCrossEntropy(logits, labels).dataSync()[0] as number;
    const dense = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 7), logits).dataSync()[0] as number;
    expect(sparse).toBeCloseTo(dense, 5);
    expect(sparseCrossEntropy(tf.zeros([0, 7]) as Tensor2D, tf.tensor1d([], 'int32')).dataSync()[0]).toBe(0);
    tf.dispose([logits, labels]);
  });
});

describe('T5 span corruption task', () => {
  it('makes encoder inputs, decoder inputs and targets whose positions match', async () => {
    const task = t5SpanCorruptionTask({ vocabulary });
    const samples = ids2d(8, 64, 9);
    const batch = task.makeBatch(samples, context(0)) as SpanCorruptionBatch;
    const targets = batch.targets.dataSync();
    const positions = Array.from(batch.targetPositions.dataSync());
    expect(positions).toEqual(Array.from(targets.keys()).filter((i) => targets[i] !== IGNORE_INDEX));
    expect(batch.decoderInputIds.shape).toEqual(batch.targets.shape);
    await assertNoTensorLeak('t5 makeBatch', () => task.makeBatch(samples, context(0)));
    tf.dispose([samples, batch] as never);
  });
});

describe('sentence order (ALBERT SOP)', () => {
  it('label 1 means swapped: undoing the swap restores [CLS] A [SEP] B [SEP]', async () => {
    const task = sentenceOrderTask({ vocabulary });
    const samples = segmentSamples(40, 2, 12, 1);
    const batch = task.makeBatch(samples, context(3));
    const labels = Array.from(batch.targets.dataSync());
    expect(batch.inputs.shape).toEqual([40, 27]);
    expect(labels.filter((l) => l === 1).length).toBeGreaterThan(8);
    expect(labels.filter((l) => l === 0).length).toBeGreaterThan(8);
    const source = samples.arraySync();
    labels.forEach((label, i) => {
      const [a, b] = (source[i] as number[][]).map((segment) => segment.filter((id) => id !== 0));
      const [first, second] = label === 1 ? [b, a] : [a, b];
      const expected = [2, ...(first as number[]), 3, ...(second as number[]), 3];
      expect(rowOf(batch.inputs, i)).toEqual([...expected, ...new Array(27 - expected.length).fill(0)]);
    });
    await assertNoTensorLeak('sentence-order makeBatch', () => task.makeBatch(samples, context(3)));
    expect(() => task.makeBatch(segmentSamples(2, 3, 4, 0), context(0))).toThrow(
      'sentence-order: samples must hold 2 segments per sample, got [2,3,4]',
    );
    tf.dispose([samples, batch.inputs, batch.targets]);
  });
});

describe('sentence permutation (BART)', () => {
  it('the label names the order: input sentence k is original sentence π(k)', () => {
    expect(permutations(3)).toEqual([
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ]);
    const task = sentencePermutationTask({ vocabulary, sentences: 3 });
    expect(task.head).toEqual({ kind: 'linear', outputSize: 6 });
    const samples = segmentSamples(30, 3, 8, 2);
    const batch = task.makeBatch(samples, context(4));
    const source = samples.arraySync();
    Array.from(batch.targets.dataSync()).forEach((label, i) => {
      const sentences = (source[i] as number[][]).map((s) => s.filter((id) => id !== 0));
      const order = permutations(3)[label] as number[];
      const expected = [2, ...order.flatMap((k) => [...(sentences[k] as number[]), 3])];
      expect(rowOf(batch.inputs, i).slice(0, expected.length)).toEqual(expected);
    });
    tf.dispose([samples, batch.inputs, batch.targets]);
  });
});

describe('document rotation (BART)', () => {
  it('rotating the input back from its target position restores the text', async () => {
    const task = documentRotationTask({ vocabulary });
    const samples = ids2d(20, 32, 6);
    const batch = task.makeBatch(samples, context(5)) as DocumentRotationBatch;
    const targets = Array.from(batch.targets.dataSync());
    targets.forEach((start, i) => {
      const original = rowOf(samples, i).filter((id) => id > 4);
      const row = rowOf(batch.inputs, i);
      const rotated = row.slice(1, 1 + original.length);
      expect(row[0]).toBe(2);
      expect(row[1 + original.length]).toBe(3);
      const restored = [...rotated.slice(start - 1), ...rotated.slice(0, start - 1)];
      expect(restored).toEqual(original);
      expect(rowOf(batch.weights, i).reduce((a, b) => a + b, 0)).toBe(original.length);
    });
    expect(new Set(targets).size).toBeGreaterThan(5);
    await assertNoTensorLeak('document-rotation makeBatch', () => task.makeBatch(samples, context(5)));
    tf.dispose([samples, batch] as never);
  });
});

describe('word2vec pairs', () => {
  const samples = syntheticBatch(64, 64, 11);
  const counts = tokenCounts([samples], vocabulary.size);
  const special = Uint8Array.from({ length: vocabulary.size }, (_, id) => (id < 105 ? 1 : 0));

  it('windows hold only nearby, non-special tokens of the same row, within the dynamic window', () => {
    const windows = contextWindows(samples, 64, 64, { window: 3, special }, createRng(0));
    let farthest = 0;
    for (let c = 0; c < windows.centers.length; c++) {
      const size = (windows.offsets[c + 1] as number) - (windows.offsets[c] as number);
      expect(size).toBeGreaterThanOrEqual(1);
      expect(size).toBeLessThanOrEqual(6);
      farthest = Math.max(farthest, size);
    }
    expect(farthest).toBe(6);
    expect(Array.from(windows.contexts).every((id) => special[id] === 0)).toBe(true);
    // without subsampling every non-special token of a row with ≥ 2 of them is a center
    let expectedCenters = 0;
    for (let row = 0; row < 64; row++) {
      const n = Array.from(samples.subarray(row * 64, (row + 1) * 64)).filter((id) => id >= 105).length;
      if (n >= 2) expectedCenters += n;
    }
    expect(windows.centers.length).toBe(expectedCenters);
  });

  it('subsampling keeps tokens with word2vec’s probability; noise follows count^0.75', () => {
    const skewed = new Float64Array(10);
    skewed[1] = 10_000;
    skewed[2] = 10;
    skewed[3] = 1;
    const keep = subsamplingKeepProbabilities(skewed, 1e-3);
    const f = 10_000 / 10_011;
    expect(keep[1]).toBeCloseTo((Math.sqrt(f / 1e-3) + 1) * (1e-3 / f), 10);
    expect(keep[3]).toBe(1);
    const sampler = createNegativeSampler(skewed);
    const drawn = new Float64Array(10);
    const rng = createRng(1);
    for (let i = 0; i < 200_000; i++) drawn[sampler.sample(rng)]! += 1;
    const z = 10_000 ** 0.75 + 10 ** 0.75 + 1;
    expect(drawn[1]! / 200_000).toBeCloseTo(10_000 ** 0.75 / z, 2);
    expect(drawn[2]! / 200_000).toBeCloseTo(10 ** 0.75 / z, 2);
    expect(drawn[0]).toBe(0);
  });

  for (const make of [skipGramTask, cbowTask]) {
    it(`${make.name} batches: true word first, then negatives; inputs hold centers or context bags`, async () => {
      const task = make({ vocabulary, counts, window: 2, negatives: 4, subsampleThreshold: 0 });
      const tensor = tf.tensor2d(samples, [64, 64], 'int32');
      const batch = task.makeBatch(tensor, context(2));
      expect(batch.targets.shape[1]).toBe(5);
      if (task.id === 'cbow') expect(batch.inputs.shape[1]).toBe(4);
      else expect(batch.inputs.rank).toBe(1);
      const targets = batch.targets.arraySync() as number[][];
      expect(targets.every((row) => row.every((id) => id >= 105))).toBe(true);
      await assertNoTensorLeak(`${task.id} makeBatch`, () => task.makeBatch(tensor, context(2)));
      const scores = tf.tensor2d([[20, -20, -20, -20, -20]]);
      const loss = task.loss(scores, { inputs: scores, targets: scores } as TaskBatch).dataSync()[0] as number;
      expect(loss).toBeLessThan(1e-6);
      tf.dispose([tensor, batch.inputs, batch.targets, scores]);
    });
  }
});
