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
  CheckpointCorruptError,
  latestCheckpoint,
  latestGoodCheckpoint,
  listCheckpoints,
  loadCheckpoint,
  removeStaleCheckpointFiles,
  requireLatestCheckpoint,
  saveCheckpoint,
  verifyCheckpoint,
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

  it('checks each part against its SHA-256 (crypto.subtle): flipped bytes are named corrupt, a resume falls back to the one before and sets the corrupt one aside; an older record loads with a notice; NaN is corruption', async () => {
    const root = unique('checksums');
    await save(root, 2);
    await save(root, 4);
    expect(await verifyCheckpoint(`${root}/step-000000004`)).toEqual({
      checkpoint: `${root}/step-000000004`,
      checksums: true,
      files: 8,
    });
    /** Rewrites the record of a checkpoint in place (as a disk or another tab might). */
    const edit = async (name: string, change: (record: Record<string, any>) => void) => {
      await inTransaction([CHECKPOINTS, CHECKPOINT_INDEX], 'readwrite', async (tx) => {
        const index = (await requestResult(tx.objectStore(CHECKPOINT_INDEX).get(root))) as {
          checkpoints: Record<string, string>;
        };
        const key = index.checkpoints[name] as string;
        const record = (await requestResult(tx.objectStore(CHECKPOINTS).get(key))) as Record<string, any>;
        change(record);
        await requestResult(tx.objectStore(CHECKPOINTS).put(record, key));
      });
    };
    await edit('step-000000004', (record) => {
      const weights = new Uint8Array(record.modules.head.weightData as ArrayBuffer);
      for (let i = 0; i < 16; i++) weights[i] = (weights[i] as number) ^ 0xff;
    });
    const head = createLinearClassifier({ inputSize: 4, classes: 3, seed: 9 });
    const before = Array.from(head.trainableVariables[0]?.dataSync() ?? []);
    const error = await loadCheckpoint(`${root}/step-000000004`, { head }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointCorruptError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^checkpoint ${root}/step-000000004 is corrupt: modules/head/weights\\.bin does not match its SHA-256 checksum`,
      ),
    );
    expect(Array.from(head.trainableVariables[0]?.dataSync() ?? [])).toEqual(before);

    const lines: string[] = [];
    const good = await latestGoodCheckpoint(root, { log: (line) => lines.push(line), setAside: true });
    expect(good.checkpoint).toBe(`${root}/step-000000002`);
    expect(good.rejected).toEqual([
      {
        checkpoint: `${root}/step-000000004`,
        problem: expect.stringMatching(/^modules\/head\/weights\.bin does not match/),
        setAsideAs: `${root}/corrupt-step-000000004`,
      },
    ]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/falling back to the previous complete checkpoint, .*step-000000002$/);
    expect(await listCheckpoints(root)).toEqual(['step-000000002']);
    expect(await latestCheckpoint(root)).toBe(`${root}/step-000000002`);
    // Set aside, the record is kept for inspection: no save or clean-up removes it.
    await save(root, 3);
    expect(await removeStaleCheckpointFiles(root)).toEqual([]);
    const keys = await inTransaction([CHECKPOINTS], 'readonly', (tx) =>
      requestResult(tx.objectStore(CHECKPOINTS).getAllKeys(IDBKeyRange.bound(`${root}/`, `${root}/\uffff`))),
    );
    expect(keys).toHaveLength(3);

    // A record saved before checksums: loaded with a notice, and NaN in it is corruption.
    await edit('step-000000003', (record) => {
      delete record.manifest;
    });
    const notices: string[] = [];
    await assertNoTensorLeak('loadCheckpoint of an unchecked record', async () => {
      const loaded = await loadCheckpoint(`${root}/step-000000003`, { head }, { log: (line) => notices.push(line) });
      tf.dispose([loaded.optimizer.slots, loaded.objectiveState]);
    });
    expect(notices).toEqual([
      `checkpoint ${root}/step-000000003 has no checksums (saved by an older selfsup): its files are loaded unverified`,
    ]);
    await edit('step-000000003', (record) => {
      new DataView(record.optimizer.data.buffer, record.optimizer.data.byteOffset).setFloat32(0, Number.NaN, true);
    });
    const poisoned = (await verifyCheckpoint(`${root}/step-000000003`).catch(
      (e: unknown) => e,
    )) as CheckpointCorruptError;
    expect(poisoned.problem).toMatch(/^optimizer\.bin holds 1 NaN or infinite value \(in 'head\/kernel\/m'\)/);
    head.dispose();
  });
});
