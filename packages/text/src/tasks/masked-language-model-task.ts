import { type Rng, type Scalar, type Tensor, type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import type { MaskedTokens } from '../masking/masked-tokens.js';
import { asMaskedLanguageModel } from '../token-models.js';
import { sparseAccuracy, sparseCrossEntropy } from './token-cross-entropy.js';
import { readTokenIds } from './token-ids.js';

/** A masked-token batch: the corrupted ids, the labels, and the selected positions. */
export interface MaskedTokenBatch extends TaskBatch {
  /** Corrupted token ids [batch, length] int32: what the encoder reads. */
  inputs: Tensor2D;
  /** Labels [batch, length] int32: the original id where selected, −100 elsewhere (as Hugging Face). */
  targets: Tensor2D;
  /** 1 at selected positions, 0 elsewhere [batch, length] float32. */
  weights: Tensor2D;
  /** Flat indices (row · length + column) of the selected positions [selected] int32. */
  maskedPositions: Tensor1D;
  /** The original ids at `maskedPositions` [selected] int32. */
  maskedLabels: Tensor1D;
}

/**
 * The shared body of the masked-token tasks (BERT MLM, whole-word, SpanBERT): `mask` corrupts
 * token ids [N, L]; the encoder's outputs at the selected positions go through its MLM head, and
 * the loss is the cross-entropy of the original tokens there (unselected positions cost nothing).
 */
export function maskedLanguageModelTask<Options extends object>(
  id: string,
  options: Options,
  mask: (ids: Int32Array, shape: [number, number], rng: Rng) => MaskedTokens,
): PretextTask<Options, Tensor2D> {
  return {
    id,
    modality: 'text',
    textInputs: { samples: 'packed', models: ['text-transformer'] },
    options,
    head: { kind: 'none' },
    makeBatch(samples: Tensor2D, { rng }): MaskedTokenBatch {
      const { ids, shape } = readTokenIds(samples, 2, '[batch, length]', id);
      const [rows, length] = shape as [number, number];
      const masked = mask(ids, [rows, length], rng);
      const weights = new Float32Array(ids.length);
      const maskedLabels = new Int32Array(masked.maskedPositions.length);
      masked.maskedPositions.forEach((position, i) => {
        weights[position] = 1;
        maskedLabels[i] = masked.labels[position] as number;
      });
      return {
        inputs: tf.tensor2d(masked.inputIds, [rows, length], 'int32'),
        targets: tf.tensor2d(masked.labels, [rows, length], 'int32'),
        weights: tf.tensor2d(weights, [rows, length], 'float32'),
        maskedPositions: tf.tensor1d(masked.maskedPositions, 'int32'),
        maskedLabels: tf.tensor1d(maskedLabels, 'int32'),
      };
    },
    forward(encoder, _head, batch, mode): Tensor {
      const model = asMaskedLanguageModel(encoder, id);
      const { inputs, maskedPositions } = batch as MaskedTokenBatch;
      return tf.tidy(() => {
        const hidden = model.encodeTokens(inputs, mode);
        const [rows, length, width] = hidden.shape;
        const selected = tf.gather(tf.reshape(hidden, [rows * length, width]), maskedPositions) as Tensor2D;
        return model.mlmLogits(selected, mode);
      });
    },
    loss(outputs: Tensor, batch: TaskBatch): Scalar {
      return sparseCrossEntropy(outputs as Tensor2D, (batch as MaskedTokenBatch).maskedLabels);
    },
    metrics(outputs: Tensor, batch: TaskBatch) {
      return { maskedTokenAccuracy: sparseAccuracy(outputs, (batch as MaskedTokenBatch).maskedLabels) };
    },
  };
}
