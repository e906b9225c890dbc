import { createRng, type Tensor2D, tf } from '@selfsup/backend';
import { batchNormLayer, denseLayer } from './layers.js';
import type { ForwardMode, Head } from './module.js';
import { ParameterStore, type WeightInit } from './parameters.js';

export interface MlpHeadOptions {
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
  /** Linear layers (default 2). */
  layers?: number;
  /** Batch norm after every hidden linear layer (default true, as SimCLR and BYOL). */
  batchNorm?: boolean;
  /** Batch norm (without affine-free tricks) after the last layer too (default false). */
  lastBatchNorm?: boolean;
  /** How the linear layers start (default `he-normal`; `fan-in-uniform` is PyTorch's default). */
  weightInit?: WeightInit;
  seed?: number;
  name?: string;
}

/**
 * An MLP head: (Linear → [BN] → ReLU) × (layers − 1) → Linear [→ BN]. Hidden linears have no
 * bias when batch norm follows. The projection head of SimCLR (Chen et al. 2020, 2 layers; v2: 3)
 * and the predictor of BYOL/SimSiam (Grill et al. 2020; Chen & He 2021).
 */
export function createMlpHead(options: MlpHeadOptions, kind = 'mlp-head'): Head {
  const { inputSize, hiddenSize, outputSize } = options;
  const layers = options.layers ?? 2;
  const batchNorm = options.batchNorm ?? true;
  const name = options.name ?? kind.replace(/-/g, '_');
  if (!Number.isInteger(layers) || layers < 1)
    throw new Error(`${kind}: layers must be a positive integer, got ${layers}`);
  const store = new ParameterStore(name, createRng(options.seed ?? 0));
  const steps: Array<(x: Tensor2D, mode: ForwardMode) => Tensor2D> = [];
  for (let i = 0; i < layers; i++) {
    const last = i === layers - 1;
    const inSize = i === 0 ? inputSize : hiddenSize;
    const outSize = last ? outputSize : hiddenSize;
    const normalize = last ? options.lastBatchNorm === true : batchNorm;
    const linear = denseLayer(store, `linear${i + 1}`, {
      inputSize: inSize,
      outputSize: outSize,
      bias: !normalize,
      reluFollows: !last,
      ...(options.weightInit === undefined ? {} : { init: options.weightInit }),
    });
    const norm = normalize ? batchNormLayer(store, `bn${i + 1}`, outSize, { relu: !last }) : undefined;
    steps.push((x, mode) => {
      const y = linear(x);
      if (norm !== undefined) return norm(y, mode);
      return last ? y : (tf.relu(y) as Tensor2D);
    });
  }
  return {
    name,
    inputSize,
    outputSize,
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: { kind, options: { ...options, layers, batchNorm, name } },
    apply: (features, mode) =>
      tf.tidy(() => {
        let h = features;
        for (const step of steps) h = step(h, mode);
        return h;
      }),
    dispose: () => store.dispose(),
  };
}

/** SimCLR's projection head: {@link createMlpHead} with its defaults (2 layers, BN). */
export function createProjectionHead(options: MlpHeadOptions): Head {
  return createMlpHead(options, 'projection-head');
}

/** BYOL/SimSiam's predictor: Linear → BN → ReLU → Linear. */
export function createPredictorHead(options: Omit<MlpHeadOptions, 'layers'>): Head {
  return createMlpHead({ ...options, layers: 2 }, 'predictor-head');
}

/** A linear classifier: logits = x·W + b, for probes and fine-tuning. */
export function createLinearClassifier(options: {
  inputSize: number;
  classes: number;
  seed?: number;
  name?: string;
}): Head {
  const name = options.name ?? 'linear_classifier';
  const store = new ParameterStore(name, createRng(options.seed ?? 0));
  const linear = denseLayer(store, 'linear', { inputSize: options.inputSize, outputSize: options.classes });
  return {
    name,
    inputSize: options.inputSize,
    outputSize: options.classes,
    trainableVariables: store.trainable,
    stateVariables: store.state,
    config: { kind: 'linear-classifier', options: { ...options, name } },
    apply: (features) => linear(features),
    dispose: () => store.dispose(),
  };
}
