import * as tf from '@tensorflow/tfjs-core';
import { replacementKernel } from './kernel-scope.js';

/**
 * The tiling as a list of single-axis repeats on a collapsed shape: axes that are not tiled merge
 * with their neighbours, and neighbouring tiled axes of size 1 merge into one repeat. Each step is
 * (outer, chunk, reps): every one of `outer` chunks of `chunk` elements is written `reps` times.
 */
export function tilePlan(
  shape: readonly number[],
  reps: readonly number[],
): Array<{ outer: number; chunk: number; reps: number }> {
  // Collapse: [size, rep] pairs, merging runs of untiled axes and runs of size-1 tiled axes.
  const axes: Array<{ size: number; rep: number }> = [];
  shape.forEach((size, axis) => {
    const rep = reps[axis] as number;
    const last = axes[axes.length - 1];
    if (last !== undefined && rep === 1 && last.rep === 1) last.size *= size;
    else if (last !== undefined && size === 1 && last.size === 1) last.rep *= rep;
    else axes.push({ size, rep });
  });
  const steps: Array<{ outer: number; chunk: number; reps: number }> = [];
  // Innermost first; each step's output is the next step's input (sizes grow by rep).
  const sizes = axes.map((a) => a.size);
  for (let i = axes.length - 1; i >= 0; i--) {
    const rep = (axes[i] as { rep: number }).rep;
    if (rep === 1) continue;
    const outer = sizes.slice(0, i).reduce((a, b) => a * b, 1);
    const chunk = sizes.slice(i).reduce((a, b) => a * b, 1);
    steps.push({ outer, chunk, reps: rep });
    sizes[i] = (sizes[i] as number) * rep;
  }
  return steps;
}

/**
 * `Tile` for wasm as SIMD chunk repeats, one pass per tiled axis (float32, int32). tfjs-backend-wasm
 * walks the output element by element (~60–120 ns each); batch norm's gradient tiles [1,1,1,C] to
 * [N,H,W,C] and `broadcastTo` is a Tile too. Other dtypes use the original.
 */
export function tileKernel(original: tf.KernelFunc): tf.KernelConfig {
  return replacementKernel(tf.Tile, original, (scope, { inputs, attrs }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    const { reps } = attrs as unknown as tf.TileAttrs;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return scope.run(tf.Tile, { x }, { reps });
    const outShape = x.shape.map((size, axis) => size * (reps[axis] as number));
    const steps = tilePlan(x.shape, reps);
    if (steps.length === 0 || tf.util.sizeFromShape(outShape) === 0) return scope.keep(x);
    let current = x;
    for (const step of steps) {
      const next = scope.output([step.outer * step.chunk * step.reps], x.dtype);
      scope.simd.repeatChunks(scope.offset(current), scope.offset(next), step.outer, step.chunk, step.reps);
      if (current !== x) scope.release(current);
      current = next;
    }
    return scope.reshape(current, outShape);
  });
}
