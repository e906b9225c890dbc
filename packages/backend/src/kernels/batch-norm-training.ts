import * as tf from '@tensorflow/tfjs-core';
import { KernelScope, type WasmBackendLike } from './kernel-scope.js';

/** selfsup's fused batch norm (training mode) + optional ReLU: outputs [y, mean, variance] (biased). */
export const BATCH_NORM_TRAINING = 'SelfsupBatchNormTraining';
/** Its gradient: outputs [dx, dgamma, dbeta]. */
export const BATCH_NORM_TRAINING_GRAD = 'SelfsupBatchNormTrainingGrad';

export interface BatchNormTrainingAttrs {
  epsilon: number;
  relu: boolean;
}

/** Runs `body` with a scope over the kernel's backend and frees its intermediates afterwards. */
function withScope<T>(backend: unknown, body: (scope: KernelScope) => T): T {
  const scope = new KernelScope(backend as WasmBackendLike);
  try {
    return body(scope);
  } finally {
    scope.dispose();
  }
}

function rowsAndChannels(shape: readonly number[]): { rows: number; channels: number } {
  const channels = shape[shape.length - 1] as number;
  return { rows: tf.util.sizeFromShape([...shape]) / channels, channels };
}

function heapFloats(scope: KernelScope, info: tf.TensorInfo): Float32Array {
  return scope.backend.typedArrayFromHeap(info) as Float32Array;
}

/**
 * Forward pass on wasm, two SIMD passes over x: per-channel moments (float64 sums), then
 * y = (x − mean)·gamma/√(var + ε) + beta, with ReLU fused when `relu`.
 */
export const batchNormTrainingKernel: tf.KernelConfig = {
  kernelName: BATCH_NORM_TRAINING,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) =>
    withScope(backend, (scope) => {
      const { x, gamma, beta } = inputs as { x: tf.TensorInfo; gamma: tf.TensorInfo; beta: tf.TensorInfo };
      const { epsilon, relu } = attrs as unknown as BatchNormTrainingAttrs;
      const { rows, channels } = rowsAndChannels(x.shape);
      const mean = scope.output([channels]);
      const variance = scope.output([channels]);
      const scale = scope.output([channels]);
      const y = scope.output([...x.shape]);
      const simd = scope.simd;
      scope.withScratch(16 * channels, (scratch) =>
        simd.channelMoments(scope.offset(x), rows, channels, scope.offset(mean), scope.offset(variance), scratch),
      );
      const varianceValues = heapFloats(scope, variance);
      const gammaValues = heapFloats(scope, gamma);
      const scaleValues = heapFloats(scope, scale);
      for (let c = 0; c < channels; c++) {
        scaleValues[c] = (gammaValues[c] as number) / Math.sqrt((varianceValues[c] as number) + epsilon);
      }
      simd.normalizeChannels(
        scope.offset(x),
        rows,
        channels,
        scope.offset(mean),
        scope.offset(scale),
        scope.offset(beta),
        relu ? 1 : 0,
        scope.offset(y),
      );
      return [scope.keep(y), scope.keep(mean), scope.keep(variance)];
    }),
};

/**
 * Backward pass on wasm, two SIMD passes: the sums Σg and Σg·(x − mean) (g = dy masked by the
 * ReLU), then dx = γ·σ⁻¹·(g − Σg/M − x̂·Σg·x̂/M) with x̂ = (x − mean)·σ⁻¹ (Ioffe & Szegedy 2015).
 */
export const batchNormTrainingGradKernel: tf.KernelConfig = {
  kernelName: BATCH_NORM_TRAINING_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) =>
    withScope(backend, (scope) => {
      const { dy, x, y, mean, variance, gamma } = inputs as Record<
        'dy' | 'x' | 'y' | 'mean' | 'variance' | 'gamma',
        tf.TensorInfo
      >;
      const { epsilon, relu } = attrs as unknown as BatchNormTrainingAttrs;
      const { rows, channels } = rowsAndChannels(x.shape);
      const dgamma = scope.output([channels]);
      const dbeta = scope.output([channels]);
      const simd = scope.simd;
      const reluFlag = relu ? 1 : 0;
      scope.withScratch(16 * channels, (scratch) =>
        simd.batchNormGradSums(
          scope.offset(dy),
          scope.offset(x),
          scope.offset(y),
          rows,
          channels,
          scope.offset(mean),
          reluFlag,
          scope.offset(dbeta),
          scope.offset(dgamma),
          scratch,
        ),
      );
      const a = scope.output([channels]);
      const b = scope.output([channels]);
      const k = scope.output([channels]);
      const [aValues, bValues, kValues] = [a, b, k].map((info) => heapFloats(scope, info)) as [
        Float32Array,
        Float32Array,
        Float32Array,
      ];
      const gammaValues = heapFloats(scope, gamma);
      const varianceValues = heapFloats(scope, variance);
      const sumG = heapFloats(scope, dbeta);
      const sumGCentered = heapFloats(scope, dgamma);
      for (let c = 0; c < channels; c++) {
        const inv = 1 / Math.sqrt((varianceValues[c] as number) + epsilon);
        const scale = (gammaValues[c] as number) * inv;
        aValues[c] = scale;
        bValues[c] = (-scale * inv * inv * (sumGCentered[c] as number)) / rows;
        kValues[c] = (-scale * (sumG[c] as number)) / rows;
        // dgamma = Σ g·x̂ = σ⁻¹·Σ g·(x − mean)
        sumGCentered[c] = (sumGCentered[c] as number) * inv;
      }
      const dx = scope.output([...x.shape]);
      simd.batchNormGradInput(
        scope.offset(dy),
        scope.offset(x),
        scope.offset(y),
        rows,
        channels,
        scope.offset(mean),
        scope.offset(a),
        scope.offset(b),
        scope.offset(k),
        reluFlag,
        scope.offset(dx),
      );
      return [scope.keep(dx), scope.keep(dgamma), scope.keep(dbeta)];
    }),
};

/** Gradient of {@link BATCH_NORM_TRAINING}: the mean and variance outputs carry no gradient. */
export const batchNormTrainingGradConfig: tf.GradConfig = {
  kernelName: BATCH_NORM_TRAINING,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [true, true, true],
  gradFunc: (dys, saved, attrs) => {
    const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
    const [x, gamma, y, mean, variance] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const [dx, dgamma, dbeta] = tf
      .engine()
      .runKernel(
        BATCH_NORM_TRAINING_GRAD,
        { dy, x, y, mean, variance, gamma },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
    return { x: () => dx as tf.Tensor, gamma: () => dgamma as tf.Tensor, beta: () => dbeta as tf.Tensor };
  },
};
