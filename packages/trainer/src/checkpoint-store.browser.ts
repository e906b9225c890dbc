import { tf } from '@selfsup/backend';
import { loadModuleWeights, type Module, saveModule } from '@selfsup/models';
import {
  CHECKPOINT_INDEX,
  CHECKPOINTS,
  inTransaction,
  prefixRange,
  requestResult,
  settleWrites,
} from './browser/selfsup-database.js';
import {
  type CheckpointContents,
  decodeTensors,
  encodeTensors,
  type LoadedCheckpoint,
  stepDirName,
  type TrainerState,
} from './checkpoint-format.js';

/** One checkpoint in IndexedDB: what Node keeps as the files of its directory. */
interface CheckpointRecord {
  format: 'selfsup-checkpoint';
  /** `trainer.json` (with the optimizer's iterations), through a JSON round trip as in Node. */
  trainer: TrainerState & { optimizerIterations: number };
  config: unknown;
  optimizer: { specs: string; data: Uint8Array };
  objective: { specs: string; data: Uint8Array };
  /** Each module's tfjs model artifacts (as `saveModule` writes them), weights in one buffer. */
  modules: Record<string, tf.io.ModelArtifacts>;
  saved: string;
}

/** Per root: the complete checkpoints (name → record key) and the newest written. */
interface CheckpointIndex {
  latest: string;
  checkpoints: Record<string, string>;
}

const jsonRoundTrip = (value: unknown): unknown =>
  value === undefined ? undefined : JSON.parse(JSON.stringify(value));

async function moduleArtifacts(module: Module): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await saveModule(
    module,
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  const artifacts = captured as tf.io.ModelArtifacts;
  return {
    ...artifacts,
    weightData:
      artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData),
  };
}

/** A checkpoint id (`<root>/step-000000123`) split into its root and name. */
function splitId(id: string): { root: string; name: string } {
  const slash = id.lastIndexOf('/');
  return { root: id.slice(0, slash), name: id.slice(slash + 1) };
}

/**
 * Writes checkpoint `step` under `root` in IndexedDB and makes it `latest`, complete-last: the
 * record (module weights, optimizer slots, objective state, trainer state, config) goes under a
 * fresh staging key first, then one transaction flips the root's index to it and drops the
 * checkpoints beyond the newest `keep`. A page closed or crashed at any moment leaves the previous
 * `latest` readable. Appended metrics lines are written before the flip. Returns the checkpoint's
 * id, `<root>/step-000000123` (what {@link loadCheckpoint} takes).
 *
 * @example
 * const id = await saveCheckpoint('runs/a/checkpoints', { modules: objective.modules, optimizer: optimizer.getState(), trainer: state, config });
 */
export async function saveCheckpoint(root: string, contents: CheckpointContents, keep = 3): Promise<string> {
  const name = stepDirName(contents.trainer.step);
  const optimizer = await encodeTensors(contents.optimizer.slots);
  const objective = await encodeTensors(contents.objectiveState ?? {});
  const modules: Record<string, tf.io.ModelArtifacts> = {};
  for (const [moduleName, module] of Object.entries(contents.modules))
    modules[moduleName] = await moduleArtifacts(module);
  const record: CheckpointRecord = {
    format: 'selfsup-checkpoint',
    trainer: jsonRoundTrip({
      ...contents.trainer,
      optimizerIterations: contents.optimizer.iterations,
    }) as CheckpointRecord['trainer'],
    config: jsonRoundTrip(contents.config),
    optimizer: { specs: optimizer.json, data: optimizer.bin },
    objective: { specs: objective.json, data: objective.bin },
    modules,
    saved: new Date().toISOString(),
  };
  await settleWrites();
  const key = `${root}/${name}.staging-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  await inTransaction([CHECKPOINTS], 'readwrite', async (tx) => {
    await requestResult(tx.objectStore(CHECKPOINTS).put(record, key));
  });
  await inTransaction([CHECKPOINTS, CHECKPOINT_INDEX], 'readwrite', async (tx) => {
    const records = tx.objectStore(CHECKPOINTS);
    const indexes = tx.objectStore(CHECKPOINT_INDEX);
    const index = (await requestResult(indexes.get(root))) as CheckpointIndex | undefined;
    const checkpoints = { ...index?.checkpoints, [name]: key };
    const names = Object.keys(checkpoints).sort();
    for (const old of names.slice(0, Math.max(0, names.length - Math.max(1, keep)))) delete checkpoints[old];
    // Records no index entry names any more: replaced, dropped, or staged by a write that died.
    const kept = new Set(Object.values(checkpoints));
    const keys = (await requestResult(records.getAllKeys(prefixRange(`${root}/`)))) as string[];
    for (const stale of keys.filter((k) => !kept.has(k) && !k.slice(root.length + 1).includes('/'))) {
      records.delete(stale);
    }
    await requestResult(indexes.put({ latest: name, checkpoints } satisfies CheckpointIndex, root));
  });
  return `${root}/${name}`;
}

async function readIndex(root: string): Promise<CheckpointIndex | undefined> {
  return inTransaction([CHECKPOINT_INDEX], 'readonly', async (tx) => {
    return (await requestResult(tx.objectStore(CHECKPOINT_INDEX).get(root))) as CheckpointIndex | undefined;
  });
}

/** Complete checkpoint names under `root` (`step-000000123`), oldest first. */
export async function listCheckpoints(root: string): Promise<string[]> {
  return Object.keys((await readIndex(root))?.checkpoints ?? {}).sort();
}

/** The newest complete checkpoint's id (`<root>/step-…`): `latest`, else the newest complete one. */
export async function latestCheckpoint(root: string): Promise<string | undefined> {
  const index = await readIndex(root);
  if (index === undefined) return undefined;
  if (index.checkpoints[index.latest] !== undefined) return `${root}/${index.latest}`;
  const newest = Object.keys(index.checkpoints).sort().at(-1);
  return newest === undefined ? undefined : `${root}/${newest}`;
}

/**
 * Loads a checkpoint (its id, `<root>/step-000000123`) into existing modules and returns the
 * optimizer state, objective state, trainer state and config (tensors owned by the caller), as the
 * Node variant does from a directory.
 * @throws naming the checkpoint when it is not complete in IndexedDB or a part does not match.
 */
export async function loadCheckpoint(id: string, modules: Record<string, Module>): Promise<LoadedCheckpoint> {
  const { root, name } = splitId(id);
  const record = await inTransaction([CHECKPOINTS, CHECKPOINT_INDEX], 'readonly', async (tx) => {
    const index = (await requestResult(tx.objectStore(CHECKPOINT_INDEX).get(root))) as CheckpointIndex | undefined;
    const key = index?.checkpoints[name];
    if (key === undefined) return undefined;
    return (await requestResult(tx.objectStore(CHECKPOINTS).get(key))) as CheckpointRecord | undefined;
  });
  if (record === undefined) {
    throw new Error(`checkpoint ${id}: not a complete checkpoint in IndexedDB (database selfsup)`);
  }
  for (const [moduleName, module] of Object.entries(modules)) {
    const artifacts = record.modules[moduleName];
    if (artifacts === undefined) throw new Error(`checkpoint ${id}: holds no module ${moduleName}`);
    try {
      await loadModuleWeights(module, tf.io.fromMemory(artifacts));
    } catch (error) {
      throw new Error(`checkpoint ${id}: module ${moduleName}: ${(error as Error).message}`, { cause: error });
    }
  }
  const tensors = (part: 'optimizer' | 'objective') => {
    let specs: tf.io.WeightsManifestEntry[];
    try {
      specs = JSON.parse(record[part].specs) as tf.io.WeightsManifestEntry[];
    } catch (error) {
      throw new Error(`checkpoint ${id}: ${part}.json is not valid JSON (${(error as Error).message})`);
    }
    return decodeTensors(specs, record[part].data, `checkpoint ${id}: ${part}.bin`);
  };
  const slots = tensors('optimizer');
  let objectiveState: tf.NamedTensorMap;
  try {
    objectiveState = tensors('objective');
  } catch (error) {
    tf.dispose(slots); // nothing decoded outlives a failed load
    throw error;
  }
  const { optimizerIterations, ...state } = record.trainer;
  return {
    optimizer: { iterations: optimizerIterations, slots },
    objectiveState,
    trainer: state,
    config: record.config,
  };
}
