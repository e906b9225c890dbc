import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@selfsup/backend';
import { createLinearClassifier } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckpointContents,
  latestCheckpoint,
  loadCheckpoint,
  requireLatestCheckpoint,
  saveCheckpoint,
} from './checkpoint.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

function contents(step: number): CheckpointContents {
  return {
    modules: { head: createLinearClassifier({ inputSize: 4, classes: 3, seed: 1 }) },
    optimizer: {
      iterations: step,
      slots: { 'head/kernel/m': tf.fill([4, 3], step), 'head/bias/m': tf.fill([3], 0.5) },
    },
    objectiveState: { 'queue/pointer': tf.scalar(7, 'int32') },
    trainer: { step, epoch: 0, stepInEpoch: step, history: [], trainingSeconds: 1 },
    config: { lr: 0.1 },
  };
}

async function written(step = 4): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'selfsup-checkpoint-'));
  const saved = contents(step);
  await saveCheckpoint(root, saved);
  tf.dispose([saved.optimizer.slots, saved.objectiveState ?? {}]);
  for (const module of Object.values(saved.modules)) module.dispose();
  return (await latestCheckpoint(root)) as string;
}

describe('loadCheckpoint', () => {
  it('restores the optimizer slots, objective state, trainer state and config that were saved', async () => {
    const dir = await written(4);
    const head = createLinearClassifier({ inputSize: 4, classes: 3, seed: 2 });
    const loaded = await loadCheckpoint(dir, { head });
    expect(loaded.optimizer.iterations).toBe(4);
    expect(Array.from(loaded.optimizer.slots['head/kernel/m']?.dataSync() ?? [])).toEqual(Array(12).fill(4));
    expect(loaded.objectiveState['queue/pointer']?.dtype).toBe('int32');
    expect(loaded.trainer.step).toBe(4);
    expect(loaded.config).toEqual({ lr: 0.1 });
    tf.dispose([loaded.optimizer.slots, loaded.objectiveState]);
    head.dispose();
  });

  it('names the file and the size mismatch when optimizer.bin is truncated, leaking no tensor', async () => {
    const dir = await written();
    truncateSync(join(dir, 'optimizer.bin'), 20);
    const before = tf.memory().numTensors;
    await expect(loadCheckpoint(dir, {})).rejects.toThrow(/optimizer\.bin: 20 bytes where its manifest describes 60/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('disposes the decoded optimizer slots when objective.bin is damaged', async () => {
    const dir = await written();
    writeFileSync(join(dir, 'objective.bin'), Buffer.alloc(9));
    const before = tf.memory().numTensors;
    await expect(loadCheckpoint(dir, {})).rejects.toThrow(/objective\.bin: 9 bytes where its manifest describes 4/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names a JSON file that does not parse', async () => {
    const dir = await written();
    const text = readFileSync(join(dir, 'trainer.json'), 'utf8');
    writeFileSync(join(dir, 'trainer.json'), text.slice(0, text.length / 2));
    await expect(loadCheckpoint(dir, {})).rejects.toThrow(/trainer\.json is not valid JSON/);
  });

  it('refuses a dtype a checkpoint does not hold', async () => {
    const dir = await written();
    const specs = JSON.parse(readFileSync(join(dir, 'objective.json'), 'utf8')) as { dtype: string }[];
    (specs[0] as { dtype: string }).dtype = 'complex64';
    writeFileSync(join(dir, 'objective.json'), JSON.stringify(specs));
    await expect(loadCheckpoint(dir, {})).rejects.toThrow(/has dtype complex64/);
  });
});

describe('requireLatestCheckpoint', () => {
  it('returns the newest complete checkpoint, and names the directory when there is none', async () => {
    const dir = await written(6);
    expect(await requireLatestCheckpoint(join(dir, '..'))).toBe(dir);
    const empty = mkdtempSync(join(tmpdir(), 'selfsup-no-checkpoint-'));
    await expect(requireLatestCheckpoint(empty)).rejects.toThrow(
      `${empty} holds no complete checkpoint to resume from`,
    );
    await expect(requireLatestCheckpoint(join(empty, 'missing'))).rejects.toThrow('holds no complete checkpoint');
  });
});
