import { type NamedTensorMap, tf } from '@selfsup/backend';
import type { Module } from '@selfsup/models';
import type { OptimizerState } from './optimizers/optimizer.js';

/** The trainer's own progress, saved with every checkpoint: plain numbers (JSON), no tensors. */
export interface TrainerState {
  /** Optimizer steps done. */
  step: number;
  /** Epoch of the next step, and steps of it already done. */
  epoch: number;
  stepInEpoch: number;
  /** Per-step records so far (loss curve), for reports and a seamless resumed log. */
  history: StepRecord[];
  /** Wall-clock training seconds before this checkpoint. */
  trainingSeconds: number;
}

/** One optimizer step: plain numbers (the loss read back from its scalar), no tensors. */
export interface StepRecord {
  step: number;
  epoch: number;
  loss: number;
  learningRate: number;
  metrics?: Record<string, number>;
}

/** What {@link saveCheckpoint} writes. */
export interface CheckpointContents {
  /** Modules by stable name; their variables are saved with their own shapes and dtypes. */
  modules: Record<string, Module>;
  /** Optimizer slots, each of its variable's shape (see `OptimizerState`). */
  optimizer: OptimizerState;
  /** Named tensors of any shape outside modules (MoCo's queue `[queueSize, D]`); float32, int32 or bool. */
  objectiveState?: NamedTensorMap;
  trainer: TrainerState;
  /** The run's resolved configuration (JSON). */
  config: unknown;
}

/** What {@link loadCheckpoint} returns (tensors owned by the caller). */
export interface LoadedCheckpoint {
  optimizer: OptimizerState;
  objectiveState: NamedTensorMap;
  trainer: TrainerState;
  config: unknown;
}

export const STEP_PREFIX = 'step-';

/** A checkpoint's name: `step-` and the step, nine digits (`step-000000123`), so names sort by step. */
export function stepDirName(step: number): string {
  return `${STEP_PREFIX}${String(step).padStart(9, '0')}`;
}

/** Tensors as a weights manifest (JSON text) and their bytes. */
export async function encodeTensors(tensors: NamedTensorMap): Promise<{ json: string; bin: Uint8Array }> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  return { json: `${JSON.stringify(specs)}\n`, bin: new Uint8Array(data) };
}

/** Bytes per element of the dtypes checkpoints hold. */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * Decodes tensors from a manifest and its bytes.
 * @throws naming `name` when the bytes do not have the size the manifest describes (a truncated or
 *   foreign file) or a dtype is not one checkpoints hold.
 */
export function decodeTensors(specs: tf.io.WeightsManifestEntry[], bin: Uint8Array, name: string): NamedTensorMap {
  let expected = 0;
  for (const spec of specs) {
    const bytes = DTYPE_BYTES[spec.dtype];
    if (bytes === undefined)
      throw new Error(`${name}: tensor '${spec.name}' has dtype ${spec.dtype}, not one a checkpoint holds`);
    expected += bytes * spec.shape.reduce((a, b) => a * b, 1);
  }
  if (bin.byteLength !== expected) {
    throw new Error(
      `${name}: ${bin.byteLength} bytes where its manifest describes ${expected} (truncated or not this checkpoint's)`,
    );
  }
  const buffer = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  return tf.io.decodeWeights(buffer, specs);
}
