import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from './exit-codes.js';
import { makeImageFolder } from './testing/make-image-folder.js';
import { runCliProcess, TINY_IMAGE_RUN } from './testing/run-cli.js';

let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'selfsup-corrupt-checkpoint-'));
  await makeImageFolder(join(work, 'images'), { perClass: 8, classes: 2, channels: 1 });
});

describe('resume with no good checkpoint', () => {
  it('exits 6 (the documented code for an unreadable run), naming every checkpoint tried', async () => {
    const run = await runCliProcess(
      [
        'pretrain',
        '--data',
        './images',
        '--method',
        'simclr',
        ...TINY_IMAGE_RUN,
        '--max-steps',
        '4',
        '--set',
        'checkpoints.everySteps=2',
        '--set',
        'evaluation.enabled=false',
        '--out',
        'runs/damaged',
        '--quiet',
      ],
      { cwd: work },
    );
    expect(run.code, run.stderr).toBe(0);
    const checkpoints = join(work, 'runs', 'damaged', 'checkpoints');
    const saved = readdirSync(checkpoints).filter((name) => name.startsWith('step-'));
    expect(saved).toEqual(['step-000000002', 'step-000000004']);
    // Flipped bytes in every checkpoint's encoder weights: no checkpoint to fall back to.
    for (const name of saved) {
      const file = join(checkpoints, name, 'modules', 'encoder', 'weights.bin');
      const bytes = readFileSync(file);
      for (let i = 0; i < Math.min(64, bytes.length); i++) bytes[i] = (bytes[i] as number) ^ 0xff;
      writeFileSync(file, bytes);
    }

    const resumed = await runCliProcess(['resume', 'runs/damaged', '--max-steps', '6', '--json', '--quiet'], {
      cwd: work,
    });
    expect(resumed.code, resumed.stderr).toBe(EXIT_CODES.run);
    expect(EXIT_CODES.run).toBe(6);
    for (const name of saved) expect(resumed.stderr).toContain(name);
    expect(resumed.stderr).toMatch(/corrupt|checksum|SHA-256/i);
    // Each rejected checkpoint is a warning, written under --quiet too.
    expect(resumed.stderr).toContain(`warning: checkpoint ${join(checkpoints, 'step-000000004')} is corrupt`);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ error: { reason: 'run', exitCode: 6 } });
  }, 180_000);
});
