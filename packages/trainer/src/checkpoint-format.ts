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
  /**
   * The loss curve so far, for reports and a seamless resumed log: every step up to
   * `historyPoints` (1000 by default), then evenly thinned, so a checkpoint stays small however
   * long the run (the metrics log holds every step).
   */
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
export const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/**
 * Checks that `bin` has the size `specs` describe and that every dtype is one checkpoints hold.
 * @throws naming `name` when the bytes do not have the size the manifest describes (a truncated or
 *   foreign file) or a dtype is not one checkpoints hold.
 */
export function checkTensorBytes(specs: tf.io.WeightsManifestEntry[], bin: Uint8Array, name: string): void {
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
}

/**
 * Decodes tensors from a manifest and its bytes.
 * @throws naming `name` when the bytes do not have the size the manifest describes (a truncated or
 *   foreign file) or a dtype is not one checkpoints hold.
 */
export function decodeTensors(specs: tf.io.WeightsManifestEntry[], bin: Uint8Array, name: string): NamedTensorMap {
  checkTensorBytes(specs, bin, name);
  const buffer = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  return tf.io.decodeWeights(buffer, specs);
}

/**
 * The checksums of a checkpoint (`manifest.json` in Node, the record's `manifest` in IndexedDB):
 * the size and SHA-256 of every file, written after the files and before the checkpoint is marked
 * complete, checked by `verifyCheckpoint` (and so by every `loadCheckpoint`).
 */
export interface CheckpointManifest {
  format: 'selfsup-checkpoint-manifest';
  formatVersion: 1;
  step: number;
  /** By path inside the checkpoint (`trainer.json`, `modules/encoder/weights.bin`): bytes and SHA-256 (hex). */
  files: Record<string, { bytes: number; sha256: string }>;
}

/** The manifest's file name in a Node checkpoint directory. */
export const MANIFEST_FILE = 'manifest.json';

/** What {@link verifyCheckpoint} found: a checkpoint whose files all match (or that predates checksums). */
export interface CheckpointVerification {
  checkpoint: string;
  /** False for a checkpoint written before checkpoints carried checksums: loaded unverified. */
  checksums: boolean;
  /** Files checked against their checksums. */
  files: number;
}

/** Builds a manifest from each file's bytes and SHA-256. */
export function checkpointManifest(
  step: number,
  files: Record<string, { bytes: number; sha256: string }>,
): CheckpointManifest {
  return { format: 'selfsup-checkpoint-manifest', formatVersion: 1, step, files };
}

/**
 * What is wrong with one file against its manifest entry, or undefined when it matches.
 * `bytes` undefined means the file is missing.
 */
export function checksumProblem(
  file: string,
  expected: { bytes: number; sha256: string },
  actual: { bytes: number; sha256: string } | undefined,
): string | undefined {
  if (actual === undefined) return `${file} is missing`;
  if (actual.bytes !== expected.bytes) {
    return `${file} is ${actual.bytes} bytes, ${expected.bytes} when saved (${actual.bytes < expected.bytes ? 'truncated' : 'grown'})`;
  }
  if (actual.sha256 !== expected.sha256) {
    return `${file} does not match its SHA-256 checksum (saved ${expected.sha256.slice(0, 12)}…, now ${actual.sha256.slice(0, 12)}…): its bytes changed after it was saved`;
  }
  return undefined;
}

/** Reads a manifest (JSON text), or says what is wrong with it. */
export function parseManifest(text: string): CheckpointManifest | string {
  let parsed: Partial<CheckpointManifest>;
  try {
    parsed = JSON.parse(text) as Partial<CheckpointManifest>;
  } catch (error) {
    return `${MANIFEST_FILE} is not valid JSON (${(error as Error).message})`;
  }
  if (parsed.format !== 'selfsup-checkpoint-manifest' || typeof parsed.files !== 'object' || parsed.files === null) {
    return `${MANIFEST_FILE} is not a selfsup checkpoint manifest`;
  }
  return parsed as CheckpointManifest;
}

/**
 * Counts the NaN and ±Inf values of each float32 tensor in encoded weights (`specs` and their
 * bytes), without making tensors. A run never saves non-finite values (it stops first), so any
 * found here were put there after the save.
 * @returns the tensors holding some, in order, with their counts.
 * @throws naming `label` when the bytes do not have the size the specs describe.
 */
export function nonFiniteTensors(
  specs: tf.io.WeightsManifestEntry[],
  bin: Uint8Array,
  label: string,
): Array<{ name: string; count: number }> {
  checkTensorBytes(specs, bin, label);
  const found: Array<{ name: string; count: number }> = [];
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = (DTYPE_BYTES[spec.dtype] as number) * size;
    if (spec.dtype === 'float32') {
      const start = bin.byteOffset + offset;
      const values =
        start % 4 === 0
          ? new Float32Array(bin.buffer, start, size)
          : new Float32Array(bin.slice(offset, offset + bytes).buffer);
      let count = 0;
      // x − x is 0 for every finite x, NaN for NaN and ±Inf.
      for (let i = 0; i < values.length; i++) {
        const x = values[i] as number;
        if (x - x !== 0) count++;
      }
      if (count > 0) found.push({ name: spec.name, count });
    }
    offset += bytes;
  }
  return found;
}

/** Says what {@link nonFiniteTensors} found in `file`, or undefined when it found nothing. */
export function nonFiniteProblem(file: string, found: Array<{ name: string; count: number }>): string | undefined {
  const first = found[0];
  if (first === undefined) return undefined;
  const total = found.reduce((sum, entry) => sum + entry.count, 0);
  const where = found.length === 1 ? `in '${first.name}'` : `in ${found.length} tensors, first '${first.name}'`;
  return `${file} holds ${total} NaN or infinite value${total === 1 ? '' : 's'} (${where}); a run never saves those, so the file was altered after it was saved`;
}

/**
 * A checkpoint whose files do not match their checksums, do not parse, or hold values a run never
 * saves (NaN, ±Inf): thrown by `verifyCheckpoint` and `loadCheckpoint`, naming the checkpoint and
 * what is wrong.
 */
export class CheckpointCorruptError extends Error {
  /** The checkpoint (directory, or IndexedDB id `<root>/step-…`). */
  readonly checkpoint: string;
  /** What is wrong, in words (`optimizer.bin is 20 bytes, 60 when saved (truncated)`). */
  readonly problem: string;

  constructor(checkpoint: string, problem: string) {
    super(`checkpoint ${checkpoint} is corrupt: ${problem}`);
    this.name = 'CheckpointCorruptError';
    this.checkpoint = checkpoint;
    this.problem = problem;
  }
}

/** The one-line notice for a checkpoint saved before checkpoints carried checksums. */
export function uncheckedNotice(checkpoint: string): string {
  return `checkpoint ${checkpoint} has no checksums (saved by an older selfsup): its files are loaded unverified`;
}
