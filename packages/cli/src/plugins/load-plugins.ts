import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from '../cli-error.js';
import type { PluginRegistries } from '../registries/registries.js';
import type { SelfsupPlugin } from './plugin.js';

/** A plugin that was loaded and registered. */
export interface LoadedPlugin {
  name: string;
  /** The file it was loaded from (absolute). */
  path: string;
}

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);
let typescriptLoader: Promise<void> | undefined;

/** Lets `import()` load TypeScript files (tsx's loader, registered once for the process). */
function enableTypescript(): Promise<void> {
  typescriptLoader ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return typescriptLoader;
}

function isPathLike(specifier: string): boolean {
  return (
    specifier.startsWith('.') ||
    isAbsolute(specifier) ||
    /\.(c|m)?(t|j)sx?$/.test(specifier) ||
    specifier.includes('\\')
  );
}

/** The nearest package.json's `type` above `file` (`commonjs` when there is none). */
function moduleTypeOf(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type ?? 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (dirname(dir) === dir) return 'commonjs';
  }
}

/** The entry file of an installed package, found from `cwd` up (its `exports` `import`, `module` or `main`). */
function resolvePackage(specifier: string, cwd: string): string | undefined {
  const [scopeOrName, maybeName, ...rest] = specifier.split('/');
  const name = scopeOrName?.startsWith('@') ? `${scopeOrName}/${maybeName}` : (scopeOrName as string);
  const subpath = scopeOrName?.startsWith('@') ? rest.join('/') : [maybeName, ...rest].filter(Boolean).join('/');
  for (let dir = cwd; ; dir = dirname(dir)) {
    const root = join(dir, 'node_modules', name);
    if (existsSync(join(root, 'package.json'))) {
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        exports?: unknown;
        module?: string;
        main?: string;
      };
      const key = subpath === '' ? '.' : `./${subpath}`;
      let target: unknown =
        typeof manifest.exports === 'string' && key === '.'
          ? manifest.exports
          : (manifest.exports as Record<string, unknown> | undefined)?.[key];
      while (target !== null && typeof target === 'object') {
        const conditions = target as Record<string, unknown>;
        target = conditions.import ?? conditions.node ?? conditions.default;
      }
      const entry = typeof target === 'string' ? target : key === '.' ? (manifest.module ?? manifest.main) : subpath;
      return entry === undefined ? undefined : join(root, entry);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Where a plugin specifier points: a path (relative to `baseDir`) or an installed package.
 * @throws CliError('plugin') naming the specifier and where it was looked for.
 */
export function resolvePluginPath(specifier: string, baseDir: string): string {
  if (isPathLike(specifier)) {
    const path = resolve(baseDir, specifier);
    if (!existsSync(path)) throw new CliError('plugin', `plugin '${specifier}': file not found (looked at ${path})`);
    if (!statSync(path).isFile()) throw new CliError('plugin', `plugin '${specifier}': ${path} is not a file`);
    return path;
  }
  const path = resolvePackage(specifier, baseDir);
  if (path === undefined || !existsSync(path)) {
    throw new CliError(
      'plugin',
      `plugin '${specifier}': no such file, and no installed package of that name (searched node_modules from ${baseDir} up)`,
    );
  }
  return path;
}

function isPlugin(value: unknown): value is SelfsupPlugin {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SelfsupPlugin).name === 'string' &&
    typeof (value as SelfsupPlugin).register === 'function'
  );
}

/**
 * Imports each plugin (TypeScript too) and lets it register its entries.
 *
 * @param paths absolute plugin files ({@link resolvePluginPath}).
 * @throws CliError('plugin') when a module cannot be imported, exports no plugin, or its
 *   `register` throws (e.g. an id that is already taken).
 */
export async function loadPlugins(paths: readonly string[], registries: PluginRegistries): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  for (const path of paths) {
    const extension = extname(path);
    if (!['.mjs', '.mts'].includes(extension) && moduleTypeOf(path) !== 'module') {
      throw new CliError(
        'plugin',
        `plugin ${path}: would load as CommonJS (its package.json has no "type": "module"), which gives it a second ` +
          'copy of the selfsup packages; add "type": "module" to its package.json or name it .mts/.mjs',
      );
    }
    if (TYPESCRIPT.has(extension)) await enableTypescript();
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (error) {
      throw new CliError('plugin', `plugin ${path}: cannot be loaded: ${(error as Error).message}`, { cause: error });
    }
    const plugin = module.default ?? module.plugin;
    if (!isPlugin(plugin)) {
      throw new CliError(
        'plugin',
        `plugin ${path}: its default export is not a plugin; export { name: string, register(registries) { … } } as default`,
      );
    }
    try {
      await plugin.register(registries);
    } catch (error) {
      throw new CliError('plugin', `plugin '${plugin.name}' (${path}): ${(error as Error).message}`, { cause: error });
    }
    loaded.push({ name: plugin.name, path });
  }
  return loaded;
}
