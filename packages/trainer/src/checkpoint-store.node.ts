import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type NamedTensorMap, tf } from '@selfsup/backend';
import { loadModuleWeights, type Module, saveModule, writeDirectoryAtomically } from '@selfsup/models';
import {
  type CheckpointContents,
  CheckpointCorruptError,
  type CheckpointVerification,
  checkpointManifest,
  checksumProblem,
  decodeTensors,
  encodeTensors,
  type LoadedCheckpoint,
  MANIFEST_FILE,
  nonFiniteProblem,
  nonFiniteTensors,
  parseManifest,
  STEP_PREFIX,
  stepDirName,
  type TrainerState,
  uncheckedNotice,
} from './checkpoint-format.js';

const LATEST = 'latest';
const COMPLETE = 'complete';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Every file under `dir`, as paths relative to it (`/`-separated), sorted. */
async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await filesUnder(dir, path)));
    else files.push(path);
  }
  return files.sort();
}

/**
 * Removes what an interrupted checkpoint write leaves under `root`: staging and retired folders
 * (`.step-….tmp-*`, `.step-….old-*`), `latest` pointers not yet renamed (`.latest.tmp-*`), and
 * checkpoint folders never marked complete. Called at every save and when a run opens its
 * directory (the run's lock is held then, so no other writer is at work). Returns the names removed.
 *
 * @example
 * const removed = await removeStaleCheckpointFiles('runs/a/checkpoints'); // ['.step-000000200.tmp-4242-…']
 */
export async function removeStaleCheckpointFiles(root: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries.sort()) {
    let stale = /^\.(step-\d+|latest)\.(tmp|old)-/.test(entry);
    if (!stale && entry.startsWith(STEP_PREFIX)) {
      stale = await stat(join(root, entry, COMPLETE)).then(
        () => false,
        () => true,
      );
    }
    if (!stale) continue;
    await rm(join(root, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

/**
 * Writes checkpoint `step` under `root` (`root/step-000000123/`) atomically, points `root/latest`
 * at it (temp file + rename), and keeps only the newest `keep` checkpoints. A crash at any moment
 * leaves the previous `latest` readable. Tensors are stored with their shapes and dtypes (float32,
 * int32, bool); the caller keeps and disposes the ones in `contents`. Every file's size and SHA-256
 * go into `manifest.json` before the checkpoint is marked `complete` ({@link verifyCheckpoint}).
 * Leftovers of an interrupted earlier write are removed first, and so are complete checkpoints of
 * later steps (a resume from an earlier checkpoint abandoned them). Returns the checkpoint directory.
 *
 * @example
 * const dir = await saveCheckpoint('runs/a/checkpoints', { modules: objective.modules, optimizer: optimizer.getState(), trainer: state, config });
 */
export async function saveCheckpoint(root: string, contents: CheckpointContents, keep = 3): Promise<string> {
  const name = stepDirName(contents.trainer.step);
  const dir = join(root, name);
  await removeStaleCheckpointFiles(root);
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
  // Checksums of what is on disk, read back: the manifest vouches for the bytes a resume will read.
  const files: Record<string, { bytes: number; sha256: string }> = {};
  for (const file of await filesUnder(dir)) {
    const bytes = await readFile(join(dir, file));
    files[file] = { bytes: bytes.byteLength, sha256: sha256(bytes) };
  }
  const manifest = checkpointManifest(contents.trainer.step, files);
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  // The checkpoint is complete only once `complete` exists; then it becomes `latest`.
  await writeFile(join(dir, COMPLETE), `${new Date().toISOString()}\n`);
  const pointer = join(root, `.${LATEST}.tmp-${process.pid}`);
  await writeFile(pointer, `${name}\n`);
  await rename(pointer, join(root, LATEST));
  const complete = await listCheckpoints(root);
  const later = complete.filter((step) => step > name);
  const kept = complete.filter((step) => step <= name).reverse();
  for (const old of [...later, ...kept.slice(Math.max(1, keep))]) {
    await rm(join(root, old), { recursive: true, force: true });
  }
  return dir;
}

/**
 * Moves a corrupt checkpoint out of the run's way, keeping it for inspection: `root/step-…` becomes
 * `root/corrupt-step-…` (`corrupt-2-step-…` when that exists), which listing, `latest` and pruning
 * ignore — so a resume from an earlier checkpoint never counts it among the kept ones. Returns
 * where it now is.
 *
 * @example
 * await setCheckpointAside('runs/a/checkpoints/step-000000400'); // 'runs/a/checkpoints/corrupt-step-000000400'
 */
export async function setCheckpointAside(checkpoint: string): Promise<string> {
  const root = dirname(checkpoint);
  const name = basename(checkpoint);
  for (let attempt = 1; ; attempt++) {
    const target = join(root, `corrupt-${attempt === 1 ? '' : `${attempt}-`}${name}`);
    const taken = await stat(target).then(
      () => true,
      () => false,
    );
    if (taken) continue;
    await rename(checkpoint, target);
    return target;
  }
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
      await readFile(join(root, entry, COMPLETE));
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
 * Checks a checkpoint without loading it: every file against the size and SHA-256 its manifest
 * recorded, then the tensors (optimizer slots, objective state, module weights) for NaN and ±Inf —
 * values a run never saves (it stops first), so finding any means the files were altered. A
 * checkpoint saved before checksums existed (no `manifest.json`) gets the second check only
 * (`checksums: false`).
 *
 * @example
 * const { checksums } = await verifyCheckpoint('runs/a/checkpoints/step-000000400');
 * @throws CheckpointCorruptError naming the checkpoint and the first problem found (a missing,
 *   truncated or changed file, a file that does not parse, non-finite values).
 */
export async function verifyCheckpoint(dir: string): Promise<CheckpointVerification> {
  const corrupt = (problem: string) => new CheckpointCorruptError(dir, problem);
  const read = async (file: string): Promise<Buffer | undefined> => {
    try {
      return await readFile(join(dir, file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw corrupt(`cannot read ${file} (${code ?? error})`);
    }
  };
  const contents = new Map<string, Buffer>();
  const manifestBytes = await read(MANIFEST_FILE);
  let checked = 0;
  if (manifestBytes !== undefined) {
    const manifest = parseManifest(manifestBytes.toString('utf8'));
    if (typeof manifest === 'string') throw corrupt(manifest);
    for (const [file, expected] of Object.entries(manifest.files)) {
      const bytes = await read(file);
      const problem = checksumProblem(
        file,
        expected,
        bytes === undefined ? undefined : { bytes: bytes.byteLength, sha256: sha256(bytes) },
      );
      if (problem !== undefined) throw corrupt(problem);
      contents.set(file, bytes as Buffer);
      checked++;
    }
  }
  const required = async (file: string): Promise<Buffer> => {
    const bytes = contents.get(file) ?? (await read(file));
    if (bytes === undefined) throw corrupt(`${file} is missing`);
    return bytes;
  };
  const json = async (file: string): Promise<unknown> => {
    try {
      return JSON.parse((await required(file)).toString('utf8')) as unknown;
    } catch (error) {
      if (error instanceof CheckpointCorruptError) throw error;
      throw corrupt(`${file} is not valid JSON (${(error as Error).message})`);
    }
  };
  const checkFinite = (specs: tf.io.WeightsManifestEntry[], bin: Buffer, file: string) => {
    let problem: string | undefined;
    try {
      problem = nonFiniteProblem(file, nonFiniteTensors(specs, bin, file));
    } catch (error) {
      throw corrupt((error as Error).message);
    }
    if (problem !== undefined) throw corrupt(problem);
  };
  for (const part of ['optimizer', 'objective']) {
    const specs = (await json(`${part}.json`)) as tf.io.WeightsManifestEntry[];
    checkFinite(specs, await required(`${part}.bin`), `${part}.bin`);
  }
  let modules: string[] = [];
  try {
    modules = (await readdir(join(dir, 'modules'))).sort();
  } catch {
    // a checkpoint of an objective without modules
  }
  for (const module of modules) {
    const model = (await json(`modules/${module}/model.json`)) as {
      weightsManifest?: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
    };
    const group = model.weightsManifest?.[0];
    if (group === undefined) throw corrupt(`modules/${module}/model.json has no weights manifest`);
    const file = `modules/${module}/${group.paths[0] ?? 'weights.bin'}`;
    checkFinite(group.weights, await required(file), file);
  }
  return { checkpoint: dir, checksums: manifestBytes !== undefined, files: checked };
}

/**
 * Loads a checkpoint into existing modules and returns the optimizer state, objective state,
 * trainer state and config (tensors owned by the caller). The modules must have the saved
 * variables' shapes (the same architecture); the slot and state tensors come back with the shapes
 * and dtypes they were saved with. The checkpoint is verified first ({@link verifyCheckpoint}), so
 * nothing of a corrupt one reaches the modules; one saved before checksums existed loads with a
 * one-line notice to `options.log` (default `console.warn`; `false` for none).
 *
 * @example
 * const saved = await loadCheckpoint(await requireLatestCheckpoint(dir), objective.modules);
 * optimizer.setState(saved.optimizer);
 * @throws CheckpointCorruptError naming the checkpoint and what is wrong; an Error naming the
 *   checkpoint directory when a module does not fit (another architecture).
 */
export async function loadCheckpoint(
  dir: string,
  modules: Record<string, Module>,
  options: { log?: ((line: string) => void) | false } = {},
): Promise<LoadedCheckpoint> {
  const verified = await verifyCheckpoint(dir);
  if (!verified.checksums && options.log !== false) (options.log ?? console.warn)(uncheckedNotice(dir));
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
