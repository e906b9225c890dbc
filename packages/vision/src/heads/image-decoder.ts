import { createRng, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import { batchNormLayer, conv2dLayer, denseLayer, type ForwardMode, type Head, ParameterStore } from '@selfsup/models';

export interface ImageDecoderOptions {
  /** Features per example (the encoder's featureSize). */
  inputSize: number;
  /** The decoded map per example, [height, width, channels]. */
  outputShape: [number, number, number];
  /**
   * Channels of each stage, coarsest first (default [64, 32]): the first stage is at the output
   * size halved (rounded up) once per later stage, each later stage doubles it, the last matches it.
   */
  widths?: number[];
  /** `sigmoid` for pixels in [0, 1], `linear` for logits or unbounded values (default linear). */
  outputActivation?: 'sigmoid' | 'linear';
  seed?: number;
  name?: string;
}

/** A decoder from one feature vector per example to an image-shaped map. */
export interface ImageDecoder extends Head {
  readonly outputShape: readonly [number, number, number];
  /** The decoded maps, [N, height, width, channels]. */
  decode(features: Tensor2D, mode: ForwardMode): Tensor4D;
}

/**
 * A convolutional decoder from a bottleneck feature vector to an image-shaped map, as the
 * context encoder's decoder (Pathak et al. 2016, arXiv:1604.07379): Linear to the coarsest map →
 * BN → ReLU, then per stage: nearest-neighbour upsampling → conv3×3 → BN → ReLU, and a final
 * conv3×3 (with bias) to the output channels. Inpainting, denoising and colorization decode
 * through it, so everything the decoder knows about the input passed through the encoder's
 * features. `apply` returns the map flattened, `decode` keeps its shape.
 *
 * Shapes: features [N, inputSize] → apply: [N, H·W·C]; decode: [N, H, W, C].
 *
 * @example
 * const decoder = createImageDecoder({ inputSize: 128, outputShape: [28, 28, 1], outputActivation: 'sigmoid' });
 * @throws if a size is not a positive integer.
 */
export function createImageDecoder(options: ImageDecoderOptions): ImageDecoder {
  const { inputSize, outputShape } = options;
  const widths = options.widths ?? [64, 32];
  const activation = options.outputActivation ?? 'linear';
  const name = options.name ?? 'image_decoder';
  if ([inputSize, ...outputShape, ...widths].some((v) => !Number.isInteger(v) || v < 1) || widths.length === 0) {
    throw new Error(
      `createImageDecoder: sizes must be positive integers; got inputSize ${inputSize}, outputShape [${outputShape}], widths [${widths}]`,
    );
  }
  const [height, width, channels] = outputShape;
  const sizes = widths.map((_, i) => {
    const halvings = widths.length - 1 - i;
    return [Math.ceil(height / 2 ** halvings), Math.ceil(width / 2 ** halvings)] as [number, number];
  });
  const [firstHeight, firstWidth] = sizes[0] as [number, number];
  const store = new ParameterStore(name, createRng(options.seed ?? 0));
  const project = denseLayer(store, 'project', {
    inputSize,
    outputSize: firstHeight * firstWidth * (widths[0] as number),
    bias: false,
    reluFollows: true,
  });
  const projectNorm = batchNormLayer(store, 'project_bn', widths[0] as number, { relu: true });
  const stages = widths.map((stageWidth, i) => {
    const stage = store.child(`stage${i + 1}`);
    return {
      size: sizes[i] as [number, number],
      conv: conv2dLayer(stage, 'conv', {
        kernelSize: 3,
        inChannels: i === 0 ? stageWidth : (widths[i - 1] as number),
        outChannels: stageWidth,
        stride: 1,
      }),
      norm: batchNormLayer(stage, 'bn', stageWidth, { relu: true }),
    };
  });
  const output = conv2dLayer(store, 'output', {
    kernelSize: 3,
    inChannels: widths[widths.length - 1] as number,
    outChannels: channels,
    stride: 1,
  });
  const outputBias = store.weight('output/bias', [channels], { kind: 'constant', value: 0 });

  const decode = (features: Tensor2D, mode: ForwardMode): Tensor4D =>
    tf.tidy(() => {
      const batch = features.shape[0];
      let h = projectNorm(
        tf.reshape(project(features), [batch, firstHeight, firstWidth, widths[0] as number]) as Tensor4D,
        mode,
      );
      for (const { size, conv, norm } of stages) {
        if (h.shape[1] !== size[0] || h.shape[2] !== size[1]) h = tf.image.resizeNearestNeighbor(h, size);
        h = norm(conv(h), mode);
      }
      const out = tf.add(output(h), outputBias) as Tensor4D;
      return activation === 'sigmoid' ? tf.sigmoid(out) : out;
    });
  return {
    name,
    inputSize,
    outputSize: height * width * channels,
    outputShape: [height, width, channels],
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: { kind: 'image-decoder', options: { ...options, widths, outputActivation: activation, name } },
    decode,
    apply: (features, mode) =>
      tf.tidy(() => tf.reshape(decode(features, mode), [features.shape[0], height * width * channels]) as Tensor2D),
    dispose: () => store.dispose(),
  };
}
