import { type Scalar, type Tensor, type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import { IGNORE_INDEX } from '../../masking/masked-tokens.js';
import { corruptSpans, type SpanCorruptionOptions } from '../../masking/t5-span-corruption.js';
import { asSequenceToSequenceModel } from '../../token-models.js';
import { requireVocabulary } from '../require-vocabulary.js';
import { sparseAccuracy, sparseCrossEntropy } from '../token-cross-entropy.js';
import { readTokenIds } from '../token-ids.js';

export type T5SpanCorruptionTaskOptions = SpanCorruptionOptions;

/** A span-corruption batch for an encoder-decoder. */
export interface SpanCorruptionBatch extends TaskBatch {
  /** Encoder inputs with sentinels [N, inputLength] int32. */
  inputs: Tensor2D;
  /** Decoder targets [N, targetLength] int32, −100 at padding. */
  targets: Tensor2D;
  /** Decoder inputs: the targets shifted right behind the pad id [N, targetLength] int32. */
  decoderInputIds: Tensor2D;
  /** 1 at real target positions [N, targetLength] float32. */
  weights: Tensor2D;
  /** Flat indices of the real target positions [M] int32, and their ids [M]. */
  targetPositions: Tensor1D;
  targetLabels: Tensor1D;
}

/**
 * T5's span-corruption objective (Raffel et al. 2020, arXiv:1910.10683): 15 % of the tokens in
 * spans of mean length 3 are replaced by sentinels; an encoder-decoder
 * (`createTextEncoderDecoder`) reads the corrupted text and generates `<extra_id_0> span0
 * <extra_id_1> span1 … [SEP]` (see {@link corruptSpans}). Samples are token ids [N, L]; the
 * vocabulary needs sentinels (`trainTokenizer({ sentinels: 100 })`).
 *
 * @example
 * const task = t5SpanCorruptionTask({ vocabulary: tokenizer.vocabulary });
 * await pretrain({ objective: taskObjective(task, createTextEncoderDecoder({ vocabSize })), … });
 * @throws without a vocabulary or sentinels, or for options out of range.
 */
export function t5SpanCorruptionTask(
  options: Partial<T5SpanCorruptionTaskOptions> = {},
): PretextTask<T5SpanCorruptionTaskOptions, Tensor2D> {
  const vocabulary = requireVocabulary(options.vocabulary, 't5SpanCorruptionTask');
  if (vocabulary.sentinelIds.length === 0) {
    throw new Error(
      't5SpanCorruptionTask: the vocabulary has no sentinel tokens (<extra_id_0>, …); train the tokenizer with trainTokenizer({ sentinels: 100 })',
    );
  }
  const resolved: T5SpanCorruptionTaskOptions = {
    vocabulary,
    noiseDensity: options.noiseDensity ?? 0.15,
    meanNoiseSpanLength: options.meanNoiseSpanLength ?? 3,
  };
  if (!(resolved.noiseDensity > 0 && resolved.noiseDensity < 1)) {
    throw new Error(`t5SpanCorruptionTask: noiseDensity must be in (0, 1), got ${resolved.noiseDensity}`);
  }
  if (!(resolved.meanNoiseSpanLength >= 1)) {
    throw new Error(
      `t5SpanCorruptionTask: meanNoiseSpanLength must be at least 1, got ${resolved.meanNoiseSpanLength}`,
    );
  }
  const id = 't5-span-corruption';
  return {
    id,
    description:
      'Token ids with noise spans replaced by sentinels → each span after its sentinel, from a decoder (T5, Raffel et al. 2020)',
    modality: 'text',
    textInputs: { samples: 'packed', models: ['text-encoder-decoder'], sentinels: true },
    options: resolved,
    head: { kind: 'none' },
    makeBatch(samples: Tensor2D, { rng }): SpanCorruptionBatch {
      const { ids, shape } = readTokenIds(samples, 2, '[N, L]', id);
      const [rows, length] = shape as [number, number];
      const corrupted = corruptSpans(ids, [rows, length], resolved, rng);
      const { labels, targetLength, inputLength } = corrupted;
      const weights = new Float32Array(labels.length);
      const positions: number[] = [];
      labels.forEach((label, i) => {
        if (label === IGNORE_INDEX) return;
        weights[i] = 1;
        positions.push(i);
      });
      return tf.tidy(() => ({
        inputs: tf.tensor2d(corrupted.inputIds, [rows, inputLength], 'int32'),
        targets: tf.tensor2d(labels, [rows, targetLength], 'int32'),
        decoderInputIds: tf.tensor2d(corrupted.decoderInputIds, [rows, targetLength], 'int32'),
        weights: tf.tensor2d(weights, [rows, targetLength], 'float32'),
        targetPositions: tf.tensor1d(positions, 'int32'),
        targetLabels: tf.tensor1d(
          positions.map((i) => labels[i] as number),
          'int32',
        ),
      }));
    },
    forward(encoder, _head, batch, mode): Tensor {
      const model = asSequenceToSequenceModel(encoder, id);
      const { inputs, decoderInputIds, targetPositions } = batch as SpanCorruptionBatch;
      return tf.tidy(() => {
        const encoded = model.encodeTokens(inputs, mode);
        const logits = model.decodeLogits(decoderInputIds, encoded, inputs, mode);
        const [rows, length, vocab] = logits.shape;
        return tf.gather(tf.reshape(logits, [rows * length, vocab]), targetPositions);
      });
    },
    loss(outputs: Tensor, batch: TaskBatch): Scalar {
      return sparseCrossEntropy(outputs as Tensor2D, (batch as SpanCorruptionBatch).targetLabels);
    },
    metrics(outputs: Tensor, batch: TaskBatch) {
      return { targetTokenAccuracy: sparseAccuracy(outputs, (batch as SpanCorruptionBatch).targetLabels) };
    },
  };
}
