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
  CheckpointCorruptError,
  type CheckpointManifest,
  type CheckpointVerification,
  checkpointManifest,
  checksumProblem,
  decodeTensors,
  encodeTensors,
  type LoadedCheckpoint,
  nonFiniteProblem,
  nonFiniteTensors,
  stepDirName,
  type TrainerState,
  uncheckedNotice,
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
  /**
   * Size and SHA-256 of each part, named as the files of a Node checkpoint (`optimizer.bin`,
   * `modules/encoder/weights.bin`); absent in records saved before checksums existed.
   */
  manifest?: CheckpointManifest;
}

/** Per root: the complete checkpoints (name → record key) and the newest written. */
interface CheckpointIndex {
  latest: string;
  checkpoints: Record<string, string>;
  /** Corrupt checkpoints moved out of the way (`corrupt-step-…` → record key), kept for inspection. */
  setAside?: Record<string, string>;
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

const text = new TextEncoder();

/**
 * A record's parts as the files of a Node checkpoint: JSON parts as the text of their values,
 * tensor data as its bytes. Undefined where a part is missing.
 */
function recordFiles(record: CheckpointRecord): Record<string, Uint8Array | undefined> {
  const bytes = (data: ArrayBuffer | Uint8Array | undefined) =>
    data === undefined ? undefined : data instanceof Uint8Array ? data : new Uint8Array(data);
  const files: Record<string, Uint8Array | undefined> = {
    'trainer.json': text.encode(JSON.stringify(record.trainer) ?? 'null'),
    'config.json': text.encode(JSON.stringify(record.config) ?? 'null'),
    'optimizer.json': record.optimizer === undefined ? undefined : text.encode(record.optimizer.specs),
    'optimizer.bin': bytes(record.optimizer?.data),
    'objective.json': record.objective === undefined ? undefined : text.encode(record.objective.specs),
    'objective.bin': bytes(record.objective?.data),
  };
  for (const [name, artifacts] of Object.entries(record.modules ?? {})) {
    const { weightData, ...rest } = artifacts;
    files[`modules/${name}/model.json`] = text.encode(JSON.stringify(rest));
    files[`modules/${name}/weights.bin`] = bytes(weightData as ArrayBuffer | undefined);
  }
  return files;
}

async function sha256(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function manifestOf(record: CheckpointRecord, step: number): Promise<CheckpointManifest> {
  const files: Record<string, { bytes: number; sha256: string }> = {};
  for (const [file, data] of Object.entries(recordFiles(record))) {
    if (data !== undefined) files[file] = { bytes: data.byteLength, sha256: await sha256(data) };
  }
  return checkpointManifest(step, files);
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
 * checkpoints beyond the newest `keep`, and any of later steps (a resume from an earlier checkpoint
 * abandoned them). A page closed or crashed at any moment leaves the previous `latest` readable.
 * Each part's size and SHA-256 are kept in the record's manifest ({@link verifyCheckpoint}).
 * Appended metrics lines are written before the flip. Returns the checkpoint's id,
 * `<root>/step-000000123` (what {@link loadCheckpoint} takes).
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
  record.manifest = await manifestOf(record, contents.trainer.step);
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
    for (const later of Object.keys(checkpoints).filter((other) => other > name)) delete checkpoints[later];
    const names = Object.keys(checkpoints).sort();
    for (const old of names.slice(0, Math.max(0, names.length - Math.max(1, keep)))) delete checkpoints[old];
    // Records no index entry names any more: replaced, dropped, or staged by a write that died.
    const kept = new Set([...Object.values(checkpoints), ...Object.values(index?.setAside ?? {})]);
    const keys = (await requestResult(records.getAllKeys(prefixRange(`${root}/`)))) as string[];
    for (const stale of keys.filter((k) => !kept.has(k) && !k.slice(root.length + 1).includes('/'))) {
      records.delete(stale);
    }
    await requestResult(
      indexes.put(
        { latest: name, checkpoints, ...(index?.setAside === undefined ? {} : { setAside: index.setAside }) },
        root,
      ),
    );
  });
  return `${root}/${name}`;
}

/**
 * Removes the records under `root` that no index entry names: staged by a write that died before
 * its index flip, or dropped by one that died before deleting them. Saves do this too; a run calls
 * it when it opens its directory. Returns the keys removed (after `<root>/`).
 *
 * @example
 * const removed = await removeStaleCheckpointFiles('runs/a/checkpoints');
 */
export async function removeStaleCheckpointFiles(root: string): Promise<string[]> {
  await settleWrites();
  return inTransaction([CHECKPOINTS, CHECKPOINT_INDEX], 'readwrite', async (tx) => {
    const records = tx.objectStore(CHECKPOINTS);
    const index = (await requestResult(tx.objectStore(CHECKPOINT_INDEX).get(root))) as CheckpointIndex | undefined;
    const kept = new Set([...Object.values(index?.checkpoints ?? {}), ...Object.values(index?.setAside ?? {})]);
    const keys = (await requestResult(records.getAllKeys(prefixRange(`${root}/`)))) as string[];
    const stale = keys.filter((k) => !kept.has(k) && !k.slice(root.length + 1).includes('/'));
    for (const key of stale) records.delete(key);
    return stale.map((key) => key.slice(root.length + 1)).sort();
  });
}

/**
 * Moves a corrupt checkpoint out of the run's way, keeping its record for inspection: its index
 * entry `step-…` becomes `corrupt-step-…` among the root's set-aside ones, which listing, `latest`
 * and pruning ignore. Returns its new id (`<root>/corrupt-step-…`).
 *
 * @example
 * await setCheckpointAside('runs/a/checkpoints/step-000000400'); // 'runs/a/checkpoints/corrupt-step-000000400'
 */
export async function setCheckpointAside(id: string): Promise<string> {
  const { root, name } = splitId(id);
  return inTransaction([CHECKPOINT_INDEX], 'readwrite', async (tx) => {
    const indexes = tx.objectStore(CHECKPOINT_INDEX);
    const index = (await requestResult(indexes.get(root))) as CheckpointIndex | undefined;
    const key = index?.checkpoints[name];
    if (index === undefined || key === undefined) throw notComplete(id);
    const setAside = { ...index.setAside };
    let target = `corrupt-${name}`;
    for (let attempt = 2; target in setAside; attempt++) target = `corrupt-${attempt}-${name}`;
    setAside[target] = key;
    const checkpoints = { ...index.checkpoints };
    delete checkpoints[name];
    await requestResult(indexes.put({ ...index, checkpoints, setAside } satisfies CheckpointIndex, root));
    return `${root}/${target}`;
  });
}

async function readRecord(id: string): Promise<CheckpointRecord | undefined> {
  const { root, name } = splitId(id);
  return inTransaction([CHECKPOINTS, CHECKPOINT_INDEX], 'readonly', async (tx) => {
    const index = (await requestResult(tx.objectStore(CHECKPOINT_INDEX).get(root))) as CheckpointIndex | undefined;
    const key = index?.checkpoints[name];
    if (key === undefined) return undefined;
    return (await requestResult(tx.objectStore(CHECKPOINTS).get(key))) as CheckpointRecord | undefined;
  });
}

function notComplete(id: string): Error {
  return new Error(`checkpoint ${id}: not a complete checkpoint in IndexedDB (database selfsup)`);
}

/** {@link verifyCheckpoint} of a record read already. */
async function verifyRecord(id: string, record: CheckpointRecord): Promise<CheckpointVerification> {
  const corrupt = (problem: string) => new CheckpointCorruptError(id, problem);
  const files = recordFiles(record);
  let checked = 0;
  if (record.manifest !== undefined) {
    for (const [file, expected] of Object.entries(record.manifest.files ?? {})) {
      const data = files[file];
      const problem = checksumProblem(
        file,
        expected,
        data === undefined ? undefined : { bytes: data.byteLength, sha256: await sha256(data) },
      );
      if (problem !== undefined) throw corrupt(problem);
      checked++;
    }
  }
  const checkFinite = (specs: tf.io.WeightsManifestEntry[] | undefined, file: string) => {
    const data = files[file];
    if (data === undefined || specs === undefined) throw corrupt(`${file} is missing`);
    let problem: string | undefined;
    try {
      problem = nonFiniteProblem(file, nonFiniteTensors(specs, data, file));
    } catch (error) {
      throw corrupt((error as Error).message);
    }
    if (problem !== undefined) throw corrupt(problem);
  };
  for (const part of ['optimizer', 'objective'] as const) {
    let specs: tf.io.WeightsManifestEntry[] | undefined;
    try {
      specs = record[part] === undefined ? undefined : (JSON.parse(record[part].specs) as tf.io.WeightsManifestEntry[]);
    } catch (error) {
      throw corrupt(`${part}.json is not valid JSON (${(error as Error).message})`);
    }
    checkFinite(specs, `${part}.bin`);
  }
  for (const [name, artifacts] of Object.entries(record.modules ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    checkFinite(artifacts.weightSpecs, `modules/${name}/weights.bin`);
  }
  return { checkpoint: id, checksums: record.manifest !== undefined, files: checked };
}

/**
 * Checks a checkpoint (its id, `<root>/step-000000123`) without loading it, as the Node variant
 * does a directory: each part against the size and SHA-256 its manifest recorded (hashed with
 * `crypto.subtle`), then the tensors for NaN and ±Inf, which a run never saves. A record saved
 * before checksums existed gets the second check only (`checksums: false`).
 *
 * @example
 * const { checksums } = await verifyCheckpoint('runs/a/checkpoints/step-000000400');
 * @throws CheckpointCorruptError naming the checkpoint and the first problem found; an Error when
 *   it is not a complete checkpoint in IndexedDB.
 */
export async function verifyCheckpoint(id: string): Promise<CheckpointVerification> {
  const record = await readRecord(id);
  if (record === undefined) throw notComplete(id);
  return verifyRecord(id, record);
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
 * Node variant does from a directory. The record is verified first ({@link verifyCheckpoint}); one
 * saved before checksums existed loads with a one-line notice to `options.log` (default
 * `console.warn`; `false` for none).
 * @throws CheckpointCorruptError naming the checkpoint and what is wrong; an Error naming it when it
 *   is not complete in IndexedDB or a module does not fit.
 */
export async function loadCheckpoint(
  id: string,
  modules: Record<string, Module>,
  options: { log?: ((line: string) => void) | false } = {},
): Promise<LoadedCheckpoint> {
  const record = await readRecord(id);
  if (record === undefined) throw notComplete(id);
  const verified = await verifyRecord(id, record);
  if (!verified.checksums && options.log !== false) (options.log ?? console.warn)(uncheckedNotice(id));
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
