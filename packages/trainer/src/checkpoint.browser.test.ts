import { assertNoTensorLeak, initBackend, tf } from '@selfsup/backend';
import { createLinearClassifier } from '@selfsup/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKPOINT_INDEX,
  CHECKPOINTS,
  closeDatabase,
  inTransaction,
  requestResult,
} from './browser/selfsup-database.js';
import {
  type CheckpointContents,
  latestCheckpoint,
  listCheckpoints,
  loadCheckpoint,
  requireLatestCheckpoint,
  saveCheckpoint,
} from './checkpoint.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

afterAll(async () => {
  await closeDatabase();
});

function contents(step: number): CheckpointContents {
  return {
    modules: { head: createLinearClassifier({ inputSize: 4, classes: 3, seed: step }) },
    optimizer: {
      iterations: step,
      slots: { 'head/kernel/m': tf.fill([4, 3], step), 'head/bias/m': tf.fill([3], 0.5) },
    },
    objectiveState: { 'queue/pointer': tf.scalar(7, 'int32'), 'queue/full': tf.tensor1d([true, false], 'bool') },
    trainer: {
      step,
      epoch: 0,
      stepInEpoch: step,
      history: [{ step, epoch: 0, loss: -0, learningRate: 0.1 }],
      trainingSeconds: 1,
    },
    config: { lr: 0.1, steps: step },
  };
}

async function save(root: string, step: number, keep = 3): Promise<string> {
  const saved = contents(step);
  try {
    return await saveCheckpoint(root, saved, keep);
  } finally {
    tf.dispose([saved.optimizer.slots, saved.objectiveState ?? {}]);
    for (const module of Object.values(saved.modules)) module.dispose();
  }
}

const unique = (name: string) =>
  `runs/${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}/checkpoints`;

describe('checkpoints in IndexedDB', () => {
  it('restores the weights, optimizer slots, objective state (float32, int32, bool), trainer state and config', async () => {
    const root = unique('restore');
    expect(await save(root, 4)).toBe(`${root}/step-000000004`);
    const head = createLinearClassifier({ inputSize: 4, classes: 3, seed: 99 });
    const loaded = await loadCheckpoint(await requireLatestCheckpoint(root), { head });
    expect(loaded.optimizer.iterations).toBe(4);
    expect(Array.from(loaded.optimizer.slots['head/kernel/m']?.dataSync() ?? [])).toEqual(Array(12).fill(4));
    expect(loaded.objectiveState['queue/pointer']?.dtype).toBe('int32');
    expect(Array.from(loaded.objectiveState['queue/full']?.dataSync() ?? [])).toEqual([1, 0]);
    expect(loaded.trainer).toEqual({
      step: 4,
      epoch: 0,
      stepInEpoch: 4,
      history: [{ step: 4, epoch: 0, loss: 0, learningRate: 0.1 }], // a JSON round trip, as in Node
      trainingSeconds: 1,
    });
    expect(loaded.config).toEqual({ lr: 0.1, steps: 4 });
    const original = createLinearClassifier({ inputSize: 4, classes: 3, seed: 4 });
    expect(head.trainableVariables.map((v) => Array.from(v.dataSync()))).toEqual(
      original.trainableVariables.map((v) => Array.from(v.dataSync())),
    );
    tf.dispose([loaded.optimizer.slots, loaded.objectiveState]);
    head.dispose();
    original.dispose();
  });

  it('keeps the newest `keep`, and names a root without checkpoints', async () => {
    const root = unique('keep');
    for (const step of [2, 4, 6, 8]) await save(root, step, 2);
    expect(await listCheckpoints(root)).toEqual(['step-000000006', 'step-000000008']);
    expect(await latestCheckpoint(root)).toBe(`${root}/step-000000008`);
    const keys = await inTransaction([CHECKPOINTS], 'readonly', (tx) =>
      requestResult(tx.objectStore(CHECKPOINTS).getAllKeys(IDBKeyRange.bound(`${root}/`, `${root}/\uffff`))),
    );
    expect(keys).toHaveLength(2); // the dropped checkpoints' records are gone
    await expect(requireLatestCheckpoint(unique('none'))).rejects.toThrow('holds no complete checkpoint');
    await expect(loadCheckpoint(`${root}/step-000000002`, {})).rejects.toThrow(
      /not a complete checkpoint in IndexedDB/,
    );
  });

  it('a write that dies before its flip leaves the previous checkpoint latest and readable; the next write clears it', async () => {
    const root = unique('crash');
    await save(root, 3);
    // The page dies after staging step 6: its index flip never commits.
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === CHECKPOINT_INDEX) throw new Error('the page closed');
      return put.apply(this, args);
    };
    try {
      await expect(save(root, 6)).rejects.toThrow('the page closed');
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    await closeDatabase(); // a reload
    expect(await listCheckpoints(root)).toEqual(['step-000000003']);
    expect(await latestCheckpoint(root)).toBe(`${root}/step-000000003`);
    const staged = async () =>
      inTransaction([CHECKPOINTS], 'readonly', (tx) =>
        requestResult(tx.objectStore(CHECKPOINTS).getAllKeys(IDBKeyRange.bound(`${root}/`, `${root}/\uffff`))),
      );
    expect(await staged()).toHaveLength(2); // step 3 and the orphaned staging record of step 6
    const head = createLinearClassifier({ inputSize: 4, classes: 3, seed: 0 });
    const loaded = await loadCheckpoint(`${root}/step-000000003`, { head });
    expect(loaded.trainer.step).toBe(3);
    tf.dispose([loaded.optimizer.slots, loaded.objectiveState]);
    await save(root, 6);
    expect(await listCheckpoints(root)).toEqual(['step-000000003', 'step-000000006']);
    expect(await staged()).toHaveLength(2);
    head.dispose();
  });

  it('saves and loads without leaking a tensor, and refuses modules of another shape, naming the checkpoint', async () => {
    const root = unique('leak');
    await save(root, 5);
    const head = createLinearClassifier({ inputSize: 4, classes: 3, seed: 1 });
    await assertNoTensorLeak('saveCheckpoint + loadCheckpoint', async () => {
      const saved = contents(7);
      await saveCheckpoint(root, saved);
      tf.dispose([saved.optimizer.slots, saved.objectiveState ?? {}]);
      saved.modules.head?.dispose();
      const loaded = await loadCheckpoint(`${root}/step-000000007`, { head });
      tf.dispose([loaded.optimizer.slots, loaded.objectiveState]);
    });
    const wider = createLinearClassifier({ inputSize: 5, classes: 3 });
    await expect(loadCheckpoint(`${root}/step-000000005`, { head: wider })).rejects.toThrow(
      new RegExp(
        `checkpoint ${root}/step-000000005: module head: .*is \\[4,3\\] in the file but \\[5,3\\] in the module`,
      ),
    );
    head.dispose();
    wider.dispose();
  });
});
