import type { NamedTensorMap, Rng, Scalar, Tensor, tf } from '@selfsup/backend';
import type { Module } from '@selfsup/models';
import type { MetricValues } from '@selfsup/pretext';

/** Where a step stands in the run, for schedules inside objectives (e.g. BYOL's momentum). Plain numbers, no tensors. */
export interface StepContext {
  /** 0-based optimizer step. */
  step: number;
  totalSteps: number;
}

/**
 * What `pretrain` optimizes: a self-supervised method (SimCLR, BYOL, …) or a pretext task with
 * its head. The trainer owns the loop, the optimizer, checkpoints and callbacks; the objective
 * owns its modules and its loss.
 *
 * Shapes: `prepare` takes one raw batch of `pretrain`'s data, N samples on axis 0 — images
 * `[N, H, W, C]` float32 in [0, 1] for the methods (`createSimclr`, …), the task's samples for
 * `taskObjective` (images `[N, H, W, C]`, token ids `[N, L]` int32, frame sequences
 * `[N, T, H, W, C]`); `loss` returns a scalar `[]`.
 *
 * @example
 * const objective = createSimclr({ encoder }); // a TrainingObjective<Views>
 * await pretrain({ objective, data, epochs: 1, optimizer: { kind: 'adam' }, schedule: { kind: 'constant', learningRate: 1e-3 }, seed: 0 });
 */
export interface TrainingObjective<Prepared = unknown> {
  /** E.g. `simclr`, `rotation`. */
  readonly id: string;
  /** Variables the optimizer updates, any shape (online networks only; target networks are updated in `afterStep`). */
  readonly trainableVariables: tf.Variable[];
  /** Every module to checkpoint, by a stable name (`encoder`, `projector`, `target_encoder`, …). */
  readonly modules: Record<string, Module>;
  /** Source images per example seen by the encoder (2 for two views, 4 for rotation): for throughput. */
  readonly viewsPerImage: number;
  /**
   * Makes the step's inputs from a raw batch outside the gradient tape (augmented views, task
   * batches): `batch` has the N samples on axis 0 (images `[N, H, W, C]` in [0, 1] for the
   * methods, whose views are `[N, H', W', C]` each). The trainer disposes what it returns.
   */
  prepare(batch: Tensor, rng: Rng): Prepared;
  /** The loss to minimize, a scalar `[]`, run inside `tf.variableGrads`. */
  loss(prepared: Prepared, context: StepContext): Scalar;
  /**
   * Metrics to log for a step, computed without gradients after its update: one-value tensors `[]`
   * (or plain numbers) that `pretrain` reads together in one asynchronous readback and disposes —
   * so they are reported on every backend, WebGPU included. Optional.
   */
  metrics?(prepared: Prepared): MetricValues;
  /** Runs after each optimizer step: momentum (EMA) updates of target networks, queues, centers. */
  afterStep?(context: StepContext): void;
  /**
   * State outside modules to checkpoint (MoCo's queue `[queueSize, D]`, DINO's center `[D]`): named
   * tensors of any shape, copies the caller disposes.
   */
  getState?(): NamedTensorMap;
  /** Restores what `getState` returned (same names and shapes); the caller keeps and disposes `state`. */
  setState?(state: NamedTensorMap): void;
  dispose(): void;
}
