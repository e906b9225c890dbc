import { type Scalar, type Tensor, type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import { vocabularyTables } from '../../masking/masked-tokens.js';
import { asTokenSequenceEncoder } from '../../token-models.js';
import type { TokenVocabulary } from '../../tokenizer/token-vocabulary.js';
import { requireVocabulary } from '../require-vocabulary.js';
import { sparseAccuracy, sparseCrossEntropy } from '../token-cross-entropy.js';
import { readTokenIds } from '../token-ids.js';

export interface DocumentRotationTaskOptions {
  vocabulary: TokenVocabulary;
}

/** A rotation batch: `weights` marks the positions the start can be at. */
export interface DocumentRotationBatch extends TaskBatch {
  /** `[CLS] rotated tokens [SEP]` [N, W] int32, padded. */
  inputs: Tensor2D;
  /** Position of the original first token in the input [N] int32. */
  targets: Tensor1D;
  /** 1 at every token position (candidates), 0 at special tokens and padding [N, W]. */
  weights: Tensor2D;
}

/**
 * Document rotation (BART, Lewis et al. 2020, arXiv:1910.13461): a token is chosen uniformly and
 * the text is rotated to begin with it; the model points at the position where the original text
 * starts. The tokens of each row (its special tokens and padding dropped) are rotated and packed
 * as `[CLS] rotated [SEP]`; the target is that position. A linear head with one output scores every
 * position of the token encoder's outputs; special tokens and padding cannot be chosen.
 *
 * Samples are token ids [N, L]; inputs are [N, longest row + 2].
 *
 * @example
 * const task = documentRotationTask({ vocabulary: tokenizer.vocabulary });
 * @throws without a vocabulary; `forward` throws for an encoder without `encodeTokens`.
 */
export function documentRotationTask(
  options: Partial<DocumentRotationTaskOptions> = {},
): PretextTask<DocumentRotationTaskOptions, Tensor2D> {
  const vocabulary = requireVocabulary(options.vocabulary, 'documentRotationTask');
  const id = 'document-rotation';
  return {
    id,
    description: 'A text rotated to start at a random token → where the text starts (BART, Lewis et al. 2020)',
    modality: 'text',
    textInputs: { samples: 'packed', models: ['text-transformer'] },
    options: { vocabulary },
    head: { kind: 'linear', outputSize: 1 },
    makeBatch(samples: Tensor2D, { rng }): DocumentRotationBatch {
      const { ids, shape } = readTokenIds(samples, 2, '[N, L]', id);
      const [count, length] = shape as [number, number];
      const { special } = vocabularyTables(vocabulary, id);
      const rows: Int32Array[] = [];
      for (let row = 0; row < count; row++) {
        const content = ids.subarray(row * length, (row + 1) * length).filter((token) => special[token] === 0);
        rows.push(content);
      }
      const width = Math.max(...rows.map((row) => row.length), 1) + 2;
      const inputs = new Int32Array(count * width).fill(vocabulary.padId);
      const candidates = new Float32Array(count * width);
      const targets = new Int32Array(count);
      rows.forEach((content, row) => {
        const n = content.length;
        const offset = row * width;
        inputs[offset] = vocabulary.clsId;
        if (n === 0) {
          inputs[offset + 1] = vocabulary.sepId;
          candidates[offset] = 1;
          return;
        }
        const start = rng.int(n);
        inputs.set(content.subarray(start), offset + 1);
        inputs.set(content.subarray(0, start), offset + 1 + n - start);
        inputs[offset + 1 + n] = vocabulary.sepId;
        candidates.fill(1, offset + 1, offset + 1 + n);
        targets[row] = 1 + ((n - start) % n);
      });
      return tf.tidy(() => ({
        inputs: tf.tensor2d(inputs, [count, width], 'int32'),
        targets: tf.tensor1d(targets, 'int32'),
        weights: tf.tensor2d(candidates, [count, width], 'float32'),
      }));
    },
    forward(encoder, head, batch, mode): Tensor {
      const tokens = asTokenSequenceEncoder(encoder, id);
      if (head === undefined) throw new Error(`${id}: the task needs its one-output linear head`);
      const { inputs, weights } = batch as DocumentRotationBatch;
      return tf.tidy(() => {
        const hidden = tokens.encodeTokens(inputs, mode);
        const [count, width, dim] = hidden.shape;
        const scores = tf.reshape(head.apply(tf.reshape(hidden, [count * width, dim]) as Tensor2D, mode), [
          count,
          width,
        ]);
        return tf.add(scores, tf.mul(tf.sub(1, weights), -1e9));
      });
    },
    loss(outputs: Tensor, batch: TaskBatch): Scalar {
      return sparseCrossEntropy(outputs as Tensor2D, batch.targets as Tensor1D);
    },
    metrics(outputs: Tensor, batch: TaskBatch) {
      return { rotationStartAccuracy: sparseAccuracy(outputs, batch.targets) };
    },
  };
}
