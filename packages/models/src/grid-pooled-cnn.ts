import { createRng, type Tensor, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import { checkInputShape, checkNormalization, type InputNormalization, normalizeInput } from './input-normalization.js';
import { batchNormLayer, conv2dLayer, denseLayer } from './layers.js';
import type { Encoder, ForwardMode } from './module.js';
import { ParameterStore } from './parameters.js';

export interface GridPooledCnnOptions {
  /** Per-example input [height, width, channels] (default [32, 32, 1]). */
  inputShape?: [number, number, number];
  /** Channels of each conv block (default [32, 64, 128, 128]). */
  widths?: number[];
  /** Stride of each conv block (default [1, 2, 2, 2]). */
  strides?: number[];
  /** The last feature map is average-pooled over a grid × grid partition (default 2). */
  grid?: number;
  /** Width of the fully connected layer over the pooled grid (default 128). */
  featureSize?: number;
  /** Standardization applied to inputs in [0, 1] first (default none). */
  normalization?: InputNormalization;
  seed?: number;
  name?: string;
}

/** Cell c of n over a length: [floor(c·length/n), ceil((c+1)·length/n)), as adaptive average pooling. */
function cellRange(cell: number, cells: number, length: number): [number, number] {
  const start = Math.floor((cell * length) / cells);
  const end = Math.ceil(((cell + 1) * length) / cells);
  return [start, end - start];
}

/**
 * A small CNN that keeps where things are: the conv blocks of {@link createSmallCnn}
 * (conv3×3 → BN → ReLU, 32-64-128-128, strides 1-2-2-2), then average pooling over a coarse
 * grid (adaptive, grid × grid cells) instead of the whole map, flattened, then Linear → BN → ReLU
 * to the features — the conv → pool5 → fc6 shape of the AlexNet/CaffeNet encoders the
 * frame-order papers use (Misra et al. 2016; Lee et al. 2017). Global pooling makes features
 * blind to where an object is; frame-order tasks on moving objects need it.
 *
 * Shapes: inputs [N, H, W, C] → features [N, featureSize].
 *
 * @example
 * const encoder = createGridPooledCnn({ inputShape: [40, 40, 1], grid: 2, featureSize: 128 });
 * const features = encoder.apply(frames, { training: false }); // [N, 128]
 * @throws if widths and strides differ in length, a size is not a positive integer, or the grid
 *   is finer than the last feature map.
 */
export function createGridPooledCnn(options: GridPooledCnnOptions = {}): Encoder {
  const inputShape = options.inputShape ?? [32, 32, 1];
  const widths = options.widths ?? [32, 64, 128, 128];
  const strides = options.strides ?? [1, 2, 2, 2];
  const grid = options.grid ?? 2;
  const featureSize = options.featureSize ?? 128;
  const name = options.name ?? 'grid_pooled_cnn';
  if (widths.length === 0 || widths.length !== strides.length) {
    throw new Error(
      `createGridPooledCnn: widths and strides must be non-empty and of equal length; got ${widths.length} and ${strides.length}`,
    );
  }
  if ([...inputShape, ...widths, ...strides, grid, featureSize].some((v) => !Number.isInteger(v) || v < 1)) {
    throw new Error(
      `createGridPooledCnn: sizes must be positive integers; got inputShape [${inputShape}], widths [${widths}], strides [${strides}], grid ${grid}, featureSize ${featureSize}`,
    );
  }
  // 'same' convolutions: each block divides the size by its stride, rounding up.
  const mapHeight = strides.reduce((size, stride) => Math.ceil(size / stride), inputShape[0]);
  const mapWidth = strides.reduce((size, stride) => Math.ceil(size / stride), inputShape[1]);
  if (grid > mapHeight || grid > mapWidth) {
    throw new Error(
      `createGridPooledCnn: a ${grid}×${grid} grid is finer than the ${mapHeight}×${mapWidth} last feature map`,
    );
  }
  checkNormalization(options.normalization, inputShape[2], 'createGridPooledCnn');
  const store = new ParameterStore(name, createRng(options.seed ?? 0));
  const blocks = widths.map((width, i) => {
    const block = store.child(`block${i + 1}`);
    return {
      conv: conv2dLayer(block, 'conv', {
        kernelSize: 3,
        inChannels: i === 0 ? inputShape[2] : (widths[i - 1] as number),
        outChannels: width,
        stride: strides[i] as number,
      }),
      norm: batchNormLayer(block, 'bn', width, { relu: true }),
    };
  });
  const channels = widths[widths.length - 1] as number;
  const fc = denseLayer(store, 'fc', {
    inputSize: grid * grid * channels,
    outputSize: featureSize,
    bias: false,
    reluFollows: true,
  });
  const fcNorm = batchNormLayer(store, 'fc_bn', featureSize, { relu: true });
  const cells: Array<{ begin: [number, number]; size: [number, number] }> = [];
  for (let row = 0; row < grid; row++) {
    for (let column = 0; column < grid; column++) {
      const [top, height] = cellRange(row, grid, mapHeight);
      const [left, width] = cellRange(column, grid, mapWidth);
      cells.push({ begin: [top, left], size: [height, width] });
    }
  }
  return {
    name,
    featureSize,
    inputShape,
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: { kind: 'grid-pooled-cnn', options: { ...options, inputShape, widths, strides, grid, featureSize, name } },
    apply(inputs: Tensor, mode: ForwardMode): Tensor2D {
      checkInputShape(inputs, inputShape, name);
      return tf.tidy(() => {
        let h = normalizeInput(inputs, options.normalization) as Tensor4D;
        for (const { conv, norm } of blocks) h = norm(conv(h), mode);
        const pooled = cells.map(({ begin, size }) =>
          tf.mean(tf.slice(h, [0, begin[0], begin[1], 0], [-1, size[0], size[1], -1]), [1, 2]),
        );
        return fcNorm(fc(tf.concat(pooled, 1) as Tensor2D), mode);
      });
    },
    dispose: () => store.dispose(),
  };
}
