import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCliProcess } from './testing/run-cli.js';

const here = dirname(fileURLToPath(import.meta.url));
const recorder = join(here, 'testing', 'record-tfjs-loads.mjs');
const images = join(here, '..', '..', 'augment', 'test-data', 'images');

let work: string;
let runs = 0;

/** What the tfjs engine did in a process: `null` when none was made. */
type EngineState = { backends: string[]; tensors: number } | null;

/**
 * Runs `selfsup <args>` and returns the @tensorflow modules it resolved and what its tfjs engine
 * did: the backends it initialized and the tensors it made.
 */
async function run(args: string[]): Promise<CliRun & { tfjs: string[]; engine: EngineState }> {
  const log = join(work, `tfjs-${++runs}.log`);
  const engineLog = join(work, `engine-${runs}.json`);
  const result = await runCliProcess(args, {
    cwd: work,
    imports: [recorder],
    env: { SELFSUP_TFJS_LOG: log, SELFSUP_TFJS_ENGINE_LOG: engineLog },
  });
  const tfjs = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  const engine = JSON.parse(readFileSync(engineLog, 'utf8')) as EngineState;
  return { ...result, tfjs, engine };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'selfsup-startup-'));
  // Real photos, a stray note and a sidecar, the folder a newcomer points --data at.
  mkdirSync(join(work, 'photos', 'holiday'), { recursive: true });
  copyFileSync(join(images, 'gradient.png'), join(work, 'photos', 'holiday', 'beach.png'));
  copyFileSync(join(images, 'gradient.jpg'), join(work, 'photos', 'holiday', 'HILLS.JPG'));
  writeFileSync(join(work, 'photos', 'notes.txt'), 'taken in June\n');
  // A file no reader takes: telling so reads the video endings too (from a tfjs-free entry).
  writeFileSync(join(work, 'photos', 'holiday', 'beach.xmp'), '<x:xmpmeta/>\n');
});

describe('start-up: what a command loads before it computes', () => {
  it('answers --help, --version, a command’s --help and usage errors without loading tfjs', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('pretrain');
    expect(help.tfjs).toEqual([]);
    const version = await run(['--version']);
    expect(version.code).toBe(0);
    expect(version.tfjs).toEqual([]);
    const commandHelp = await run(['pretrain', '--help']);
    expect(commandHelp.stdout).toContain('--data-kind <kind>');
    expect(commandHelp.tfjs).toEqual([]);
    const unknown = await run(['pretrian']);
    expect(unknown.code).toBe(2);
    expect(unknown.tfjs).toEqual([]);
  });

  it('reports a bad config file and bad flags without loading tfjs, and without the backend banner', async () => {
    writeFileSync(join(work, 'broken.json'), '{ "data": ');
    const syntax = await run(['pretrain', '--config', 'broken.json']);
    expect(syntax.code).toBe(3);
    expect(syntax.stderr).toContain('broken.json: not valid JSON');
    expect(syntax.tfjs).toEqual([]);

    writeFileSync(
      join(work, 'bad.yaml'),
      'data: ./photos\nmethod: { id: simclr, options: { temprature: 0.1 } }\ntraining: { epochs: -1 }\noptimizer: { kind: adam, lr: 0.1 }\n',
    );
    const invalid = await run(['pretrain', '--config', 'bad.yaml']);
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toContain('bad.yaml is not valid (3 problems)');
    expect(invalid.stderr).toContain('method.options:');
    expect(invalid.stderr).toContain('data.kind image-folder: most data files under');
    expect(invalid.stderr).not.toContain('selfsup: using');
    expect(invalid.tfjs).toEqual([]);

    const flag = await run(['pretrain', '--data', 'photos', '--epochs', 'many']);
    expect(flag.code).toBe(2);
    expect(flag.tfjs).toEqual([]);
    const kind = await run(['pretrain', '--data', 'photos', '--data-kind', 'folder']);
    expect(kind.code).toBe(3);
    expect(kind.stderr).toContain(
      "data.kind: 'folder' is not allowed; allowed: image-folder, idx, text-corpus, video-folder",
    );
    expect(kind.tfjs).toEqual([]);
  });

  it('lists every section but tasks from the declarations, without loading tfjs', async () => {
    for (const section of ['methods', 'losses', 'augmentations', 'models', 'optimizers', 'schedules', 'backends']) {
      const listed = await run(['list', section, '--json']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(Object.keys(JSON.parse(listed.stdout))).toEqual([section]);
      expect(listed.tfjs, `list ${section}`).toEqual([]);
    }
  });

  it('lists tasks, and every section, with tfjs loaded but no backend started and no tensor made', async () => {
    for (const args of [
      ['list', 'tasks', '--json'],
      ['list', '--json'],
    ]) {
      const listed = await run(args);
      expect(listed.code, listed.stderr).toBe(0);
      const ids = JSON.parse(listed.stdout).tasks.map((task: { id: string }) => task.id);
      // The slow ones to make before: colorization (ab gamut scan) and jigsaw (permutation search).
      expect(ids).toEqual(expect.arrayContaining(['colorization', 'jigsaw', 'rotation', 'bert-mlm', 'clip-order']));
      // tfjs loads with the task packages: its engine exists, with no backend initialized.
      expect(listed.engine, args.join(' ')).toEqual({ backends: [], tensors: 0 });
      expect(listed.stderr).toBe('');
    }
  });

  it('reports a config error in a named task’s options without starting a backend', async () => {
    writeFileSync(
      join(work, 'tasks.yaml'),
      'data: ./photos\ntask: { id: jigsaw, options: { tileSize: 10 } }\ntraining: { epochs: -1 }\n',
    );
    const jigsaw = await run(['pretrain', '--config', 'tasks.yaml']);
    expect(jigsaw.code).toBe(3);
    expect(jigsaw.stderr).toContain('tasks.yaml is not valid (2 problems)');
    expect(jigsaw.stderr).toContain('jigsawTask: tileSize 10 must not exceed cellSize 9');
    expect(jigsaw.stderr).not.toContain('selfsup: using');
    expect(jigsaw.engine).toEqual({ backends: [], tensors: 0 });

    // colorization checks an abPrior against its ab bins when made: the bins, not tensors.
    const colorization = await run([
      'pretrain',
      '--data',
      'photos',
      '--task',
      'colorization',
      '--set',
      'task.options.abPrior=[0.5,0.5]',
    ]);
    expect(colorization.code, colorization.stderr).toBe(3);
    expect(colorization.stderr).toContain('colorizationTask: abPrior has 2 values but there are');
    expect(colorization.engine).toEqual({ backends: [], tensors: 0 });
  });
});
