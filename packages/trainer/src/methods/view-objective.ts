import { fashionMnistSimclrPreset, simclrPreset, twoViews, type ViewMaker } from '@selfsup/augment';
import { type Rng, type Tensor, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import { createModule, type Encoder, type Head, type Module, type WeightInit } from '@selfsup/models';

/**
 * Views of a batch, made outside the gradient tape: one `[N, H', W', C]` float32 tensor per view
 * (two for the two-view methods), row n of every view made from image n of the raw batch
 * `[N, H, W, C]`. The trainer disposes them after the step.
 */
export interface Views {
  views: Tensor4D[];
}

/** Options every joint-embedding method takes. */
export interface MethodOptions {
  /**
   * The encoder to pretrain: images `[N, H, W, C]` → features `[N, featureSize]` (its `inputShape`
   * `[H, W, C]` decides the default augmentations).
   */
  encoder: Encoder;
  /**
   * How to make the views, images `[N, H, W, C]` → one `[N, H, W, C]` per view (default: the
   * method's paper recipe for the encoder's input).
   */
  views?: ViewMaker;
  /** Seeds the heads' initialization. */
  seed?: number;
  /** How the heads' linear layers start (default `he-normal`; `fan-in-uniform` is PyTorch's default). */
  headWeightInit?: WeightInit;
}

/**
 * The default two views for an encoder's input: SimCLR's recipe for RGB, the Fashion-MNIST recipe
 * (`fashionMnistSimclrPreset`: crop 0.3–1, brightness/contrast, blur) for 1-channel images.
 *
 * Shapes: the view maker takes images `[N, H, W, C]` in [0, 1] and returns two views
 * `[N, H, W, C]`, cropped and resized back to the encoder's `inputShape` `[H, W, C]`.
 *
 * @example
 * const [view1, view2] = defaultTwoViews(encoder)(images, rng); // each [N, H, W, C]
 */
export function defaultTwoViews(encoder: Encoder): ViewMaker {
  const [height, width, channels] = encoder.inputShape as [number, number, number];
  return channels === 1
    ? twoViews(fashionMnistSimclrPreset({ size: [height, width] }))
    : twoViews(simclrPreset({ size: [height, width] }));
}

/** Makes the views of a raw batch `[N, H, W, C]`: one `[N, H', W', C]` per view (the trainer disposes them). */
export function prepareViews(viewMaker: ViewMaker, batch: Tensor, rng: Rng): Views {
  return { views: viewMaker(batch as Tensor4D, rng) };
}

/**
 * Runs `network` once on all views stacked (batch statistics over every view together, as the
 * reference implementations with one device do) and splits the result back per view: views
 * `[N_v, H, W, C]` each (same H, W, C) → one stacked batch `[ΣN_v, H, W, C]` → `network` →
 * `[ΣN_v, D]` → one `[N_v, D]` per view, in order.
 */
export function applyToViews(views: Tensor4D[], network: (batch: Tensor4D) => Tensor2D): Tensor2D[] {
  const stacked = tf.concat(views, 0) as Tensor4D;
  const outputs = network(stacked);
  return tf.split(
    outputs,
    views.map((v) => v.shape[0]),
  ) as Tensor2D[];
}

/**
 * A target (momentum) network: a new module of the same architecture with the online weights
 * copied — the same variable shapes, so it takes and returns what `online` does (an encoder:
 * `[N, H, W, C]` → `[N, featureSize]`; a head: `[N, inputSize]` → `[N, outputSize]`). The caller
 * disposes it.
 *
 * @example
 * const targetEncoder = targetCopy(encoder, 'target_encoder');
 */
export function targetCopy<T extends Module>(online: T, name: string): T {
  const config = { ...online.config, options: { ...online.config.options, name } };
  const copy = createModule(config) as T;
  copyWeights(copy, online);
  return copy;
}

/**
 * Copies every variable (trainable and state) of `source` into `target`, matched by parameter name.
 * Each pair must have the same shape (the same architecture); a variable keeps its dtype and shape.
 *
 * @example
 * copyWeights(targetEncoder, encoder); // target ← online
 * @throws when the two modules have different numbers of variables.
 */
export function copyWeights(target: Module, source: Module): void {
  const sourceVariables = [...source.trainableVariables, ...source.stateVariables];
  const targetVariables = [...target.trainableVariables, ...target.stateVariables];
  if (sourceVariables.length !== targetVariables.length) {
    throw new Error(
      `copyWeights: ${source.name} has ${sourceVariables.length} variables, ${target.name} ${targetVariables.length}`,
    );
  }
  tf.tidy(() => {
    for (const [i, variable] of targetVariables.entries())
      variable.assign(tf.add(sourceVariables[i] as tf.Variable, 0));
  });
}

/** The trainable variables of modules, in order and of any shape, for the optimizer. */
export function trainableOf(...modules: Array<Module | Head | undefined>): tf.Variable[] {
  return modules.flatMap((m) => m?.trainableVariables ?? []);
}
