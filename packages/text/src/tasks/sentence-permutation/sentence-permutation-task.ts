import { type Scalar, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, tf } from '@selfsup/backend';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import type { TokenVocabulary } from '../../tokenizer/token-vocabulary.js';
import { requireVocabulary } from '../require-vocabulary.js';
import { packSegments, segmentTokens } from '../segments.js';
import { sparseAccuracy, sparseCrossEntropy } from '../token-cross-entropy.js';
import { readTokenIds } from '../token-ids.js';

export interface SentencePermutationTaskOptions {
  vocabulary: TokenVocabulary;
  /** Sentences per sample, 2–5; the head classifies all `sentences!` orders (default 3: 6 classes). */
  sentences: number;
}

/** Every permutation of 0..n−1 in lexicographic order (label i is `permutations(n)[i]`). */
export function permutations(n: number): number[][] {
  if (n <= 1) return [[0]];
  const result: number[][] = [];
  const rest = permutations(n - 1);
  for (let first = 0; first < n; first++) {
    for (const tail of rest) result.push([first, ...tail.map((x) => (x >= first ? x + 1 : x))]);
  }
  return result;
}

/**
 * Sentence permutation (BART's sentence shuffling, Lewis et al. 2020, arXiv:1910.13461, as a
 * classification task): the sentences of each sample are put in one of the `sentences!` orders,
 * drawn uniformly, and packed as `[CLS] s_π(0) [SEP] s_π(1) [SEP] …`; the label is the index of π
 * in {@link permutations}, so `input sentence k = original sentence π(k)`. A linear head on the
 * sentence feature predicts it.
 *
 * Samples are token ids [N, S, L]: S consecutive sentences, each padded with the pad id (no special
 * tokens); inputs are [N, S·L + S + 1].
 *
 * @example
 * const task = sentencePermutationTask({ vocabulary: tokenizer.vocabulary, sentences: 3 });
 * @throws without a vocabulary, for `sentences` outside 2–5, or samples with another S.
 */
export function sentencePermutationTask(
  options: Partial<SentencePermutationTaskOptions> = {},
): PretextTask<SentencePermutationTaskOptions, Tensor3D> {
  const vocabulary = requireVocabulary(options.vocabulary, 'sentencePermutationTask');
  const sentences = options.sentences ?? 3;
  if (!Number.isInteger(sentences) || sentences < 2 || sentences > 5) {
    throw new Error(`sentencePermutationTask: sentences must be an integer in 2–5, got ${sentences}`);
  }
  const orders = permutations(sentences);
  const id = 'sentence-permutation';
  return {
    id,
    description:
      'Consecutive sentences of a document, shuffled → which order they were put in (BART sentence permutation, Lewis et al. 2020)',
    modality: 'text',
    textInputs: { samples: 'segments', segments: sentences, models: ['text-transformer'] },
    options: { vocabulary, sentences },
    head: { kind: 'linear', outputSize: orders.length },
    makeBatch(samples: Tensor3D, { rng }): TaskBatch {
      const { ids, shape } = readTokenIds(samples, 3, `[N, ${sentences}, L]`, id);
      const [count, segments, length] = shape as [number, number, number];
      if (segments !== sentences) {
        throw new Error(`${id}: samples must hold ${sentences} sentences each, got [${shape}]`);
      }
      const width = sentences * length + sentences + 1;
      const inputs = new Int32Array(count * width).fill(vocabulary.padId);
      const labels = new Int32Array(count);
      for (let sample = 0; sample < count; sample++) {
        const label = rng.int(orders.length);
        labels[sample] = label;
        const parts = (orders[label] as number[]).map((k) =>
          segmentTokens(ids, sample, k, sentences, length, vocabulary.padId),
        );
        packSegments(inputs, sample * width, parts, vocabulary.clsId, vocabulary.sepId);
      }
      return tf.tidy(() => ({
        inputs: tf.tensor2d(inputs, [count, width], 'int32'),
        targets: tf.tensor1d(labels, 'int32'),
      }));
    },
    loss(outputs: Tensor, batch: TaskBatch): Scalar {
      return sparseCrossEntropy(outputs as Tensor2D, batch.targets as Tensor1D);
    },
    metrics(outputs: Tensor, batch: TaskBatch) {
      return { permutationAccuracy: sparseAccuracy(outputs, batch.targets) };
    },
  };
}
