import type { Tensor, Tensor2D, tf } from '@selfsup/backend';

/** Whether a forward pass trains (batch statistics, dropout) or evaluates (running statistics). */
export interface ForwardMode {
  training: boolean;
}

/** Something with variables: an encoder, a head, a layer. */
export interface Module {
  /** Names the module in variable names and saved files. */
  readonly name: string;
  /** Variables the optimizer updates. */
  readonly trainableVariables: tf.Variable[];
  /** Variables updated by the forward pass (batch-norm running statistics): saved, not optimized. */
  readonly stateVariables: tf.Variable[];
  /** The options that rebuild this module (saved beside its weights). */
  readonly config: ModuleConfig;
  dispose(): void;
}

/** A serializable description of a module: its kind and its options. */
export interface ModuleConfig {
  kind: string;
  options: Record<string, unknown>;
}

/** Maps a batch of inputs to a batch of feature vectors [batch, featureSize]. */
export interface Encoder extends Module {
  /** The length of the feature vector. */
  readonly featureSize: number;
  /** The input the encoder expects per example, e.g. [28, 28, 1]. */
  readonly inputShape: readonly number[];
  apply(inputs: Tensor, mode: ForwardMode): Tensor2D;
}

/** Maps feature vectors to other vectors: projection, prediction and classification heads. */
export interface Head extends Module {
  readonly inputSize: number;
  readonly outputSize: number;
  apply(features: Tensor2D, mode: ForwardMode): Tensor2D;
}
