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

/** Runs `selfsup <args>` and returns what it did with the @tensorflow modules it resolved. */
async function run(args: string[]): Promise<CliRun & { tfjs: string[] }> {
  const log = join(work, `tfjs-${++runs}.log`);
  const result = await runCliProcess(args, { cwd: work, imports: [recorder], env: { SELFSUP_TFJS_LOG: log } });
  const tfjs = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { ...result, tfjs };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'selfsup-startup-'));
  // Real photos and a stray note, the folder a newcomer points --data at.
  mkdirSync(join(work, 'photos', 'holiday'), { recursive: true });
  copyFileSync(join(images, 'gradient.png'), join(work, 'photos', 'holiday', 'beach.png'));
  copyFileSync(join(images, 'gradient.jpg'), join(work, 'photos', 'holiday', 'HILLS.JPG'));
  writeFileSync(join(work, 'photos', 'notes.txt'), 'taken in June\n');
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

  it('loads tfjs to list tasks — the hook sees it — yet prints no backend banner', async () => {
    const tasks = await run(['list', 'tasks', '--json']);
    expect(tasks.code, tasks.stderr).toBe(0);
    expect(JSON.parse(tasks.stdout).tasks.map((task: { id: string }) => task.id)).toContain('rotation');
    expect(tasks.tfjs.some((url) => url.includes('/@tensorflow/tfjs-core/'))).toBe(true);
    expect(tasks.stderr).toBe('');
  });
});
