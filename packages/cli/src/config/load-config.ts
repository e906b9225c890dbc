import { dirname, isAbsolute, resolve } from 'node:path';
import { BACKEND_REQUESTS, type BackendRequest } from '@selfsup/backend/requests';
import { optimizerOptions, scheduleOptions } from '@selfsup/trainer/declarations';
import { CliError } from '../cli-error.js';
import { type LoadedPlugin, loadPlugins, resolvePluginPath } from '../plugins/load-plugins.js';
import type { Registries } from '../registries/registries.js';
import { createConfigSchema, type RunConfig } from './config-schema.js';
import { chooseDataKind, type DataKindChoice } from './data-kind.js';
import { type ConfigIssue, formatIssue } from './format-issues.js';
import { readConfigFile } from './read-config-file.js';

/** A value set on the command line for a config field. */
export interface ConfigOverride {
  /** Field path, e.g. `['training', 'epochs']`. */
  path: string[];
  value: unknown;
  /** Relative paths in the value start here (the working directory for flags). */
  baseDir?: string;
}

/** What {@link loadRunConfig} gives back. */
export interface LoadedRunConfig {
  config: RunConfig;
  plugins: LoadedPlugin[];
  /** The config file, when one was given (absolute). */
  file: string | undefined;
  /** How `data.kind` was decided when the config left it out (undefined: the config set it). */
  dataKind: DataKindChoice | undefined;
}

/** The kind of a section that leaves `kind` out, as its declaration fills it in. */
const DEFAULT_KINDS: Record<string, string> = {
  'optimizer.kind': optimizerOptions().parse(undefined).kind,
  'schedule.kind': scheduleOptions().parse(undefined).kind,
};

/** The special `--data` value for the Fashion-MNIST subset shipped with `@selfsup/data`. */
export const EMBEDDED_DATA = 'embedded';

type Raw = Record<string, unknown>;

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Expands shorthands: `method: simclr` → `{ id: simclr }`, `backend: wasm` → `{ kind: wasm }`, `data: ./dir`. */
function expandShorthands(raw: Raw): void {
  for (const key of ['method', 'task', 'loss']) if (typeof raw[key] === 'string') raw[key] = { id: raw[key] };
  if (typeof raw.backend === 'string') raw.backend = { kind: raw.backend };
  if (typeof raw.model === 'string') raw.model = { kind: raw.model };
  if (typeof raw.augmentations === 'string') raw.augmentations = { preset: raw.augmentations };
  if (typeof raw.data === 'string') raw.data = { path: raw.data };
}

/**
 * Fills in `data.kind` from `data.path` when it is left out (see {@link chooseDataKind}):
 * `embedded` (or no path) is the embedded IDX subset. Returns how it was decided.
 */
async function inferDataKind(raw: Raw): Promise<DataKindChoice | undefined> {
  const data = raw.data;
  if (!isObject(data) || data.kind !== undefined) return undefined;
  if (data.path === EMBEDDED_DATA || data.path === undefined) {
    data.kind = 'idx';
    delete data.path;
    return { kind: 'idx', decidedBy: 'path', reason: 'the embedded Fashion-MNIST subset' };
  }
  if (typeof data.path !== 'string') return undefined;
  let choice: DataKindChoice;
  try {
    choice = await chooseDataKind(data.path, { recursive: data.recursive !== false });
  } catch (error) {
    throw new CliError('data', `data.path: ${data.path} cannot be read (${(error as Error).message})`);
  }
  data.kind = choice.kind;
  return choice;
}

/** Makes the file paths of a config absolute, relative to `baseDir`. */
function absolutePaths(raw: Raw, baseDir: string): void {
  const fix = (value: unknown) =>
    typeof value === 'string' && value !== EMBEDDED_DATA && !isAbsolute(value) ? resolve(baseDir, value) : value;
  if (isObject(raw.data) && raw.data.path !== undefined) raw.data.path = fix(raw.data.path);
  if (isObject(raw.data) && isObject(raw.data.tokenizer) && raw.data.tokenizer.path !== undefined) {
    raw.data.tokenizer.path = fix(raw.data.tokenizer.path);
  }
  if (isObject(raw.evaluation)) {
    for (const key of ['labels', 'testLabels'])
      if (raw.evaluation[key] !== undefined) raw.evaluation[key] = fix(raw.evaluation[key]);
  }
  if (raw.out !== undefined) raw.out = fix(raw.out);
}

function setPath(raw: Raw, path: string[], value: unknown): void {
  let node = raw;
  for (const [index, key] of path.entries()) {
    if (index === path.length - 1) {
      node[key] = value;
      return;
    }
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Raw;
  }
}

/**
 * Starts the backend the config asks for, silently, before plugins load (a plugin's code may
 * compute when loaded; tasks create no tensors when made, so validating one needs no backend). The
 * run says which backend it computes on when it starts. Values the schema will reject are left to it.
 */
async function startBackend(raw: Raw): Promise<void> {
  const backend = isObject(raw.backend) ? raw.backend : {};
  const kind = BACKEND_REQUESTS.includes(backend.kind as BackendRequest) ? (backend.kind as BackendRequest) : undefined;
  const threads =
    Number.isInteger(backend.wasmThreads) && (backend.wasmThreads as number) > 0 ? (backend.wasmThreads as number) : 1;
  const { initBackend } = await import('@selfsup/backend');
  try {
    await initBackend({ ...(kind === undefined ? {} : { backend: kind }), wasmThreads: threads, log: false });
  } catch (error) {
    throw new CliError('config', `backend.kind: ${(error as Error).message}`);
  }
}

/**
 * Whether validating the config needs the tasks: it names one, its data is not images (the
 * checks list the tasks that fit), or it loads plugins (they may register tasks; built-ins go first).
 */
function needsTasks(raw: Raw): boolean {
  const kind = isObject(raw.data) ? raw.data.kind : undefined;
  return raw.task !== undefined || kind === 'text-corpus' || kind === 'video-folder' || hasPlugins(raw);
}

/** Whether the config loads plugins. */
function hasPlugins(raw: Raw): boolean {
  return Array.isArray(raw.plugins) && raw.plugins.length > 0;
}

/** Reports every issue of a failed validation as one CliError('config'). */
function configError(issues: ConfigIssue[], input: unknown, source: string): CliError {
  const lines = issues.map((issue) => formatIssue(issue, input));
  return new CliError(
    'config',
    `${source} is not valid (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n  ${lines.join('\n  ')}`,
    { issues: lines },
  );
}

/**
 * Builds a run's config from a config file and command-line overrides: reads the file, expands
 * shorthands, makes paths absolute (file paths start at the config file, flag paths at the working
 * directory), decides `data.kind` when it is left out (and logs why), loads the plugins it names
 * (they register before validation, so their ids validate) — a plugin is code that runs with the
 * user's rights, so one the file names runs only when an override names it too (`--plugin`) or
 * `trustPlugins` is set, and each is logged with its path before it loads — and validates everything with the
 * one schema. Only a config that names a task, trains on text or video, or loads plugins imports
 * the task packages (which load tfjs) before validating, and only one that loads plugins starts
 * the backend (silently); any other is read and validated without loading tfjs.
 *
 * @throws CliError('config') listing every problem with its field path; CliError('plugin') for a
 *   plugin that fails to load or that the file names unconfirmed; CliError('data').
 */
export async function loadRunConfig(options: {
  file?: string;
  overrides?: ConfigOverride[];
  registries: Registries;
  cwd?: string;
  /** Lines about the config: how `data.kind` was decided, each plugin before it loads (default: none). */
  log?: (line: string) => void;
  /**
   * Load the plugins the config file names (default false: a file's plugins load only when an
   * override names them again, i.e. `--plugin`; any other is refused before anything is imported).
   */
  trustPlugins?: boolean;
  /** Plugins (absolute paths) the user confirmed without adding them (`selfsup resume --plugin`). */
  confirmedPlugins?: readonly string[];
}): Promise<LoadedRunConfig> {
  const cwd = options.cwd ?? process.cwd();
  const file = options.file === undefined ? undefined : resolve(cwd, options.file);
  const raw: Raw = file === undefined ? {} : await readConfigFile(file);
  const source = file ?? 'the command line';
  expandShorthands(raw);
  if (file !== undefined) {
    absolutePaths(raw, dirname(file));
    if (raw.plugins !== undefined && !Array.isArray(raw.plugins)) {
      throw configError(
        [{ path: ['plugins'], message: 'a list of plugin paths or package names', code: 'custom' }],
        raw,
        source,
      );
    }
    if (Array.isArray(raw.plugins)) {
      raw.plugins = raw.plugins.map((plugin) =>
        typeof plugin === 'string' ? resolvePluginPath(plugin, dirname(file)) : plugin,
      );
    }
  }
  const fromFile: unknown[] = Array.isArray(raw.plugins) ? [...raw.plugins] : [];
  const named = new Set<string>(options.confirmedPlugins);
  const applied: Array<{ path: string[]; value: unknown }> = [];
  for (const override of options.overrides ?? []) {
    const [section] = override.path;
    if (section === 'plugins') {
      const path = resolvePluginPath(String(override.value), override.baseDir ?? cwd);
      named.add(path);
      const plugins = Array.isArray(raw.plugins) ? raw.plugins : [];
      // Named on the command line and in the file: one plugin, loaded once.
      if (!plugins.includes(path)) raw.plugins = [...plugins, path];
      continue;
    }
    // Naming another entry replaces the section (--optimizer sgd drops adam's fields, --method byol simclr's options).
    const field = override.path.join('.');
    const current = section === undefined ? undefined : raw[section];
    if (
      [
        'method.id',
        'task.id',
        'loss.id',
        'augmentations.preset',
        'optimizer.kind',
        'schedule.kind',
        'model.kind',
      ].includes(field)
    ) {
      const key = override.path[1] as string;
      // A section without a kind has the default one (a partial schedule is a warmup-cosine one).
      const kind = isObject(current) ? (current[key] ?? DEFAULT_KINDS[field]) : undefined;
      if (isObject(current) && kind !== override.value) {
        // What the command line set in the section before naming its new entry stays (`--lr 0.1
        // --set schedule.kind=constant` keeps the rate); the new entry's options check it.
        raw[section as string] = {};
        for (const earlier of applied) {
          if (earlier.path[0] === section && earlier.path[1] !== key) setPath(raw, earlier.path, earlier.value);
        }
      }
    }
    if (field === 'method.id') delete raw.task;
    if (field === 'task.id') delete raw.method;
    let value = override.value;
    if (['data.path', 'data.tokenizer.path', 'evaluation.labels', 'evaluation.testLabels', 'out'].includes(field)) {
      value = typeof value === 'string' && value !== EMBEDDED_DATA ? resolve(override.baseDir ?? cwd, value) : value;
      if (field === 'data.path' && isObject(raw.data)) delete raw.data.kind;
    }
    setPath(raw, override.path, value);
    applied.push({ path: override.path, value });
  }
  expandShorthands(raw);
  if (raw.data === undefined) {
    throw configError(
      [{ path: ['data'], code: 'custom', message: 'missing; give --data <folder> or a `data:` section' }],
      raw,
      source,
    );
  }
  const dataKind = await inferDataKind(raw);
  // `--strict-data` asks every reader to stop at an unreadable file; IDX files are read whole or not at all.
  if (isObject(raw.data) && raw.data.kind === 'idx' && raw.data.onError === 'throw') delete raw.data.onError;
  if (dataKind?.decidedBy === 'files') {
    options.log?.(`data.kind ${dataKind.kind}: ${dataKind.reason}; set data.kind (--data-kind) to choose`);
  }
  const unconfirmed = fromFile.filter((plugin) => typeof plugin === 'string' && !named.has(plugin));
  if (unconfirmed.length > 0 && options.trustPlugins !== true) {
    throw new CliError(
      'plugin',
      `${source} names plugin code, which runs with your rights, and plugins run only when you name them: ` +
        `${unconfirmed.join(', ')}; run each by naming it (--plugin <path>), or trust the config's plugins with --trust-plugins`,
    );
  }
  if (hasPlugins(raw)) await startBackend(raw);
  if (needsTasks(raw)) await options.registries.loadTasks();
  const paths = Array.isArray(raw.plugins)
    ? raw.plugins.filter((plugin): plugin is string => typeof plugin === 'string')
    : [];
  // Said before its code runs: what a plugin does next is on the record.
  for (const path of paths) {
    options.log?.(`plugin ${path}: ${named.has(path) ? 'named on the command line' : 'trusted (--trust-plugins)'}`);
  }
  const plugins = paths.length > 0 ? await loadPlugins(paths, options.registries) : [];
  const result = createConfigSchema(options.registries).safeParse(raw);
  if (!result.success) throw configError(result.error.issues as ConfigIssue[], raw, source);
  return { config: result.data, plugins, file, dataKind };
}
