import * as tf from '@tensorflow/tfjs-core';
import { composedKernel } from './kernel-scope.js';

/** XNNPACK's broadcasting binary operators take at most this many dimensions. */
const MAX_BROADCAST_RANK = 6;

/**
 * Shapes for computing `tile(x, reps)` as a broadcast `x + 0`. A tiled axis of size d becomes
 * (reps, d) with x broadcast over reps (just (reps) when d is 1); neighbouring axes of the same kind
 * are merged so the rank stays small: batch norm's [1,1,1,C] tiled by [N,H,W,1] is [1, C] + [N·H·W, 1].
 * Returns undefined when the result would still need more than {@link MAX_BROADCAST_RANK} axes.
 */
export function tileAsBroadcast(
  shape: readonly number[],
  reps: readonly number[],
): { xShape: number[]; zerosShape: number[] } | undefined {
  // Each entry is one axis of the broadcast: 'data' axes carry x's values, 'repeat' axes copies.
  const axes: Array<{ kind: 'data' | 'repeat'; size: number }> = [];
  const push = (kind: 'data' | 'repeat', size: number) => {
    const last = axes[axes.length - 1];
    if (last !== undefined && last.kind === kind) last.size *= size;
    else axes.push({ kind, size });
  };
  shape.forEach((size, axis) => {
    const rep = reps[axis] as number;
    if (rep !== 1) push('repeat', rep);
    if (size !== 1) push('data', size);
  });
  if (axes.length === 0) axes.push({ kind: 'data', size: 1 });
  if (axes.length > MAX_BROADCAST_RANK) return undefined;
  return {
    xShape: axes.map((a) => (a.kind === 'data' ? a.size : 1)),
    zerosShape: axes.map((a) => (a.kind === 'repeat' ? a.size : 1)),
  };
}

/**
 * `Tile` for wasm as a broadcast add against a small zeros tensor. tfjs-backend-wasm's Tile walks
 * the output element by element (~60–120 ns each); batch norm's gradient tiles [1,1,1,C] to
 * [N,H,W,C] and `broadcastTo` is a Tile too. XNNPACK's broadcasting add is ~10× faster. Falls back
 * to the original kernel for non-float32 data and for shapes needing more than six axes.
 */
export function tileKernel(original: tf.KernelFunc): tf.KernelConfig {
  const overrides = new Map([[tf.Tile, original]]);
  return {
    kernelName: tf.Tile,
    backendName: 'wasm',
    kernelFunc: composedKernel((scope, args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const { reps } = args.attrs as unknown as tf.TileAttrs;
      const plan = x.dtype === 'float32' ? tileAsBroadcast(x.shape, reps) : undefined;
      if (plan === undefined) return scope.run(tf.Tile, { x }, { reps });
      const zeros = scope.run(tf.Fill, {}, { shape: plan.zerosShape, value: 0, dtype: 'float32' });
      const sum = scope.run(tf.Add, { a: scope.reshape(x, plan.xShape), b: zeros });
      return scope.reshape(
        sum,
        x.shape.map((size, axis) => size * (reps[axis] as number)),
      );
    }, overrides),
  };
}
