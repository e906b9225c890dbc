import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runPaths } from '@selfsup/trainer/run-paths';
import { CliError } from '../cli-error.js';

/** Saved modules found at a path, by name (`encoder`, `projector`, `head`, …). */
export interface FoundModules {
  /** Each module's directory (model.json + weights.bin). */
  modules: Record<string, string>;
  /** What the path was: an exported encoder, a checkpoint, or a run (then its newest checkpoint). */
  source: 'encoder' | 'checkpoint' | 'run';
  /** The checkpoint the modules come from, if any. */
  checkpoint: string | undefined;
  /** The run directory, if the path is in one. */
  run: string | undefined;
}

async function modulesOfCheckpoint(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(join(dir, 'modules'), { withFileTypes: true })).filter((e) => e.isDirectory());
  return Object.fromEntries(names.map((e) => [e.name, join(dir, 'modules', e.name)]));
}

/**
 * The modules at `path`: a run directory (its newest complete checkpoint, so an interrupted run
 * works too), one checkpoint (`…/checkpoints/step-…`), or a saved encoder (model.json).
 *
 * @throws CliError('run') when the path holds none of these.
 */
export async function findModules(path: string): Promise<FoundModules> {
  const dir = resolve(path);
  if (!existsSync(dir)) throw new CliError('run', `${dir} does not exist`);
  if (existsSync(join(dir, 'model.json')))
    return { modules: { encoder: dir }, source: 'encoder', checkpoint: undefined, run: undefined };
  if (existsSync(join(dir, 'modules')) && existsSync(join(dir, 'complete'))) {
    return {
      modules: await modulesOfCheckpoint(dir),
      source: 'checkpoint',
      checkpoint: dir,
      run: resolve(dir, '..', '..'),
    };
  }
  const paths = runPaths(dir);
  const { latestCheckpoint } = await import('@selfsup/trainer');
  const latest = await latestCheckpoint(paths.checkpoints);
  if (latest !== undefined)
    return { modules: await modulesOfCheckpoint(latest), source: 'run', checkpoint: latest, run: dir };
  if (existsSync(join(paths.encoder, 'model.json'))) {
    return { modules: { encoder: paths.encoder }, source: 'run', checkpoint: undefined, run: dir };
  }
  throw new CliError(
    'run',
    `${dir}: no checkpoint, run directory or saved encoder here (expected checkpoints/step-…, modules/ with complete, or model.json)`,
  );
}
