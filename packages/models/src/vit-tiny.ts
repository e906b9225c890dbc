import { createRng, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D, tf } from '@selfsup/backend';
import { checkInputShape, checkNormalization, type InputNormalization, normalizeInput } from './input-normalization.js';
import { denseLayer, layerNormLayer } from './layers.js';
import type { Encoder, ForwardMode } from './module.js';
import { ParameterStore } from './parameters.js';
import { patchify } from './patches.js';
import { transformerBlock } from './transformer-block.js';
import { VIT_TINY_DEFAULTS } from './vit-tiny-declaration.js';

export interface VitOptions {
  /** Per-example input [height, width, channels] (default [32, 32, 3]). */
  inputShape?: [number, number, number];
  /** Side of the square patches (default: {@link VIT_TINY_DEFAULTS}). */
  patchSize?: number;
  /** Token width (default: {@link VIT_TINY_DEFAULTS}, ViT-tiny's). */
  dim?: number;
  /** Transformer blocks (default: {@link VIT_TINY_DEFAULTS}, ViT-tiny's). */
  depth?: number;
  /** Attention heads (default: {@link VIT_TINY_DEFAULTS}, ViT-tiny's). */
  heads?: number;
  mlpRatio?: number;
  /**
   * The feature `apply` returns: the class token (`class-token`, ViT's default) or the mean of the
   * patch tokens (`mean-patch-tokens`, which MAE also uses for linear probing; the class token
   * gets no direct loss in MAE pretraining). Both after the final layer norm.
   */
  pooling?: VitPooling;
  normalization?: InputNormalization;
  seed?: number;
  name?: string;
}

/** How a ViT pools its output tokens into one feature vector. */
export type VitPooling = 'class-token' | 'mean-patch-tokens';

/** A ViT encoder that also exposes its token pipeline, for masked-image modelling (MAE). */
export interface VitEncoder extends Encoder {
  readonly patchSize: number;
  /** Patches per image (without the class token). */
  readonly numPatches: number;
  readonly dim: number;
  /** Images → patch tokens with position embeddings, [batch, numPatches, dim] (no class token). */
  embedPatches(inputs: Tensor): Tensor3D;
  /**
   * Runs the transformer on a class token plus the given patch tokens (any subset, e.g. MAE's
   * visible patches) and returns every output token after the final layer norm,
   * [batch, 1 + tokens, dim]; index 0 is the class token.
   */
  encodeTokens(patchTokens: Tensor3D, mode: ForwardMode): Tensor3D;
}

/**
 * Vision Transformer (Dosovitskiy et al. 2021, arXiv:2010.11929), ViT-tiny sizes by default
 * (dim 192, depth 12, 3 heads, MLP ×4) with small patches for 28–32 px images: linear patch
 * embedding, learned class token and position embeddings (truncated normal, std 0.02), pre-LN
 * blocks, final layer norm; the feature is the class token (or, with `pooling: 'mean-patch-tokens'`,
 * the mean patch token), [batch, dim].
 *
 * @example
 * const vit = createVitTiny({ inputShape: [28, 28, 1], patchSize: 4, depth: 6 });
 * @throws if the image size is not a multiple of the patch size or dim of the heads.
 */
export function createVitTiny(options: VitOptions = {}): VitEncoder {
  const inputShape = options.inputShape ?? [32, 32, 3];
  const patchSize = options.patchSize ?? VIT_TINY_DEFAULTS.patchSize;
  const dim = options.dim ?? VIT_TINY_DEFAULTS.dim;
  const depth = options.depth ?? VIT_TINY_DEFAULTS.depth;
  const heads = options.heads ?? VIT_TINY_DEFAULTS.heads;
  const name = options.name ?? 'vit_tiny';
  const pooling = options.pooling ?? 'class-token';
  if (pooling !== 'class-token' && pooling !== 'mean-patch-tokens') {
    throw new Error(
      `createVitTiny: pooling '${pooling as string}' is not known; expected class-token or mean-patch-tokens`,
    );
  }
  const [height, width, channels] = inputShape;
  if (height % patchSize !== 0 || width % patchSize !== 0) {
    throw new Error(`createVitTiny: image size ${height}×${width} is not a multiple of the patch size ${patchSize}`);
  }
  checkNormalization(options.normalization, channels, 'createVitTiny');
  const numPatches = (height / patchSize) * (width / patchSize);
  const store = new ParameterStore(name, createRng(options.seed ?? 0));
  const embed = denseLayer(store, 'patch_embedding', { inputSize: patchSize * patchSize * channels, outputSize: dim });
  const classToken = store.weight('class_token', [1, 1, dim], { kind: 'truncatedNormal', std: 0.02 });
  const positions = store.weight('position_embedding', [1, 1 + numPatches, dim], {
    kind: 'truncatedNormal',
    std: 0.02,
  });
  const blocks = Array.from({ length: depth }, (_, i) =>
    transformerBlock(store, `block${i + 1}`, { dim, heads, mlpRatio: options.mlpRatio ?? VIT_TINY_DEFAULTS.mlpRatio }),
  );
  const finalNorm = layerNormLayer(store, 'final_ln', dim);

  const embedPatches = (inputs: Tensor): Tensor3D => {
    checkInputShape(inputs, inputShape, name);
    return tf.tidy(() => {
      const tokens = embed(patchify(normalizeInput(inputs, options.normalization) as Tensor4D, patchSize));
      return tf.add(tokens, tf.slice(positions, [0, 1, 0], [1, numPatches, dim])) as Tensor3D;
    });
  };
  const encodeTokens = (patchTokens: Tensor3D, mode: ForwardMode): Tensor3D =>
    tf.tidy(() => {
      const batch = patchTokens.shape[0];
      const cls = tf.tile(tf.add(classToken, tf.slice(positions, [0, 0, 0], [1, 1, dim])), [batch, 1, 1]);
      let h = tf.concat([cls, patchTokens], 1) as Tensor3D;
      for (const block of blocks) h = block(h, mode);
      return finalNorm(h);
    });
  return {
    name,
    featureSize: dim,
    inputShape,
    patchSize,
    numPatches,
    dim,
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: { kind: 'vit', options: { ...options, inputShape, patchSize, dim, depth, heads, name } },
    embedPatches,
    encodeTokens,
    apply(inputs: Tensor, mode: ForwardMode): Tensor2D {
      return tf.tidy(() => {
        const tokens = encodeTokens(embedPatches(inputs), mode);
        if (pooling === 'mean-patch-tokens') return tf.mean(tf.slice(tokens, [0, 1, 0], [-1, -1, -1]), 1) as Tensor2D;
        return tf.reshape(tf.slice(tokens, [0, 0, 0], [-1, 1, dim]), [-1, dim]) as Tensor2D;
      });
    },
    dispose: () => store.dispose(),
  };
}
