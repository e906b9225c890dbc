import { type Scalar, type Tensor, type Tensor1D, type Tensor3D, tf } from '@selfsup/backend';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import type { TokenVocabulary } from '../../tokenizer/token-vocabulary.js';
import { requireVocabulary } from '../require-vocabulary.js';
import { packSegments, segmentTokens } from '../segments.js';
import { sparseAccuracy, sparseCrossEntropy } from '../token-cross-entropy.js';
import { readTokenIds } from '../token-ids.js';

export interface SentenceOrderTaskOptions {
  vocabulary: TokenVocabulary;
  /** Probability that a pair is swapped (ALBERT: 0.5). */
  swapProbability: number;
}

/**
 * Sentence-order prediction (ALBERT, Lan et al. 2020, arXiv:1909.11942): each sample is two
 * consecutive segments A and B of one document; the input is `[CLS] A [SEP] B [SEP]` (label 0) or,
 * with `swapProbability`, `[CLS] B [SEP] A [SEP]` (label 1). Both orders use the same text, so
 * topic gives nothing away: the encoder must model coherence. A linear head on the encoder's
 * sentence feature classifies the order.
 *
 * Samples are token ids [N, 2, L] (segment A, segment B, each padded with the pad id, no special
 * tokens); inputs are [N, 2L + 3], padded at the end.
 *
 * @example
 * const task = sentenceOrderTask({ vocabulary: tokenizer.vocabulary });
 * const batch = task.makeBatch(pairs, { rng, training: true }); // targets [N]: 1 = swapped
 * @throws without a vocabulary, for a swap probability outside [0, 1], or samples not [N, 2, L].
 */
export function sentenceOrderTask(
  options: Partial<SentenceOrderTaskOptions> = {},
): PretextTask<SentenceOrderTaskOptions, Tensor3D> {
  const vocabulary = requireVocabulary(options.vocabulary, 'sentenceOrderTask');
  const swapProbability = options.swapProbability ?? 0.5;
  if (!(swapProbability >= 0 && swapProbability <= 1)) {
    throw new Error(`sentenceOrderTask: swapProbability must be in [0, 1], got ${swapProbability}`);
  }
  const id = 'sentence-order';
  return {
    id,
    description:
      'Two consecutive segments, in order or swapped → whether they were swapped (ALBERT sentence-order prediction, Lan et al. 2020)',
    modality: 'text',
    textInputs: { samples: 'segments', segments: 2, models: ['text-transformer'] },
    options: { vocabulary, swapProbability },
    head: { kind: 'linear', outputSize: 2 },
    makeBatch(samples: Tensor3D, { rng }): TaskBatch {
      const { ids, shape } = readTokenIds(samples, 3, '[N, 2, L] (two segments per sample)', id);
      const [count, segments, length] = shape as [number, number, number];
      if (segments !== 2) throw new Error(`${id}: samples must hold 2 segments per sample, got [${shape}]`);
      const width = 2 * length + 3;
      const inputs = new Int32Array(count * width).fill(vocabulary.padId);
      const labels = new Int32Array(count);
      for (let sample = 0; sample < count; sample++) {
        const first = segmentTokens(ids, sample, 0, 2, length, vocabulary.padId);
        const second = segmentTokens(ids, sample, 1, 2, length, vocabulary.padId);
        const swap = rng.next() < swapProbability;
        labels[sample] = swap ? 1 : 0;
        packSegments(
          inputs,
          sample * width,
          swap ? [second, first] : [first, second],
          vocabulary.clsId,
          vocabulary.sepId,
        );
      }
      return tf.tidy(() => ({
        inputs: tf.tensor2d(inputs, [count, width], 'int32'),
        targets: tf.tensor1d(labels, 'int32'),
      }));
    },
    loss(outputs: Tensor, batch: TaskBatch): Scalar {
      return sparseCrossEntropy(outputs as tf.Tensor2D, batch.targets as Tensor1D);
    },
    metrics(outputs: Tensor, batch: TaskBatch) {
      return { sentenceOrderAccuracy: sparseAccuracy(outputs, batch.targets) };
    },
  };
}
