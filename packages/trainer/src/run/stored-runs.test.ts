import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@selfsup/backend';
import { beforeAll, describe, it } from 'vitest';
import { acquireRunLock } from './run-lock.js';
import { expectListsAndRemovesRuns } from './test-stored-runs.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

describe('listRuns and removeRun in a runs folder', () => {
  it('list runs with state, step and size, and remove one whole, never a non-run or a run in use', async () => {
    const root = join(mkdtempSync(join(tmpdir(), 'selfsup-runs-')), 'runs');
    // A live process (this one) holds the run's lock file.
    await expectListsAndRemovesRuns(root, { holdLock: async (dir) => acquireRunLock(dir) });
  });
});
