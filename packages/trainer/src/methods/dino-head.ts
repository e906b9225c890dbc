import { createRng, type Tensor2D, tf } from '@selfsup/backend';
import { l2Normalize } from '@selfsup/losses';
import { type ForwardMode, gelu, type Head, ParameterStore } from '@selfsup/models';

/** Options of {@link createDinoHead}. */
export interface DinoHeadOptions {
  /** Encoder features in: `[N, inputSize]`. */
  inputSize: number;
  /** Width of the MLP's hidden layers (DINO: 2048). */
  hiddenSize: number;
  /** The MLP's output, L2-normalized before the last layer (DINO: 256). */
  bottleneckSize: number;
  /** Outputs `[N, outputSize]`, the "prototypes" the softmax runs over (DINO: 65 536). */
  outputSize: number;
  /** Linear layers of the MLP before the bottleneck normalization (DINO: 3). */
  layers?: number;
  /** Keep the last layer's weight columns at unit norm (DINO's `norm_last_layer`, default true). */
  normLastLayer?: boolean;
  seed?: number;
  name?: string;
}

/** A DINO head, with its last layer exposed so a method can freeze it. */
export interface DinoHead extends Head {
  /** The last layer's direction weights `[bottleneckSize, outputSize]` (weight-normalized per column when `normLastLayer`). */
  readonly lastLayer: tf.Variable;
  /**
   * The head with the last layer's weights passed through `lastLayerWeights` first (e.g. a stop
   * gradient while the layer is frozen): `[N, inputSize]` → `[N, outputSize]`.
   */
  applyWith(features: Tensor2D, mode: ForwardMode, lastLayerWeights: (weights: tf.Variable) => Tensor2D): Tensor2D;
}

/**
 * DINO's projection head (Caron et al. 2021, arXiv:2104.14294, §3.1 and the official `DINOHead`):
 * an MLP (Linear → GELU) × (layers − 1) → Linear to a bottleneck, L2 normalization, then a
 * weight-normalized linear layer without bias (weight norm's gain fixed at 1 when `normLastLayer`:
 * each output column of the weights is a unit vector). No batch norm, so it is the same on any
 * batch; linear layers start from a truncated normal of std 0.02, biases at 0.
 *
 * Shapes: features `[N, inputSize]` → MLP `[N, bottleneckSize]` → unit rows → `[N, outputSize]`.
 *
 * @example
 * const head = createDinoHead({ inputSize: 128, hiddenSize: 256, bottleneckSize: 64, outputSize: 1024 });
 * const logits = head.apply(features, { training: true }); // [N, 1024]
 * @throws when a size or `layers` is not a positive integer.
 */
export function createDinoHead(options: DinoHeadOptions): DinoHead {
  const { inputSize, hiddenSize, bottleneckSize, outputSize } = options;
  const layers = options.layers ?? 3;
  const normLastLayer = options.normLastLayer ?? true;
  const name = options.name ?? 'dino_head';
  for (const [key, value] of Object.entries({ inputSize, hiddenSize, bottleneckSize, outputSize, layers })) {
    if (!(Number.isInteger(value) && value >= 1)) {
      throw new Error(`createDinoHead: ${key} must be a positive integer; got ${value}`);
    }
  }
  const store = new ParameterStore(name, createRng(options.seed ?? 0));
  // DINO starts every linear layer of the head from trunc_normal(std 0.02), biases at 0.
  const linears = Array.from({ length: layers }, (_, i) => {
    const inSize = i === 0 ? inputSize : hiddenSize;
    const outSize = i === layers - 1 ? bottleneckSize : hiddenSize;
    const kernel = store.weight(`linear${i + 1}/kernel`, [inSize, outSize], { kind: 'truncatedNormal', std: 0.02 });
    const bias = store.weight(`linear${i + 1}/bias`, [outSize], { kind: 'constant', value: 0 });
    return (x: Tensor2D) => tf.add(tf.matMul(x, kernel as Tensor2D), bias) as Tensor2D;
  });
  const lastLayer = store.weight('last_layer/kernel', [bottleneckSize, outputSize], {
    kind: 'fanInUniform',
    fanIn: bottleneckSize,
  });
  const applyWith = (features: Tensor2D, _mode: ForwardMode, weightsOf: (w: tf.Variable) => Tensor2D): Tensor2D =>
    tf.tidy(() => {
      let h: Tensor2D = features;
      linears.forEach((linear, i) => {
        h = linear(h);
        if (i < layers - 1) h = gelu(h);
      });
      const unit = l2Normalize(h);
      const raw = weightsOf(lastLayer);
      // Weight norm with the gain fixed at 1: every output column a unit vector.
      const weights = normLastLayer ? tf.div(raw, tf.sqrt(tf.maximum(tf.sum(tf.square(raw), 0, true), 1e-24))) : raw;
      return tf.matMul(unit, weights) as Tensor2D;
    });
  return {
    name,
    inputSize,
    outputSize,
    lastLayer,
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: { kind: 'dino-head', options: { ...options, layers, normLastLayer, name } },
    apply: (features, mode) => applyWith(features, mode, (w) => w as unknown as Tensor2D),
    applyWith,
    dispose: () => store.dispose(),
  };
}
