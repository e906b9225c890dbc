// Drives the real `selfsup` executable as a user would: a spawned Node process running src/bin.ts
// (through tsx, reading workspace packages from source), real files, real exit codes.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const packagesRoot = join(cliRoot, '..');
const tsx = import.meta.resolve('tsx');

/** The newest modification time of a package's non-test sources and its package.json. */
function newestSourceTime(packageDir: string): number {
  let newest = statSync(join(packageDir, 'package.json')).mtimeMs;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.includes('.test.')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(packageDir, 'src'));
  return newest;
}

/**
 * How to start `selfsup`: the built executable (`dist/bin.js`, what a user installs) when every
 * workspace package's build is newer than its sources, else `src/bin.ts` through tsx with the
 * packages read from source. Both run the same code; the built one starts several times faster,
 * which matters for a suite that starts the CLI ~70 times. Decided once per test process.
 */
function cliCommand(): string[] {
  const packages = readdirSync(packagesRoot).map((name) => join(packagesRoot, name));
  const built = packages.every((dir) => {
    const entry = join(dir, 'dist', 'index.js');
    return existsSync(entry) && statSync(entry).mtimeMs >= newestSourceTime(dir);
  });
  const builtBin = join(cliRoot, 'dist', 'bin.js');
  if (built && existsSync(builtBin)) return [builtBin];
  return ['--import', tsx, '--conditions=@selfsup/source', join(cliRoot, 'src', 'bin.ts')];
}

let command: string[] | undefined;

/** Flags that make an image run small enough for a test: 16×16 images, batches of 8, a two-block CNN. */
export const TINY_IMAGE_RUN = [
  '--size',
  '16',
  '--batch-size',
  '8',
  '--set',
  'model.options.widths=[4,8]',
  '--set',
  'model.options.strides=[1,2]',
];

/** What a finished CLI process did. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** How a CLI process is started: its folder, extra environment, and modules it `--import`s first. */
export interface CliProcessOptions {
  cwd?: string;
  env?: Record<string, string>;
  imports?: string[];
}

/** Starts `selfsup <args>` in `cwd` (stdout and stderr collected on the child). */
export function startCli(args: string[], options: CliProcessOptions = {}): ChildProcess {
  const imports = (options.imports ?? []).flatMap((module) => ['--import', module]);
  command ??= cliCommand();
  return spawn(process.execPath, [...imports, ...command, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, SELFSUP_BACKEND: 'wasm', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits for a started CLI process to end. */
export function finished(child: ChildProcess): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `selfsup <args>` to its end. */
export function runCliProcess(args: string[], options: CliProcessOptions = {}): Promise<CliRun> {
  return finished(startCli(args, options));
}

/** The loss of every step a run logged (`<run>/metrics.jsonl`), in order. */
export function loggedLosses(run: string): number[] {
  return readFileSync(join(run, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { loss: number }).loss);
}
