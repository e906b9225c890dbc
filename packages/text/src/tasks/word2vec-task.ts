import { type Rng, type Scalar, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import { vocabularyTables } from '../masking/masked-tokens.js';
import { asContextEmbeddingModel } from '../token-models.js';
import type { TokenVocabulary } from '../tokenizer/token-vocabulary.js';
import { contextWindows } from '../word2vec/context-pairs.js';
import { createNegativeSampler } from '../word2vec/negative-sampler.js';
import { subsamplingKeepProbabilities } from '../word2vec/subsampling.js';
import { requireVocabulary } from './require-vocabulary.js';
import { readTokenIds } from './token-ids.js';

export interface Word2VecTaskOptions {
  vocabulary: TokenVocabulary;
  /** Token counts over the corpus, per id (`tokenCounts`): the noise and subsampling frequencies. */
  counts: ArrayLike<number>;
  /** Largest center–context distance (default 5). */
  window: number;
  /** Noise words per example (default 5). */
  negatives: number;
  /** Subsampling threshold t (default 1e-3; 0 turns subsampling off). */
  subsampleThreshold: number;
  /** Exponent of the noise distribution (default 0.75). */
  noisePower: number;
  /** Examples per batch at most; more are subsampled uniformly (default 8192). */
  maxExamples: number;
}

/** A word2vec batch: `targets[:, 0]` is the true word, the rest are noise words. */
export interface Word2VecBatch extends TaskBatch {
  /** Skip-gram: centers [P]; CBOW: contexts [P, 2·window] padded with the pad id. */
  inputs: Tensor;
  /** The word to predict, then the negatives [P, 1 + negatives] int32. */
  targets: Tensor2D;
}

export function resolveWord2VecOptions(options: Partial<Word2VecTaskOptions>, factory: string): Word2VecTaskOptions {
  const vocabulary = requireVocabulary(options.vocabulary, factory);
  if (options.counts === undefined) {
    throw new Error(`${factory}: options.counts is required (tokenCounts(sequences, vocabulary.size))`);
  }
  if (options.counts.length !== vocabulary.size) {
    throw new Error(`${factory}: counts has ${options.counts.length} entries for a vocabulary of ${vocabulary.size}`);
  }
  const resolved: Word2VecTaskOptions = {
    vocabulary,
    counts: options.counts,
    window: options.window ?? 5,
    negatives: options.negatives ?? 5,
    subsampleThreshold: options.subsampleThreshold ?? 1e-3,
    noisePower: options.noisePower ?? 0.75,
    maxExamples: options.maxExamples ?? 8192,
  };
  for (const key of ['window', 'negatives', 'maxExamples'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) {
      throw new Error(`${factory}: ${key} must be a positive integer, got ${resolved[key]}`);
    }
  }
  if (!(resolved.subsampleThreshold >= 0)) {
    throw new Error(`${factory}: subsampleThreshold must be ≥ 0, got ${resolved.subsampleThreshold}`);
  }
  return resolved;
}

/**
 * The shared body of skip-gram and CBOW with negative sampling (Mikolov et al. 2013,
 * arXiv:1310.4546): windows from {@link contextWindows}, `negatives` noise words per example from
 * count^0.75, and the loss −log σ(u·v⁺) − Σ log σ(−u·v⁻) with u the encoder's vector of the
 * input (a word, or the mean of a context bag) and v the context vectors (`embedContext`).
 */
export function word2vecTask(
  id: 'skip-gram' | 'cbow',
  options: Word2VecTaskOptions,
): PretextTask<Word2VecTaskOptions, Tensor2D> {
  const { vocabulary, window, negatives, maxExamples } = options;
  const { special } = vocabularyTables(vocabulary, id);
  const noiseCounts = Float64Array.from(options.counts, (count, i) => (special[i] === 1 ? 0 : count));
  const sampler = createNegativeSampler(noiseCounts, options.noisePower);
  const keepProbabilities =
    options.subsampleThreshold > 0 ? subsamplingKeepProbabilities(noiseCounts, options.subsampleThreshold) : undefined;
  const width = 1 + negatives;
  const bag = 2 * window;
  return {
    id,
    modality: 'text',
    textInputs: { samples: 'packed', models: ['word2vec'], counts: true },
    options,
    head: { kind: 'none' },
    makeBatch(samples: Tensor2D, { rng }): Word2VecBatch {
      const { ids, shape } = readTokenIds(samples, 2, '[N, L]', id);
      const [rows, length] = shape as [number, number];
      const windows = contextWindows(
        ids,
        rows,
        length,
        { window, special, ...(keepProbabilities ? { keepProbabilities } : {}) },
        rng,
      );
      const examples: Array<[number, number]> = []; // (center index, context index or −1 for CBOW)
      for (let c = 0; c < windows.centers.length; c++) {
        if (id === 'cbow') examples.push([c, -1]);
        else
          for (let j = windows.offsets[c] as number; j < (windows.offsets[c + 1] as number); j++) examples.push([c, j]);
      }
      const chosen = examples.length > maxExamples ? pick(examples, maxExamples, rng) : examples;
      const count = chosen.length;
      const targets = new Int32Array(count * width);
      const inputs = id === 'cbow' ? new Int32Array(count * bag).fill(vocabulary.padId) : new Int32Array(count);
      chosen.forEach(([center, context], e) => {
        if (id === 'cbow') {
          const from = windows.offsets[center] as number;
          inputs.set(windows.contexts.subarray(from, windows.offsets[center + 1] as number), e * bag);
          targets[e * width] = windows.centers[center] as number;
        } else {
          inputs[e] = windows.centers[center] as number;
          targets[e * width] = windows.contexts[context] as number;
        }
        for (let k = 1; k < width; k++) targets[e * width + k] = sampler.sample(rng);
      });
      return tf.tidy(() => ({
        inputs: id === 'cbow' ? tf.tensor2d(inputs, [count, bag], 'int32') : tf.tensor1d(inputs, 'int32'),
        targets: tf.tensor2d(targets, [count, width], 'int32'),
      }));
    },
    forward(encoder, _head, batch, mode): Tensor {
      const model = asContextEmbeddingModel(encoder, id);
      return tf.tidy(() => {
        const words = model.apply(batch.inputs, mode);
        const contexts = model.embedContext(batch.targets);
        return tf.sum(tf.mul(tf.expandDims(words, 1), contexts), 2);
      });
    },
    loss(outputs: Tensor): Scalar {
      return tf.tidy(() => {
        const [count] = outputs.shape as [number, number];
        const positive = tf.slice(outputs, [0, 0], [-1, 1]);
        const noise = tf.slice(outputs, [0, 1], [-1, -1]);
        const total = tf.add(tf.sum(tf.softplus(tf.neg(positive))), tf.sum(tf.softplus(noise)));
        return tf.div(total, Math.max(count, 1)) as Scalar;
      });
    },
    metrics(outputs: Tensor) {
      if ((outputs.shape[0] as number) === 0) return { positiveRankedFirst: 0 };
      return tf.tidy(() => {
        const positive = tf.squeeze(tf.slice(outputs, [0, 0], [-1, 1]), [1]);
        const noise = tf.max(tf.slice(outputs, [0, 1], [-1, -1]), 1);
        return { positiveRankedFirst: tf.mean(tf.cast(tf.greater(positive, noise), 'float32')) as Scalar };
      });
    },
  };
}

/** `count` items drawn uniformly without replacement, in their original order. */
function pick<T>(items: T[], count: number, rng: Rng): T[] {
  const order = rng.permutation(items.length).subarray(0, count).sort();
  return Array.from(order, (i) => items[i] as T);
}
