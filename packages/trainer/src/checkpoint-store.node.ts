import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type NamedTensorMap, tf } from '@selfsup/backend';
import { loadModuleWeights, type Module, saveModule, writeDirectoryAtomically } from '@selfsup/models';
import {
  type CheckpointContents,
  decodeTensors,
  encodeTensors,
  type LoadedCheckpoint,
  STEP_PREFIX,
  stepDirName,
  type TrainerState,
} from './checkpoint-format.js';

const LATEST = 'latest';

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
export async function loadCheckpoint(dir: string, modules: Record<string, Module>): Promise<LoadedCheckpoint> {
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
