import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('committed SIMD kernel binaries', () => {
  it('are what assembly/ compiles to', () => {
    const run = spawnSync(process.execPath, [join(packageDir, 'scripts', 'build-simd-kernels.mjs'), '--check'], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
