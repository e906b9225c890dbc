import { type Tensor, type Tensor3D, tf } from '@selfsup/backend';
import { denseLayer, gelu, layerNormLayer } from './layers.js';
import type { ForwardMode } from './module.js';
import type { ParameterStore } from './parameters.js';

export interface TransformerBlockOptions {
  dim: number;
  heads: number;
  /** Hidden size of the MLP as a multiple of dim (default 4). */
  mlpRatio?: number;
}

/**
 * A pre-LN transformer block (as ViT, Dosovitskiy et al. 2021): x + MHA(LN(x)), then
 * x + MLP(LN(x)) with GELU. `keyMask` [batch, tokens] (1 = attend, 0 = padding) hides padded
 * keys from every query.
 */
export function transformerBlock(store: ParameterStore, name: string, options: TransformerBlockOptions) {
  const { dim, heads } = options;
  if (dim % heads !== 0) throw new Error(`transformerBlock: dim ${dim} is not divisible by ${heads} heads`);
  const headSize = dim / heads;
  const block = store.child(name);
  const norm1 = layerNormLayer(block, 'ln1', dim);
  const qkv = denseLayer(block, 'qkv', { inputSize: dim, outputSize: 3 * dim });
  const out = denseLayer(block, 'attention_out', { inputSize: dim, outputSize: dim });
  const norm2 = layerNormLayer(block, 'ln2', dim);
  const hidden = Math.round(dim * (options.mlpRatio ?? 4));
  const fc1 = denseLayer(block, 'mlp_fc1', { inputSize: dim, outputSize: hidden });
  const fc2 = denseLayer(block, 'mlp_fc2', { inputSize: hidden, outputSize: dim });
  return (x: Tensor3D, _mode: ForwardMode, keyMask?: Tensor): Tensor3D =>
    tf.tidy(() => {
      const [batch, tokens] = x.shape;
      // [B, T, 3·dim] → [3, B, heads, T, headSize]
      const projected = tf.transpose(tf.reshape(qkv(norm1(x)), [batch, tokens, 3, heads, headSize]), [2, 0, 3, 1, 4]);
      const [q, k, v] = tf.unstack(projected) as [Tensor, Tensor, Tensor];
      let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(headSize));
      if (keyMask !== undefined) {
        const blocked = tf.mul(tf.sub(1, tf.reshape(tf.cast(keyMask, 'float32'), [batch, 1, 1, tokens])), -1e9);
        scores = tf.add(scores, blocked);
      }
      const attended = tf.matMul(tf.softmax(scores), v);
      const merged = tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [batch, tokens, dim]);
      const afterAttention = tf.add(x, out(merged));
      return tf.add(afterAttention, fc2(gelu(fc1(norm2(afterAttention))))) as Tensor3D;
    });
}
