import { createRng, type Tensor, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import { checkInputShape, checkNormalization, type InputNormalization, normalizeInput } from './input-normalization.js';
import { batchNormLayer, conv2dLayer } from './layers.js';
import type { Encoder, ForwardMode } from './module.js';
import { ParameterStore, type WeightInit } from './parameters.js';
import { SMALL_CNN_DEFAULTS } from './small-cnn-declaration.js';

export interface SmallCnnOptions {
  /** Per-example input [height, width, channels] (default [28, 28, 1]). */
  inputShape?: [number, number, number];
  /** Channels of each conv block (default: {@link SMALL_CNN_DEFAULTS}). */
  widths?: number[];
  /** Stride of each conv block (default: {@link SMALL_CNN_DEFAULTS}). */
  strides?: number[];
  /** Standardization applied to inputs in [0, 1] first (default none). */
  normalization?: InputNormalization;
  /** How conv weights start (default: {@link SMALL_CNN_DEFAULTS}; `fan-in-uniform` is PyTorch's default). */
  weightInit?: WeightInit;
  seed?: number;
  name?: string;
}

/**
 * A small CNN for 28–32 px images — the reference encoder of selfsup's benchmarks (in PyTorch:
 * `packages/backend/bench/reference/reference_step.py`): blocks of conv3×3 (no bias) → batch norm
 * → ReLU, widths 32-64-128-128, strides 1-2-2-2, then global average pooling. 240k parameters;
 * features [batch, widths.at(-1)].
 *
 * @example
 * const encoder = createSmallCnn({ normalization: FASHION_MNIST_NORMALIZATION });
 * const features = encoder.apply(images, { training: false }); // [N, 128]
 * @throws if widths and strides differ in length or a size is not a positive integer.
 */
export function createSmallCnn(options: SmallCnnOptions = {}): Encoder {
  const inputShape = options.inputShape ?? [28, 28, 1];
  const widths = options.widths ?? SMALL_CNN_DEFAULTS.widths;
  const strides = options.strides ?? SMALL_CNN_DEFAULTS.strides;
  const name = options.name ?? 'small_cnn';
  if (widths.length === 0 || widths.length !== strides.length) {
    throw new Error(
      `createSmallCnn: widths and strides must be non-empty and of equal length; got ${widths.length} and ${strides.length}`,
    );
  }
  if ([...inputShape, ...widths, ...strides].some((v) => !Number.isInteger(v) || v < 1)) {
    throw new Error(
      `createSmallCnn: sizes must be positive integers; got inputShape [${inputShape}], widths [${widths}], strides [${strides}]`,
    );
  }
  checkNormalization(options.normalization, inputShape[2], 'createSmallCnn');
  const store = new ParameterStore(name, createRng(options.seed ?? 0));
  const blocks = widths.map((width, i) => {
    const block = store.child(`block${i + 1}`);
    return {
      conv: conv2dLayer(block, 'conv', {
        kernelSize: 3,
        inChannels: i === 0 ? inputShape[2] : (widths[i - 1] as number),
        outChannels: width,
        stride: strides[i] as number,
        init: options.weightInit ?? SMALL_CNN_DEFAULTS.weightInit,
      }),
      norm: batchNormLayer(block, 'bn', width, { relu: true }),
    };
  });
  return {
    name,
    featureSize: widths[widths.length - 1] as number,
    inputShape,
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: { kind: 'small-cnn', options: { ...options, inputShape, widths, strides, name } },
    apply(inputs: Tensor, mode: ForwardMode): Tensor2D {
      checkInputShape(inputs, inputShape, name);
      return tf.tidy(() => {
        let h = normalizeInput(inputs, options.normalization) as Tensor4D;
        for (const { conv, norm } of blocks) h = norm(conv(h), mode);
        return tf.mean(h, [1, 2]) as Tensor2D;
      });
    },
    dispose: () => store.dispose(),
  };
}
