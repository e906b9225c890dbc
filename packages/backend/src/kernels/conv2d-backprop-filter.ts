import * as tf from '@tensorflow/tfjs-core';
import { convGradientInfo } from './conv-gradient-info.js';
import { type KernelScope, wasmKernel } from './kernel-scope.js';

/**
 * Floats of dy per chunk of images. XNNPACK's GEMM re-reads its packed filter for every block of
 * output rows and does not tile the reduction, so one convolution over the whole batch streams
 * dy from memory dozens of times; chunks whose dy fits in L2 keep it compute-bound (measured for
 * the reference encoder's second layer: 227 ms unchunked, ~150 ms in chunks of ~64k floats).
 */
const DY_FLOATS_PER_CHUNK = 1 << 16;

/** Images per chunk of the filter gradient. */
export function imagesPerChunk(batch: number, dyFloatsPerImage: number): number {
  return Math.max(1, Math.min(batch, Math.floor(DY_FLOATS_PER_CHUNK / Math.max(1, dyFloatsPerImage))));
}

/**
 * The filter gradient of a 2-D convolution computed as convolutions ("transpose trick"):
 *
 *   dW[fh, fw, ci, co] = Σ_{n, oh, ow} x_pad[n, oh·s + fh, ow·s + fw, ci] · dy[n, oh, ow, co]
 *
 * is, for a chunk of images, a stride-1 convolution of x transposed to [Cin, H, W, n] (input
 * channels become the batch, images the channels) with dy transposed to [OH, OW, n, Cout] as the
 * filter, dilated by the forward stride s; XNNPACK pads x itself and skips the dilation's holes.
 * SIMD kernels do the transposes; the chunk results are summed and transposed to
 * [FH, FW, Cin, Cout].
 *
 * Inputs: x [N, H, W, Cin], dy [N, OH, OW, Cout].
 */
export function conv2dBackpropFilterBody(
  scope: KernelScope,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const {
    strideHeight,
    strideWidth,
    filterHeight,
    filterWidth,
    outHeight,
    outWidth,
    inHeight,
    inWidth,
    inChannels,
    outChannels,
    batchSize,
  } = info;
  const { top, left } = info.padInfo;
  // Rows of x the convolution reads: [−top, (OH−1)·s + FH − top). Pad what lies outside x; rows
  // of x past the window only make extra output rows, cut off below.
  const bottom = Math.max(0, (outHeight - 1) * strideHeight + filterHeight - top - inHeight);
  const right = Math.max(0, (outWidth - 1) * strideWidth + filterWidth - left - inWidth);
  const pixels = inHeight * inWidth;
  const outPixels = outHeight * outWidth;
  const chunk = imagesPerChunk(batchSize, outPixels * outChannels);
  const simd = scope.simd;
  const xOffset = scope.offset(x);
  const dyOffset = scope.offset(dy);
  let total: tf.TensorInfo | undefined;
  for (let first = 0; first < batchSize; first += chunk) {
    const images = Math.min(chunk, batchSize - first);
    // x chunk [images, H·W, Cin] → [Cin, H·W, images]
    const xT = scope.output([inChannels, inHeight, inWidth, images]);
    simd.transposePlanes(
      xOffset + 4 * first * pixels * inChannels,
      scope.offset(xT),
      images,
      inChannels,
      pixels * inChannels,
      pixels * images,
      pixels,
      inChannels,
      images,
    );
    // dy chunk [images, OH·OW, Cout] → [OH·OW, images, Cout]
    const dyT = scope.output([outHeight, outWidth, images, outChannels]);
    const dyTOffset = scope.offset(dyT);
    for (let n = 0; n < images; n++) {
      simd.copyChunks(
        dyOffset + 4 * (first + n) * outPixels * outChannels,
        dyTOffset + 4 * n * outChannels,
        outPixels,
        outChannels,
        outChannels,
        images * outChannels,
      );
    }
    const partial = scope.run(
      tf.Conv2D,
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [strideHeight, strideWidth],
        dimRoundingMode: undefined,
      },
    );
    scope.release(xT);
    scope.release(dyT);
    if (total === undefined) {
      total = partial;
    } else {
      const sum = scope.run(tf.Add, { a: total, b: partial });
      scope.release(total);
      scope.release(partial);
      total = sum;
    }
  }
  const summed = total as tf.TensorInfo;
  // [Cin, FH', FW', Cout] with FH' ≥ FH when x extends past the last window.
  const cropped = scope.padOrCrop(summed, [
    [0, 0],
    [0, filterHeight - (summed.shape[1] as number)],
    [0, filterWidth - (summed.shape[2] as number)],
    [0, 0],
  ]);
  return scope.transpose(cropped, [1, 2, 0, 3]);
}

/** `Conv2DBackpropFilter` for wasm (missing from tfjs-backend-wasm 4.22). */
export const conv2dBackpropFilterKernel: tf.KernelConfig = wasmKernel(
  tf.Conv2DBackpropFilter,
  (scope, { inputs, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const typed = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const info = convGradientInfo(tf.Conv2DBackpropFilter, x.shape, typed.filterShape, typed);
    return conv2dBackpropFilterBody(scope, x, dy, info);
  },
);
