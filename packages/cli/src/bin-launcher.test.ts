import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliVersion } from './version.js';

const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('the selfsup command in a clone of the repository', () => {
  it('is linked by `pnpm install` at the root and in the plugin app, and runs the source without a build', () => {
    for (const folder of [repository, join(repository, 'apps', 'quadrant-order-plugin')]) {
      const linked = join(folder, 'node_modules', '.bin', 'selfsup');
      expect(existsSync(linked), `${linked} is missing: the install did not link the bin`).toBe(true);
      const run = spawnSync(linked, ['--version'], { cwd: folder, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe(`${cliVersion()}\n`);
      expect(run.status).toBe(0);
    }
  });

  it('passes the exit code on', () => {
    const run = spawnSync(join(repository, 'node_modules', '.bin', 'selfsup'), ['no-such-command'], {
      encoding: 'utf8',
    });
    expect(run.stderr).toContain("'no-such-command' is not a command");
    expect(run.status).toBe(2);
  });
});
