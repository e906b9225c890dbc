import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeImageFolder } from './testing/make-image-folder.js';
import { runCliProcess, TINY_IMAGE_RUN as tiny } from './testing/run-cli.js';

let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'selfsup-cli-'));
  await makeImageFolder(join(work, 'images'), { perClass: 6, classes: 4, channels: 3, corrupt: true });
});

describe('selfsup (spawned, as a user runs it)', () => {
  it('prints help and its version, and rejects unknown commands and flags with exit code 2', async () => {
    const help = await runCliProcess(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/pretrain .*\n.*resume/s);
    expect(help.stdout).toContain('130  interrupted');
    const version = await runCliProcess(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const command = await runCliProcess(['pretrian']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("'pretrian' is not a command (did you mean 'pretrain'?)");
    const flag = await runCliProcess(['pretrain', '--data', 'x', '--epoch', '3']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown flag --epoch (did you mean '--epochs'?)");
    const value = await runCliProcess(['pretrain', '--data', 'x', '--epochs', 'many']);
    expect(value.code).toBe(2);
    expect(value.stderr).toContain("--epochs: expected an integer ≥ 1, got 'many'");
  });

  it('exits 3 on a bad config, listing each problem with its path, value and what is allowed (also as JSON)', async () => {
    writeFileSync(
      join(work, 'bad.yaml'),
      'data: { path: ./images, batchSize: 0 }\ntask: { id: jigsw }\nschedule: { kind: cosine }\ntraning: { epochs: 3 }\n',
    );
    const run = await runCliProcess(['pretrain', '--config', 'bad.yaml', '--json'], { cwd: work });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('bad.yaml is not valid (4 problems)');
    const { error } = JSON.parse(run.stdout);
    expect(error).toMatchObject({ reason: 'config', exitCode: 3 });
    expect(error.issues).toEqual([
      'data.batchSize: 0 is too small; allowed: > 0',
      expect.stringMatching(/^task\.id: 'jigsw' is not a task; known: .*rotation/),
      "schedule.kind: 'cosine' is not allowed; allowed: warmup-cosine, constant, step",
      expect.stringContaining("unknown field 'traning' (did you mean 'training'?)"),
    ]);
    expect(existsSync(join(work, 'runs'))).toBe(false);
  });

  it('exits 4 for a missing data folder and for a folder without enough readable images', async () => {
    const missing = await runCliProcess(['pretrain', '--data', './no-such-folder', '--epochs', '1'], { cwd: work });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain(`data.path: ${join(work, 'no-such-folder')} does not exist`);
    const few = await runCliProcess(['pretrain', '--data', join(work, 'images', 'broken'), '--epochs', '1'], {
      cwd: work,
    });
    expect(few.code).toBe(4);
    expect(few.stderr).toMatch(/holds 0 readable images \(4 unreadable files skipped\), fewer than one batch of 64/);
  });

  it('trains on a folder with corrupt files, skipping and reporting each one', async () => {
    const run = await runCliProcess(
      ['pretrain', '--data', './images', '--epochs', '1', '--out', 'runs/corrupt', '--json', ...tiny],
      { cwd: work },
    );
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      steps: 3,
      exampleCount: 24,
      interrupted: false,
      objective: { kind: 'method', id: 'simclr' },
    });
    const reasons = Object.fromEntries(
      result.skippedFiles.map((f: { path: string; reason: string }) => [f.path.split('/').pop(), f.reason]),
    );
    expect(reasons).toEqual({
      'empty.png': 'zero-byte file',
      'not-an-image.png': expect.stringContaining('not an image'),
      'truncated.jpg': expect.stringContaining('corrupt or truncated'),
      'truncated.png': expect.stringContaining('corrupt or truncated'),
    });
    for (const name of Object.keys(reasons))
      expect(run.stderr).toContain(`skipped ${join(work, 'images', 'broken', name)}`);
    const runRecord = JSON.parse(readFileSync(join(work, 'runs/corrupt/run.json'), 'utf8'));
    expect(runRecord.details.skipped).toHaveLength(4);
    expect(readFileSync(join(work, 'runs/corrupt/report.html'), 'utf8')).toContain(
      'truncated.png (corrupt or truncated',
    );
    expect(JSON.parse(readFileSync(join(work, 'runs/corrupt/result.json'), 'utf8'))).toEqual(result);

    const again = await runCliProcess(['pretrain', '--data', './images', '--out', 'runs/corrupt', ...tiny], {
      cwd: work,
    });
    expect(again.code).toBe(6);
    expect(again.stderr).toContain('already holds a finished run');
  });

  it('takes a folder of photos with a stray note for images, says why, and leaves the note out; --data-kind forces', async () => {
    // The photos sit five folders deep: the kind is decided by every file, at any depth.
    await makeImageFolder(join(work, 'mixed', 'a', 'b', 'c', 'd', 'e'), { perClass: 2, classes: 4, channels: 3 });
    writeFileSync(join(work, 'mixed', 'notes.txt'), 'shot in June\n');
    const run = await runCliProcess(['pretrain', '--data', './mixed', '--dry-run', '--json', ...tiny], { cwd: work });
    expect(run.code, run.stderr).toBe(0);
    const mixed = join(work, 'mixed');
    expect(run.stderr).toContain(
      `data.kind image-folder: most data files under ${mixed} are images (8 images, 1 text file); set data.kind (--data-kind) to choose`,
    );
    expect(run.stderr).toContain(`ignored 1 file under ${mixed} that is not an image: notes.txt`);
    expect(JSON.parse(run.stdout)).toMatchObject({
      exampleCount: 8,
      dataKind: { kind: 'image-folder', decidedBy: 'files', counts: { image: 8, video: 0, text: 1, other: 0 } },
      ignoredFiles: [join(mixed, 'notes.txt')],
    });
    const forced = await runCliProcess(['pretrain', '--data', './mixed', '--data-kind', 'text-corpus', '--dry-run'], {
      cwd: work,
    });
    expect(forced.code).toBe(3);
    expect(forced.stderr).toContain("text data (data.kind 'text-corpus') needs a text task");
    expect(forced.stderr).not.toContain('data.kind image-folder');
  });

  it('exits 5 for a plugin that does not exist, does not load, or is not a plugin', async () => {
    const missing = await runCliProcess(['pretrain', '--data', './images', '--plugin', './nope.ts'], { cwd: work });
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain(`plugin './nope.ts': file not found (looked at ${join(work, 'nope.ts')})`);
    const unknownPackage = await runCliProcess(['list', '--plugin', 'selfsup-plugin-that-is-not-installed'], {
      cwd: work,
    });
    expect(unknownPackage.code).toBe(5);
    expect(unknownPackage.stderr).toContain('no installed package of that name');
    writeFileSync(join(work, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(work, 'not-a-plugin.ts'), 'export const value: number = 1;\n');
    const notPlugin = await runCliProcess(['list', '--plugin', './not-a-plugin.ts'], { cwd: work });
    expect(notPlugin.code).toBe(5);
    expect(notPlugin.stderr).toContain('its default export is not a plugin');
    writeFileSync(
      join(work, 'broken-plugin.ts'),
      "export default { name: 'broken', register() { throw new Error('no vocabulary'); } };\n",
    );
    const broken = await runCliProcess(['list', '--plugin', './broken-plugin.ts'], { cwd: work });
    expect(broken.code).toBe(5);
    expect(broken.stderr).toContain("plugin 'broken'");
    expect(broken.stderr).toContain('no vocabulary');
  });

  it('lists what a config can name, with options and defaults, as text and JSON', async () => {
    const run = await runCliProcess(['list', '--json']);
    expect(run.code).toBe(0);
    const catalog = JSON.parse(run.stdout);
    expect(catalog.tasks.find((t: { id: string }) => t.id === 'rotation').options).toEqual([
      expect.objectContaining({ name: 'rotations', default: 4 }),
    ]);
    expect(catalog.methods.map((m: { id: string }) => m.id)).toEqual(
      expect.arrayContaining([
        'simclr',
        'moco-v2',
        'byol',
        'simsiam',
        'barlow-twins',
        'vicreg',
        'dino',
        'swav',
        'moco-v3',
        'nnclr',
        'two-view',
      ]),
    );
    expect(catalog.losses.find((l: { id: string }) => l.id === 'nt-xent').options).toEqual([
      expect.objectContaining({ name: 'temperature', default: 0.5 }),
    ]);
    expect(catalog.backends.map((b: { id: string }) => b.id)).toContain('wasm');
    const text = await runCliProcess(['list', 'augmentations']);
    expect(text.stdout).toMatch(/color-jitter .*\n(.*\n)*\s+brightness: number ≥ 0 = 0/);
    const wrong = await runCliProcess(['list', 'lossess']);
    expect(wrong.code).toBe(2);
  });

  it('previews augmentations as a PNG grid', async () => {
    const run = await runCliProcess(
      [
        'preview',
        '--preset',
        'simclr',
        '--images',
        './images',
        '--out',
        'grid.png',
        '--size',
        '24',
        '--count',
        '3',
        '--views',
        '4',
        '--json',
      ],
      { cwd: work },
    );
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ rows: 3, columns: 5, preset: 'simclr' });
    expect(readFileSync(join(work, 'grid.png')).subarray(1, 4).toString()).toBe('PNG');
    const bad = await runCliProcess(['preview', '--preset', 'simclr', '--images', './images', '--set', 'strength=-1'], {
      cwd: work,
    });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('--set strength');
  });
});
