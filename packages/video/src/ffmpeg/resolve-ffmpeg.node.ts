import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';

/** Where a binary was found: `FFMPEG_PATH`/`FFPROBE_PATH`, the system's `PATH`, or an npm installer package. */
export type FfmpegSource = 'env' | 'system' | 'npm';

/** One resolved binary and the version it reports. */
export interface FfmpegTool {
  path: string;
  source: FfmpegSource;
  /** The version from `-version`'s first line, e.g. `5.1.9-0+deb12u1` or `N-47683-g0e8eb07980-static`. */
  version: string;
}

/** The ffmpeg and ffprobe binaries selfsup runs. */
export interface FfmpegTools {
  ffmpeg: FfmpegTool;
  ffprobe: FfmpegTool;
}

export interface ResolveFfmpegOptions {
  /** Environment to read `FFMPEG_PATH`, `FFPROBE_PATH` and `PATH` from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The npm packages tried last (default `@ffmpeg-installer/ffmpeg` and `@ffprobe-installer/ffprobe`,
   * optional peer dependencies); `false` skips them.
   */
  npmPackages?: { ffmpeg: string; ffprobe: string } | false;
  /** Each binary must answer `-version` within this time (default 15 000 ms), or it is killed and rejected. */
  timeoutMs?: number;
  /** Reuse the result of an earlier call with the same environment (default true). */
  cache?: boolean;
}

const DEFAULT_PACKAGES = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' };

const INSTALL_HINT =
  'set FFMPEG_PATH (and FFPROBE_PATH) to the binaries, install ffmpeg on the system ' +
  '(Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg), ' +
  'or npm install @ffmpeg-installer/ffmpeg @ffprobe-installer/ffprobe';

type ToolName = 'ffmpeg' | 'ffprobe';

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function executableNames(tool: ToolName): string[] {
  return process.platform === 'win32' ? [`${tool}.exe`, tool] : [tool];
}

async function findOnPath(tool: ToolName, searchPath: string | undefined): Promise<string | undefined> {
  for (const dir of (searchPath ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const name of executableNames(tool)) {
      const candidate = join(dir, name);
      if (await isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The binary an installer package points at: undefined when the package is not installed. */
async function fromNpmPackage(tool: ToolName, packageName: string): Promise<string | undefined> {
  const require = createRequire(import.meta.url);
  let exported: unknown;
  try {
    exported = require(packageName);
  } catch (error) {
    const code = (error as { code?: string } | undefined)?.code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'MODULE_NOT_FOUND' && message.includes(packageName)) return undefined;
    throw new Error(`${packageName} is installed but gives no ${tool} for this platform: ${message}`);
  }
  const path = (exported as { path?: unknown }).path;
  if (typeof path !== 'string') throw new Error(`${packageName} is installed but exports no binary path`);
  if (!(await isExecutableFile(path))) {
    throw new Error(
      `${packageName}'s binary ${path} is not executable — its postinstall script (chmod u+x) did not run: ` +
        `with pnpm 10 list ${packageName.replace(/\/[^/]+$/, '')}/${process.platform}-${process.arch} in onlyBuiltDependencies, or chmod u+x it`,
    );
  }
  return path;
}

/** Runs `<binary> -version` with a time limit (SIGKILL after it) and returns the version. */
function versionOf(path: string, tool: ToolName, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      path,
      ['-version'],
      { timeout: timeoutMs, killSignal: 'SIGKILL', windowsHide: true, maxBuffer: 4 << 20 },
      (error, stdout) => {
        if (error) {
          const killed = (error as { killed?: boolean }).killed === true;
          reject(
            new Error(
              killed
                ? `${tool} at ${path} did not answer -version within ${timeoutMs} ms and was killed`
                : `${tool} at ${path} does not run: ${error.message.split('\n')[0]}`,
            ),
          );
          return;
        }
        const match = new RegExp(`^${tool} version (\\S+)`).exec(stdout);
        if (match === null) {
          reject(new Error(`${path} is not ${tool}: its -version output starts '${stdout.slice(0, 60)}'`));
          return;
        }
        resolve(match[1] as string);
      },
    );
  });
}

async function locate(
  tool: ToolName,
  env: Readonly<Record<string, string | undefined>>,
  packages: ResolveFfmpegOptions['npmPackages'],
  sibling: string | undefined,
): Promise<{ path: string; source: FfmpegSource } | undefined> {
  const variable = tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  const fromEnv = env[variable];
  if (fromEnv !== undefined && fromEnv !== '') {
    // An explicit choice is never silently replaced by another binary.
    if (!(await isExecutableFile(fromEnv))) {
      throw new Error(`${variable}=${fromEnv} is not an executable file; ${INSTALL_HINT}`);
    }
    return { path: fromEnv, source: 'env' };
  }
  if (sibling !== undefined) {
    // FFMPEG_PATH without FFPROBE_PATH: the ffprobe of the same installation, when it is there.
    for (const name of executableNames(tool)) {
      const candidate = join(dirname(sibling), name);
      if (await isExecutableFile(candidate)) return { path: candidate, source: 'env' };
    }
  }
  const onPath = await findOnPath(tool, env.PATH ?? env.Path);
  if (onPath !== undefined) return { path: onPath, source: 'system' };
  if (packages !== false) {
    const fromPackage = await fromNpmPackage(tool, (packages ?? DEFAULT_PACKAGES)[tool]);
    if (fromPackage !== undefined) return { path: fromPackage, source: 'npm' };
  }
  return undefined;
}

const cache = new Map<string, Promise<FfmpegTools>>();

/**
 * Finds ffmpeg and ffprobe, in this order: `FFMPEG_PATH` / `FFPROBE_PATH` (an ffprobe beside
 * `FFMPEG_PATH` when only that is set), the system's `PATH`, then the npm packages
 * `@ffmpeg-installer/ffmpeg` / `@ffprobe-installer/ffprobe`. Each binary found is run once with
 * `-version` (killed if it hangs). The result is cached per environment.
 *
 * @example
 * const { ffmpeg, ffprobe } = await resolveFfmpeg(); // { path: '/usr/bin/ffmpeg', source: 'system', version: '5.1.9…' }
 * @throws one error naming what is missing and how to install it, when ffmpeg or ffprobe is not
 *   found; an error naming the binary when one is found but does not run.
 */
export function resolveFfmpeg(options: ResolveFfmpegOptions = {}): Promise<FfmpegTools> {
  const env = options.env ?? process.env;
  const packages = options.npmPackages ?? DEFAULT_PACKAGES;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const key = JSON.stringify([env.FFMPEG_PATH, env.FFPROBE_PATH, env.PATH ?? env.Path, packages, timeoutMs]);
  const cached = options.cache === false ? undefined : cache.get(key);
  if (cached !== undefined) return cached;
  const resolving = (async () => {
    const ffmpeg = await locate('ffmpeg', env, packages, undefined);
    const ffprobe = await locate(
      'ffprobe',
      env,
      packages,
      ffmpeg?.source === 'env' && !env.FFPROBE_PATH ? ffmpeg.path : undefined,
    );
    if (ffmpeg === undefined || ffprobe === undefined) {
      const missing = [ffmpeg === undefined ? 'ffmpeg' : undefined, ffprobe === undefined ? 'ffprobe' : undefined]
        .filter((name) => name !== undefined)
        .join(' and ');
      throw new Error(
        `@selfsup/video needs ffmpeg and ffprobe, and found no ${missing} (looked at FFMPEG_PATH/FFPROBE_PATH, PATH` +
          `${packages === false ? '' : `, ${packages.ffmpeg}, ${packages.ffprobe}`}): ${INSTALL_HINT}`,
      );
    }
    const [ffmpegVersion, ffprobeVersion] = await Promise.all([
      versionOf(ffmpeg.path, 'ffmpeg', timeoutMs),
      versionOf(ffprobe.path, 'ffprobe', timeoutMs),
    ]);
    return {
      ffmpeg: { ...ffmpeg, version: ffmpegVersion },
      ffprobe: { ...ffprobe, version: ffprobeVersion },
    };
  })();
  if (options.cache !== false) {
    cache.set(key, resolving);
    // A failed resolution is not cached: the user may install ffmpeg and retry.
    resolving.catch(() => cache.delete(key));
  }
  return resolving;
}
