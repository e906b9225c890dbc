import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type NamedTensorMap, tf } from '@selfsup/backend';
import { loadModuleWeights, type Module, saveModule, writeDirectoryAtomically } from '@selfsup/models';
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

const LATEST = 'latest';
const STEP_PREFIX = 'step-';

function stepDirName(step: number): string {
  return `${STEP_PREFIX}${String(step).padStart(9, '0')}`;
}

async function encodeTensors(tensors: NamedTensorMap): Promise<{ json: string; bin: Uint8Array }> {
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
function decodeTensors(specs: tf.io.WeightsManifestEntry[], bin: Uint8Array, name: string): NamedTensorMap {
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

/**
 * Writes checkpoint `step` under `root` (`root/step-000000123/`) atomically, points `root/latest`
 * at it (temp file + rename), and keeps only the newest `keep` checkpoints. A crash at any moment
 * leaves the previous `latest` readable. Tensors are stored with their shapes and dtypes (float32,
 * int32, bool); the caller keeps and disposes the ones in `contents`. Returns the checkpoint directory.
 *
 * @example
 * const dir = await saveCheckpoint('runs/a/checkpoints', { modules: objective.modules, optimizer: optimizer.getState(), trainer: state, config });
 */
export async function saveCheckpoint(root: string, contents: CheckpointContents, keep = 3): Promise<string> {
  const name = stepDirName(contents.trainer.step);
  const dir = join(root, name);
  const optimizer = await encodeTensors(contents.optimizer.slots);
  const objective = await encodeTensors(contents.objectiveState ?? {});
  await writeDirectoryAtomically(dir, {
    'trainer.json': `${JSON.stringify({ ...contents.trainer, optimizerIterations: contents.optimizer.iterations }, null, 1)}\n`,
    'config.json': `${JSON.stringify(contents.config, null, 2)}\n`,
    'optimizer.json': optimizer.json,
    'optimizer.bin': optimizer.bin,
    'objective.json': objective.json,
    'objective.bin': objective.bin,
  });
  for (const [moduleName, module] of Object.entries(contents.modules))
    await saveModule(module, join(dir, 'modules', moduleName));
  // The checkpoint is complete only once `complete` exists; then it becomes `latest`.
  await writeFile(join(dir, 'complete'), `${new Date().toISOString()}\n`);
  const pointer = join(root, `.${LATEST}.tmp-${process.pid}`);
  await writeFile(pointer, `${name}\n`);
  await rename(pointer, join(root, LATEST));
  const steps = (await listCheckpoints(root)).reverse();
  for (const old of steps.slice(Math.max(1, keep))) await rm(join(root, old), { recursive: true, force: true });
  return dir;
}

/** Complete checkpoint directories under `root`, oldest first. */
export async function listCheckpoints(root: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return [];
  }
  const complete: string[] = [];
  for (const entry of entries.filter((e) => e.startsWith(STEP_PREFIX)).sort()) {
    try {
      await readFile(join(root, entry, 'complete'));
      complete.push(entry);
    } catch {
      // an interrupted write: ignored
    }
  }
  return complete;
}

/** The newest complete checkpoint: `latest` when it is valid, else the newest complete one. */
export async function latestCheckpoint(root: string): Promise<string | undefined> {
  const complete = await listCheckpoints(root);
  try {
    const named = (await readFile(join(root, LATEST), 'utf8')).trim();
    if (complete.includes(named)) return join(root, named);
  } catch {
    // no pointer yet
  }
  const newest = complete.at(-1);
  return newest === undefined ? undefined : join(root, newest);
}

/**
 * The checkpoint a resumed run continues from: the newest complete one under `root`.
 * @throws naming `root` when it holds none — a mistyped run directory, or a run stopped before its
 *   first checkpoint — so that a resume never silently starts a new run.
 */
export async function requireLatestCheckpoint(root: string): Promise<string> {
  const dir = await latestCheckpoint(root);
  if (dir === undefined) {
    throw new Error(`${root} holds no complete checkpoint to resume from; start the run without resuming`);
  }
  return dir;
}

/**
 * Loads a checkpoint into existing modules and returns the optimizer state, objective state,
 * trainer state and config (tensors owned by the caller). The modules must have the saved
 * variables' shapes (the same architecture); the slot and state tensors come back with the shapes
 * and dtypes they were saved with.
 *
 * @example
 * const saved = await loadCheckpoint(await requireLatestCheckpoint(dir), objective.modules);
 * optimizer.setState(saved.optimizer);
 * @throws naming the checkpoint directory when a file is missing or does not match.
 */
export async function loadCheckpoint(
  dir: string,
  modules: Record<string, Module>,
): Promise<{ optimizer: OptimizerState; objectiveState: NamedTensorMap; trainer: TrainerState; config: unknown }> {
  const read = async (name: string) => {
    try {
      return await readFile(join(dir, name));
    } catch (error) {
      throw new Error(`checkpoint ${dir}: cannot read ${name} (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
  };
  const json = async (name: string): Promise<unknown> => {
    const text = (await read(name)).toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new Error(`checkpoint ${dir}: ${name} is not valid JSON (${(error as Error).message})`);
    }
  };
  const trainer = (await json('trainer.json')) as TrainerState & { optimizerIterations: number };
  const config = await json('config.json');
  const tensors = async (name: string): Promise<NamedTensorMap> =>
    decodeTensors(
      (await json(`${name}.json`)) as tf.io.WeightsManifestEntry[],
      await read(`${name}.bin`),
      `checkpoint ${dir}: ${name}.bin`,
    );
  for (const [name, module] of Object.entries(modules)) await loadModuleWeights(module, join(dir, 'modules', name));
  const slots = await tensors('optimizer');
  let objectiveState: NamedTensorMap;
  try {
    objectiveState = await tensors('objective');
  } catch (error) {
    tf.dispose(slots); // nothing decoded outlives a failed load
    throw error;
  }
  const { optimizerIterations, ...state } = trainer;
  return { optimizer: { iterations: optimizerIterations, slots }, objectiveState, trainer: state, config };
}
