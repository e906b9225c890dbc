import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { IMAGE_EXTENSIONS } from '@selfsup/augment';
import { BACKEND_REQUESTS, type BackendRequest, initBackend } from '@selfsup/backend';
import { VIDEO_EXTENSIONS } from '@selfsup/video';
import { CliError } from '../cli-error.js';
import { type LoadedPlugin, loadPlugins, resolvePluginPath } from '../plugins/load-plugins.js';
import type { Registries } from '../registries/registries.js';
import { createConfigSchema, type RunConfig } from './config-schema.js';
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
}

/** The special `--data` value for the Fashion-MNIST subset shipped with `@selfsup/data`. */
export const EMBEDDED_DATA = 'embedded';

type Raw = Record<string, unknown>;

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a directory holds an MNIST-layout IDX dataset. */
export function isIdxDirectory(dir: string): boolean {
  return ['train-images-idx3-ubyte', 'train-images-idx3-ubyte.gz'].some((name) => existsSync(join(dir, name)));
}

/** Expands shorthands: `method: simclr` → `{ id: simclr }`, `backend: wasm` → `{ kind: wasm }`, `data: ./dir`. */
function expandShorthands(raw: Raw): void {
  for (const key of ['method', 'task', 'loss']) if (typeof raw[key] === 'string') raw[key] = { id: raw[key] };
  if (typeof raw.backend === 'string') raw.backend = { kind: raw.backend };
  if (typeof raw.model === 'string') raw.model = { kind: raw.model };
  if (typeof raw.augmentations === 'string') raw.augmentations = { preset: raw.augmentations };
  if (typeof raw.data === 'string') raw.data = { path: raw.data };
}

/** File endings of text corpora (what `@selfsup/text`'s `readCorpus` reads). */
const TEXT_EXTENSIONS = ['.txt', '.text', '.md', '.jsonl'];

/** What the files under a folder are, by extension: counts of images, videos and text files (hidden ones aside). */
function folderContents(dir: string): { images: number; videos: number; text: number } {
  const images = new Set<string>(IMAGE_EXTENSIONS);
  const videos = new Set<string>(VIDEO_EXTENSIONS);
  const counts = { images: 0, videos: 0, text: 0 };
  const visit = (folder: string, depth: number) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const ending = extname(entry.name).toLowerCase();
      if (entry.isDirectory()) {
        if (depth < 4) visit(join(folder, entry.name), depth + 1);
      } else if (images.has(ending)) counts.images++;
      else if (videos.has(ending)) counts.videos++;
      else if (TEXT_EXTENSIONS.includes(ending)) counts.text++;
    }
  };
  visit(dir, 0);
  return counts;
}

/** Whether a path is a folder of videos and no images (a `.gif` counts as an image). */
export function isVideoFolder(path: string): boolean {
  try {
    if (!statSync(path).isDirectory()) return false;
  } catch {
    return false;
  }
  const { images, videos } = folderContents(path);
  return videos > 0 && images === 0;
}

/** Whether a path is a text corpus: a text file, or a folder whose files are text and none an image. */
export function isTextCorpus(path: string): boolean {
  let info: ReturnType<typeof statSync>;
  try {
    info = statSync(path);
  } catch {
    return TEXT_EXTENSIONS.includes(extname(path).toLowerCase());
  }
  if (info.isFile()) return TEXT_EXTENSIONS.includes(extname(path).toLowerCase());
  const { images, videos, text } = folderContents(path);
  return text > 0 && images === 0 && videos === 0;
}

/**
 * Infers `data.kind` from `data.path` when it is left out: `embedded` or an IDX directory, a text
 * corpus (a text file, or a folder of text files and no images), a folder of videos (and no
 * images), else a folder of images.
 */
function inferDataKind(raw: Raw): void {
  const data = raw.data;
  if (!isObject(data) || data.kind !== undefined) return;
  if (data.path === EMBEDDED_DATA || data.path === undefined) {
    data.kind = 'idx';
    delete data.path;
  } else if (typeof data.path === 'string') {
    data.kind = isIdxDirectory(data.path)
      ? 'idx'
      : isTextCorpus(data.path)
        ? 'text-corpus'
        : isVideoFolder(data.path)
          ? 'video-folder'
          : 'image-folder';
  }
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
 * Starts the backend the config asks for, before plugins load and tasks are made for validation
 * (some create tensors when made). Values the schema will reject are left to it.
 */
async function startBackend(raw: Raw, log: (line: string) => void): Promise<void> {
  const backend = isObject(raw.backend) ? raw.backend : {};
  const kind = BACKEND_REQUESTS.includes(backend.kind as BackendRequest) ? (backend.kind as BackendRequest) : undefined;
  const threads =
    Number.isInteger(backend.wasmThreads) && (backend.wasmThreads as number) > 0 ? (backend.wasmThreads as number) : 1;
  try {
    await initBackend({ ...(kind === undefined ? {} : { backend: kind }), wasmThreads: threads, log });
  } catch (error) {
    throw new CliError('config', `backend.kind: ${(error as Error).message}`);
  }
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
 * directory), loads the plugins it names (they register before validation, so their ids
 * validate), and validates everything with the one schema.
 *
 * @throws CliError('config') listing every problem with its field path; CliError('plugin').
 */
export async function loadRunConfig(options: {
  file?: string;
  overrides?: ConfigOverride[];
  registries: Registries;
  cwd?: string;
  /** Lines about the backend (default: none). */
  log?: (line: string) => void;
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
  for (const override of options.overrides ?? []) {
    const [section] = override.path;
    if (section === 'plugins') {
      await startBackend(raw, options.log ?? (() => {}));
      const plugins = Array.isArray(raw.plugins) ? raw.plugins : [];
      raw.plugins = [...plugins, resolvePluginPath(String(override.value), override.baseDir ?? cwd)];
      continue;
    }
    // Naming another entry replaces the section (--optimizer sgd drops adam's fields, --method byol simclr's options).
    const field = override.path.join('.');
    const current = section === undefined ? undefined : raw[section];
    if (['method.id', 'task.id', 'loss.id', 'augmentations.preset', 'optimizer.kind', 'model.kind'].includes(field)) {
      const key = override.path[1] as string;
      if (isObject(current) && current[key] !== override.value) raw[section as string] = {};
    }
    if (field === 'method.id') delete raw.task;
    if (field === 'task.id') delete raw.method;
    let value = override.value;
    if (['data.path', 'data.tokenizer.path', 'evaluation.labels', 'evaluation.testLabels', 'out'].includes(field)) {
      value = typeof value === 'string' && value !== EMBEDDED_DATA ? resolve(override.baseDir ?? cwd, value) : value;
      if (field === 'data.path' && isObject(raw.data)) delete raw.data.kind;
    }
    setPath(raw, override.path, value);
  }
  expandShorthands(raw);
  inferDataKind(raw);
  if (raw.data === undefined) {
    throw configError(
      [{ path: ['data'], code: 'custom', message: 'missing; give --data <folder> or a `data:` section' }],
      raw,
      source,
    );
  }
  await startBackend(raw, options.log ?? (() => {}));
  const plugins = Array.isArray(raw.plugins)
    ? await loadPlugins(
        raw.plugins.filter((plugin): plugin is string => typeof plugin === 'string'),
        options.registries,
      )
    : [];
  const result = createConfigSchema(options.registries).safeParse(raw);
  if (!result.success) throw configError(result.error.issues as ConfigIssue[], raw, source);
  return { config: result.data, plugins, file };
}
