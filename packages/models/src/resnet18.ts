import { createRng, type Tensor, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import { checkInputShape, checkNormalization, type InputNormalization, normalizeInput } from './input-normalization.js';
import { batchNormLayer, conv2dLayer } from './layers.js';
import type { Encoder, ForwardMode } from './module.js';
import { ParameterStore } from './parameters.js';
import { RESNET18_DEFAULTS } from './resnet18-declaration.js';

export interface ResNet18Options {
  /** Per-example input [height, width, channels] (default [32, 32, 3]). */
  inputShape?: [number, number, number];
  /** Multiplies every stage's channels 64-128-256-512 (default: {@link RESNET18_DEFAULTS}). */
  width?: number;
  normalization?: InputNormalization;
  seed?: number;
  name?: string;
}

/**
 * ResNet-18 in its CIFAR form (He et al. 2016, arXiv:1512.03385; the stem of SimCLR's CIFAR
 * experiments): a 3×3 stride-1 stem without max pooling, four stages of two basic blocks with
 * 64·w, 128·w, 256·w, 512·w channels (strides 1, 2, 2, 2; 1×1 projection shortcuts where the
 * shape changes), global average pooling. 11.2M parameters at width 1; features [batch, 512·w].
 *
 * @example
 * const encoder = createResNet18({ width: 0.5, normalization: CIFAR10_NORMALIZATION });
 */
export function createResNet18(options: ResNet18Options = {}): Encoder {
  const inputShape = options.inputShape ?? [32, 32, 3];
  const width = options.width ?? RESNET18_DEFAULTS.width;
  const name = options.name ?? 'resnet18';
  if (!(width > 0)) throw new Error(`createResNet18: width must be positive, got ${width}`);
  checkNormalization(options.normalization, inputShape[2], 'createResNet18');
  const channels = [64, 128, 256, 512].map((c) => Math.max(1, Math.round(c * width)));
  const store = new ParameterStore(name, createRng(options.seed ?? 0));
  const stem = store.child('stem');
  const stemConv = conv2dLayer(stem, 'conv', {
    kernelSize: 3,
    inChannels: inputShape[2],
    outChannels: channels[0] as number,
    stride: 1,
  });
  const stemNorm = batchNormLayer(stem, 'bn', channels[0] as number, { relu: true });
  type Block = (x: Tensor4D, mode: ForwardMode) => Tensor4D;
  const blocks: Block[] = [];
  let inChannels = channels[0] as number;
  channels.forEach((outChannels, stage) => {
    for (let b = 0; b < 2; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      const block = store.child(`stage${stage + 1}_block${b + 1}`);
      const conv1 = conv2dLayer(block, 'conv1', { kernelSize: 3, inChannels, outChannels, stride });
      const norm1 = batchNormLayer(block, 'bn1', outChannels, { relu: true });
      const conv2 = conv2dLayer(block, 'conv2', { kernelSize: 3, inChannels: outChannels, outChannels, stride: 1 });
      const norm2 = batchNormLayer(block, 'bn2', outChannels);
      const projection =
        stride !== 1 || inChannels !== outChannels
          ? {
              conv: conv2dLayer(block, 'shortcut_conv', { kernelSize: 1, inChannels, outChannels, stride }),
              norm: batchNormLayer(block, 'shortcut_bn', outChannels),
            }
          : undefined;
      blocks.push((x, mode) => {
        const residual = norm2(conv2(norm1(conv1(x), mode)), mode);
        const shortcut = projection === undefined ? x : projection.norm(projection.conv(x), mode);
        return tf.relu(tf.add(residual, shortcut)) as Tensor4D;
      });
      inChannels = outChannels;
    }
  });
  return {
    name,
    featureSize: channels[3] as number,
    inputShape,
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: { kind: 'resnet18', options: { ...options, inputShape, width, name } },
    apply(inputs: Tensor, mode: ForwardMode): Tensor2D {
      checkInputShape(inputs, inputShape, name);
      return tf.tidy(() => {
        let h = stemNorm(stemConv(normalizeInput(inputs, options.normalization) as Tensor4D), mode);
        for (const block of blocks) h = block(h, mode);
        return tf.mean(h, [1, 2]) as Tensor2D;
      });
    },
    dispose: () => store.dispose(),
  };
}
