import { type Tensor, type Tensor3D, tf } from '@selfsup/backend';
import { denseLayer, gelu, layerNormLayer } from './layers.js';
import type { ForwardMode } from './module.js';
import type { ParameterStore } from './parameters.js';

export interface TransformerDecoderBlockOptions {
  dim: number;
  heads: number;
  /** MLP hidden size as a multiple of dim (default 4). */
  mlpRatio?: number;
}

/** Scaled dot-product attention over heads: q [B, Tq, D], k and v [B, Tk, D], an additive bias broadcast to [B, H, Tq, Tk]. */
function attend(q: Tensor, k: Tensor, v: Tensor, heads: number, bias: Tensor | undefined): Tensor3D {
  const [batch, queries, dim] = q.shape as [number, number, number];
  const keys = k.shape[1] as number;
  const size = dim / heads;
  const split = (x: Tensor, length: number) => tf.transpose(tf.reshape(x, [batch, length, heads, size]), [0, 2, 1, 3]);
  let scores = tf.mul(tf.matMul(split(q, queries), split(k, keys), false, true), 1 / Math.sqrt(size));
  if (bias !== undefined) scores = tf.add(scores, bias);
  const attended = tf.matMul(tf.softmax(scores), split(v, keys));
  return tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [batch, queries, dim]) as Tensor3D;
}

/**
 * A pre-LN transformer decoder block (Vaswani et al. 2017, arXiv:1706.03762, with pre-LN as
 * T5): x + causal self-attention(LN(x)), x + cross-attention(LN(x), memory), x + GELU MLP(LN(x)).
 * `memoryMask` [batch, memoryLength] (1 = attend, 0 = padding) hides padded memory positions.
 */
export function transformerDecoderBlock(store: ParameterStore, name: string, options: TransformerDecoderBlockOptions) {
  const { dim, heads } = options;
  if (dim % heads !== 0) throw new Error(`transformerDecoderBlock: dim ${dim} is not divisible by ${heads} heads`);
  const block = store.child(name);
  const selfNorm = layerNormLayer(block, 'self_ln', dim);
  const selfQkv = denseLayer(block, 'self_qkv', { inputSize: dim, outputSize: 3 * dim });
  const selfOut = denseLayer(block, 'self_out', { inputSize: dim, outputSize: dim });
  const crossNorm = layerNormLayer(block, 'cross_ln', dim);
  const crossQuery = denseLayer(block, 'cross_q', { inputSize: dim, outputSize: dim });
  const crossKeyValue = denseLayer(block, 'cross_kv', { inputSize: dim, outputSize: 2 * dim });
  const crossOut = denseLayer(block, 'cross_out', { inputSize: dim, outputSize: dim });
  const mlpNorm = layerNormLayer(block, 'mlp_ln', dim);
  const hidden = Math.round(dim * (options.mlpRatio ?? 4));
  const fc1 = denseLayer(block, 'mlp_fc1', { inputSize: dim, outputSize: hidden });
  const fc2 = denseLayer(block, 'mlp_fc2', { inputSize: hidden, outputSize: dim });
  return (x: Tensor3D, memory: Tensor3D, memoryMask: Tensor, _mode: ForwardMode): Tensor3D =>
    tf.tidy(() => {
      const [batch, length] = x.shape;
      const memoryLength = memory.shape[1];
      const [q, k, v] = tf.split(selfQkv(selfNorm(x)), 3, 2) as [Tensor, Tensor, Tensor];
      const causal = tf.reshape(tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([length, length]), -1, 0)), -1e9), [
        1,
        1,
        length,
        length,
      ]);
      let h = tf.add(x, selfOut(attend(q, k, v, heads, causal)));
      const [mk, mv] = tf.split(crossKeyValue(memory), 2, 2) as [Tensor, Tensor];
      const memoryBias = tf.mul(
        tf.sub(1, tf.reshape(tf.cast(memoryMask, 'float32'), [batch, 1, 1, memoryLength])),
        -1e9,
      );
      h = tf.add(h, crossOut(attend(crossQuery(crossNorm(h)), mk, mv, heads, memoryBias)));
      return tf.add(h, fc2(gelu(fc1(mlpNorm(h))))) as Tensor3D;
    });
}
