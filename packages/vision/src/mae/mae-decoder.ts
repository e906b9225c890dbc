import { createRng, type Tensor, type Tensor2D, type Tensor3D, tf } from '@selfsup/backend';
import {
  denseLayer,
  type ForwardMode,
  type Head,
  layerNormLayer,
  ParameterStore,
  transformerBlock,
} from '@selfsup/models';
import { sincosPositionEmbedding } from './sincos-position-embedding.js';

export interface MaeDecoderOptions {
  /** Width of the encoder's tokens. */
  encoderDim: number;
  /** Patch grid of an image: rows × cols patches. */
  rows: number;
  cols: number;
  /** Values per patch to predict: patchSize² · channels. */
  patchValues: number;
  /** Decoder token width (MAE: 512 for ViT-L; light decoders work: 128 here by default). */
  dim?: number;
  /** Decoder blocks (MAE: 8; 1–2 suffice for small images). */
  depth?: number;
  heads?: number;
  mlpRatio?: number;
  seed?: number;
  name?: string;
}

/** MAE's decoder: a {@link Head} whose `decode` takes an encoding of the visible patches. */
export interface MaeDecoder extends Head {
  readonly numPatches: number;
  /**
   * Pixel predictions for every patch, [N, numPatches, patchValues], from the encoder's output on
   * the visible patches `encoded` [N, 1 + visible, encoderDim] (class token first) and
   * `restoreIndices` [N, numPatches] int32 (see `randomPatchMasking`).
   */
  decode(encoded: Tensor3D, restoreIndices: Tensor, mode: ForwardMode): Tensor3D;
}

/**
 * The light decoder of a masked autoencoder (He et al. 2022, arXiv:2111.06377, §3): the encoded
 * visible tokens are projected to the decoder's width, a shared learned mask token fills every
 * masked position, the sequence is unshuffled to image order, fixed 2-D sine-cosine position
 * embeddings are added, a few pre-LN transformer blocks and a layer norm run, and a linear layer
 * predicts each patch's pixels. Only pre-training uses it.
 *
 * `apply` decodes complete sequences, rows n·(1 + numPatches) + t of [N·(1 + numPatches), encoderDim]
 * → [N·numPatches, patchValues].
 *
 * @example const decoder = createMaeDecoder({ encoderDim: 192, rows: 7, cols: 7, patchValues: 16 });
 * @throws if a size is not a positive integer or dim is not a multiple of 4 and of heads.
 */
export function createMaeDecoder(options: MaeDecoderOptions): MaeDecoder {
  const { encoderDim, rows, cols, patchValues } = options;
  const dim = options.dim ?? 128;
  const depth = options.depth ?? 2;
  const heads = options.heads ?? 4;
  const name = options.name ?? 'mae_decoder';
  if ([encoderDim, rows, cols, patchValues, dim, heads].some((v) => !Number.isInteger(v) || v < 1) || depth < 0) {
    throw new Error(
      `createMaeDecoder: sizes must be positive integers; got encoderDim ${encoderDim}, grid ${rows}×${cols}, patchValues ${patchValues}, dim ${dim}, depth ${depth}, heads ${heads}`,
    );
  }
  const numPatches = rows * cols;
  const store = new ParameterStore(name, createRng(options.seed ?? 0));
  const embed = denseLayer(store, 'embed', { inputSize: encoderDim, outputSize: dim });
  const maskToken = store.weight('mask_token', [1, 1, dim], { kind: 'truncatedNormal', std: 0.02 });
  const blocks = Array.from({ length: depth }, (_, i) =>
    transformerBlock(store, `block${i + 1}`, { dim, heads, mlpRatio: options.mlpRatio ?? 4 }),
  );
  const norm = layerNormLayer(store, 'norm', dim);
  const predict = denseLayer(store, 'predict', { inputSize: dim, outputSize: patchValues });
  const positions = tf.tensor3d(sincosPositionEmbedding(rows, cols, dim), [1, 1 + numPatches, dim]);

  /** [N, 1 + numPatches, dim] in image order → [N, numPatches, patchValues]. */
  const run = (tokens: Tensor3D, mode: ForwardMode): Tensor3D =>
    tf.tidy(() => {
      let h = tf.add(tokens, positions) as Tensor3D;
      for (const block of blocks) h = block(h, mode);
      return tf.slice(predict(norm(h)), [0, 1, 0], [-1, -1, -1]) as Tensor3D;
    });
  return {
    name,
    inputSize: encoderDim,
    outputSize: patchValues,
    numPatches,
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: {
      kind: 'mae-decoder',
      options: { ...options, dim, depth, heads, mlpRatio: options.mlpRatio ?? 4, name },
    },
    decode(encoded, restoreIndices, mode) {
      const [batch, tokens, width] = encoded.shape;
      const visible = tokens - 1;
      if (width !== encoderDim || visible < 1 || visible > numPatches) {
        throw new Error(
          `${name}: expected encoded tokens [N, 1 + visible (1..${numPatches}), ${encoderDim}]; got [${encoded.shape}]`,
        );
      }
      if (restoreIndices.shape.join() !== [batch, numPatches].join()) {
        throw new Error(`${name}: restoreIndices must be [${batch}, ${numPatches}]; got [${restoreIndices.shape}]`);
      }
      return tf.tidy(() => {
        const x = embed(encoded);
        const cls = tf.slice(x, [0, 0, 0], [-1, 1, -1]);
        const visibleTokens = tf.slice(x, [0, 1, 0], [-1, -1, -1]);
        const shuffled =
          visible === numPatches
            ? visibleTokens
            : tf.concat([visibleTokens, tf.tile(maskToken, [batch, numPatches - visible, 1])], 1);
        const offsets = tf.tensor2d(
          Int32Array.from({ length: batch }, (_, n) => n * numPatches),
          [batch, 1],
          'int32',
        );
        const flatIndices = tf.reshape(tf.add(tf.cast(restoreIndices, 'int32'), offsets), [-1]);
        const unshuffled = tf.reshape(tf.gather(tf.reshape(shuffled, [batch * numPatches, dim]), flatIndices), [
          batch,
          numPatches,
          dim,
        ]);
        return run(tf.concat([cls, unshuffled], 1) as Tensor3D, mode);
      });
    },
    apply(features: Tensor2D, mode: ForwardMode): Tensor2D {
      const rowsIn = features.shape[0];
      if (rowsIn % (1 + numPatches) !== 0) {
        throw new Error(`${name}: apply takes whole sequences of ${1 + numPatches} tokens; got ${rowsIn} rows`);
      }
      const batch = rowsIn / (1 + numPatches);
      return tf.tidy(
        () =>
          tf.reshape(run(embed(tf.reshape(features, [batch, 1 + numPatches, encoderDim]) as Tensor3D), mode), [
            batch * numPatches,
            patchValues,
          ]) as Tensor2D,
      );
    },
    dispose: () => {
      store.dispose();
      positions.dispose();
    },
  };
}
