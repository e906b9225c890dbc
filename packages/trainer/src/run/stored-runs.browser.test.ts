import { initBackend, tf } from '@selfsup/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase } from '../browser/selfsup-database.js';
import { expectListsAndRemovesRuns } from './test-stored-runs.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

afterAll(async () => {
  await closeDatabase();
});

describe("listRuns and removeRun in a page's IndexedDB", () => {
  it('list runs with state, step and size, and remove one whole (records and encoders), never a non-run or a run in use', async () => {
    const root = `stored-runs-${Date.now().toString(36)}`;
    // Another tab or worker of the site holds the run's Web Lock until released.
    await expectListsAndRemovesRuns(root, {
      holdLock: async (dir) => {
        let release: () => void = () => undefined;
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        await new Promise<void>((granted) => {
          void navigator.locks.request(`selfsup-run:${dir}`, async () => {
            granted();
            await held;
          });
        });
        return { release };
      },
    });
    // The encoders tfjs kept for the runs went with them.
    expect(Object.keys(await tf.io.listModels()).filter((url) => url.includes(root))).toEqual([]);
  });
});
