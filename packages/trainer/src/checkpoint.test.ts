import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@selfsup/backend';
import { createLinearClassifier } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckpointContents,
  CheckpointCorruptError,
  describeRejected,
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

async function save(root: string, step: number, keep = 3): Promise<string> {
  const saved = contents(step);
  try {
    return await saveCheckpoint(root, saved, keep);
  } finally {
    tf.dispose([saved.optimizer.slots, saved.objectiveState ?? {}]);
    for (const module of Object.values(saved.modules)) module.dispose();
  }
}

async function written(step = 4): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'selfsup-checkpoint-'));
  await save(root, step);
  return (await latestCheckpoint(root)) as string;
}

/** As a checkpoint saved before checkpoints carried checksums. */
async function writtenWithoutChecksums(step = 4): Promise<string> {
  const dir = await written(step);
  rmSync(join(dir, 'manifest.json'));
  return dir;
}

/** Flips `count` bytes of a file from `offset` on (every bit of each). */
function flipBytes(path: string, offset: number, count: number): void {
  const bytes = readFileSync(path);
  for (let i = offset; i < Math.min(bytes.length, offset + count); i++) bytes[i] = (bytes[i] as number) ^ 0xff;
  writeFileSync(path, bytes);
}

/** Writes NaN into the first float of a weights file. */
function injectNaN(path: string): void {
  const bytes = readFileSync(path);
  bytes.writeFloatLE(Number.NaN, 0);
  writeFileSync(path, bytes);
}

async function failure(promise: Promise<unknown>): Promise<CheckpointCorruptError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckpointCorruptError);
  return error as CheckpointCorruptError;
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

  it('writes a manifest with the size and SHA-256 of every file, which verifies', async () => {
    const dir = await written(4);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'selfsup-checkpoint-manifest', formatVersion: 1, step: 4 });
    expect(Object.keys(manifest.files)).toEqual([
      'config.json',
      'modules/head/model.json',
      'modules/head/weights.bin',
      'objective.bin',
      'objective.json',
      'optimizer.bin',
      'optimizer.json',
      'trainer.json',
    ]);
    expect(manifest.files['optimizer.bin']).toEqual({ bytes: 60, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await verifyCheckpoint(dir)).toEqual({ checkpoint: dir, checksums: true, files: 8 });
  });

  it('refuses flipped bytes, a truncated file, a missing file and NaN by checksum, naming the checkpoint and the file, leaking no tensor', async () => {
    const flipped = await written();
    flipBytes(join(flipped, 'modules', 'head', 'weights.bin'), 8, 16);
    const before = tf.memory().numTensors;
    const head = createLinearClassifier({ inputSize: 4, classes: 3, seed: 2 });
    const kernel = Array.from(head.trainableVariables[0]?.dataSync() ?? []);
    const error = await failure(loadCheckpoint(flipped, { head }));
    expect(error.message).toMatch(
      new RegExp(
        `^checkpoint ${flipped} is corrupt: modules/head/weights\\.bin does not match its SHA-256 checksum \\(saved [0-9a-f]{12}…, now [0-9a-f]{12}…\\): its bytes changed after it was saved$`,
      ),
    );
    // Nothing of a corrupt checkpoint reaches the modules.
    expect(Array.from(head.trainableVariables[0]?.dataSync() ?? [])).toEqual(kernel);
    head.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const truncated = await written();
    truncateSync(join(truncated, 'optimizer.bin'), 20);
    expect((await failure(verifyCheckpoint(truncated))).problem).toBe(
      'optimizer.bin is 20 bytes, 60 when saved (truncated)',
    );
    const missing = await written();
    rmSync(join(missing, 'objective.bin'));
    expect((await failure(loadCheckpoint(missing, {}))).problem).toBe('objective.bin is missing');
    const poisoned = await written();
    injectNaN(join(poisoned, 'optimizer.bin'));
    expect((await failure(loadCheckpoint(poisoned, {}))).problem).toMatch(
      /^optimizer\.bin does not match its SHA-256 checksum/,
    );
    writeFileSync(join(poisoned, 'manifest.json'), '{"format": "selfsup-checkpoint-manifest", "files": ');
    expect((await failure(verifyCheckpoint(poisoned))).problem).toMatch(/^manifest\.json is not valid JSON/);
  });

  it('reports NaN in the weights as corruption where no checksum covers them (older checkpoints, a rewritten manifest)', async () => {
    const dir = await writtenWithoutChecksums();
    injectNaN(join(dir, 'modules', 'head', 'weights.bin'));
    const error = await failure(loadCheckpoint(dir, {}));
    expect(error.problem).toBe(
      "modules/head/weights.bin holds 1 NaN or infinite value (in 'linear_classifier/linear/kernel'); a run never saves those, so the file was altered after it was saved",
    );
    expect(error.message).not.toMatch(/learning rate/);
    // A manifest rewritten to match the altered file: the values still give it away.
    const rewritten = await written();
    const weights = join(rewritten, 'optimizer.bin');
    injectNaN(weights);
    const manifest = JSON.parse(readFileSync(join(rewritten, 'manifest.json'), 'utf8'));
    manifest.files['optimizer.bin'].sha256 = createHash('sha256').update(readFileSync(weights)).digest('hex');
    writeFileSync(join(rewritten, 'manifest.json'), JSON.stringify(manifest));
    expect((await failure(verifyCheckpoint(rewritten))).problem).toMatch(
      /^optimizer\.bin holds 1 NaN or infinite value \(in 'head\/kernel\/m'\)/,
    );
  });

  it('loads a checkpoint saved before checksums with a one-line notice', async () => {
    const dir = await writtenWithoutChecksums();
    const lines: string[] = [];
    const loaded = await loadCheckpoint(dir, {}, { log: (line) => lines.push(line) });
    expect(loaded.trainer.step).toBe(4);
    expect(lines).toEqual([
      `checkpoint ${dir} has no checksums (saved by an older selfsup): its files are loaded unverified`,
    ]);
    expect(await verifyCheckpoint(dir)).toEqual({ checkpoint: dir, checksums: false, files: 0 });
    tf.dispose([loaded.optimizer.slots, loaded.objectiveState]);
  });

  it('names the file and the size mismatch when optimizer.bin of an unchecked checkpoint is truncated, leaking no tensor', async () => {
    const dir = await writtenWithoutChecksums();
    truncateSync(join(dir, 'optimizer.bin'), 20);
    const before = tf.memory().numTensors;
    await expect(loadCheckpoint(dir, {}, { log: false })).rejects.toThrow(
      /optimizer\.bin: 20 bytes where its manifest describes 60/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('disposes the decoded optimizer slots when objective.bin is damaged', async () => {
    const dir = await writtenWithoutChecksums();
    writeFileSync(join(dir, 'objective.bin'), Buffer.alloc(9));
    const before = tf.memory().numTensors;
    await expect(loadCheckpoint(dir, {}, { log: false })).rejects.toThrow(
      /objective\.bin: 9 bytes where its manifest describes 4/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names a JSON file that does not parse', async () => {
    const dir = await writtenWithoutChecksums();
    const text = readFileSync(join(dir, 'trainer.json'), 'utf8');
    writeFileSync(join(dir, 'trainer.json'), text.slice(0, text.length / 2));
    await expect(loadCheckpoint(dir, {}, { log: false })).rejects.toThrow(/trainer\.json is not valid JSON/);
  });

  it('refuses a dtype a checkpoint does not hold', async () => {
    const dir = await writtenWithoutChecksums();
    const specs = JSON.parse(readFileSync(join(dir, 'objective.json'), 'utf8')) as { dtype: string }[];
    (specs[0] as { dtype: string }).dtype = 'complex64';
    writeFileSync(join(dir, 'objective.json'), JSON.stringify(specs));
    await expect(loadCheckpoint(dir, {}, { log: false })).rejects.toThrow(/has dtype complex64/);
  });
});

describe('latestGoodCheckpoint', () => {
  it('falls back past a corrupt newest checkpoint to the previous good one, saying so; names every one tried when none is good', async () => {
    const root = mkdtempSync(join(tmpdir(), 'selfsup-fallback-'));
    for (const step of [2, 4, 6]) await save(root, step);
    flipBytes(join(root, 'step-000000006', 'optimizer.bin'), 0, 4096);
    const lines: string[] = [];
    const good = await latestGoodCheckpoint(root, { log: (line) => lines.push(line) });
    expect(good.checkpoint).toBe(join(root, 'step-000000004'));
    expect(good.rejected).toEqual([
      {
        checkpoint: join(root, 'step-000000006'),
        problem: expect.stringMatching(/^optimizer\.bin does not match its SHA-256/),
      },
    ]);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^warning: checkpoint ${join(root, 'step-000000006')} is corrupt: optimizer\\.bin .*; falling back to the previous complete checkpoint, ${join(root, 'step-000000004')}$`,
        ),
      ),
    ]);

    truncateSync(join(root, 'step-000000004', 'modules', 'head', 'weights.bin'), 10);
    injectNaN(join(root, 'step-000000002', 'objective.bin'));
    const none = await latestGoodCheckpoint(root, { log: () => {} });
    expect(none.checkpoint).toBeUndefined();
    expect(none.rejected.map((r) => r.checkpoint)).toEqual(
      ['step-000000006', 'step-000000004', 'step-000000002'].map((name) => join(root, name)),
    );
    const message = describeRejected(root, none.rejected);
    expect(message).toContain(
      `${join(root, 'step-000000004')} (modules/head/weights.bin is 10 bytes, 60 when saved (truncated))`,
    );
    expect(message).toContain(`${join(root, 'step-000000002')} (objective.bin does not match its SHA-256`);
  });

  it('drops abandoned later checkpoints when a resumed run saves an earlier step', async () => {
    const root = mkdtempSync(join(tmpdir(), 'selfsup-abandoned-'));
    for (const step of [2, 4, 6]) await save(root, step, 1);
    expect(await listCheckpoints(root)).toEqual(['step-000000006']);
    const rootTwo = mkdtempSync(join(tmpdir(), 'selfsup-abandoned-'));
    for (const step of [2, 4, 6]) await save(rootTwo, step, 3);
    // A resume from step 4 (step 6 corrupt) saves step 5: step 6 belongs to the abandoned run.
    await save(rootTwo, 5, 1);
    expect(await listCheckpoints(rootTwo)).toEqual(['step-000000005']);
    expect(await latestCheckpoint(rootTwo)).toBe(join(rootTwo, 'step-000000005'));
  });
});

describe('removeStaleCheckpointFiles', () => {
  it('removes staging folders, unrenamed pointers and checkpoints never marked complete, at the next save too', async () => {
    const root = mkdtempSync(join(tmpdir(), 'selfsup-stale-'));
    await save(root, 2);
    const leftovers = ['.step-000000004.tmp-4242-1-abc', '.step-000000002.old-4242-1-abc', '.latest.tmp-4242'];
    for (const name of leftovers.slice(0, 2)) mkdirSync(join(root, name));
    writeFileSync(join(root, leftovers[2] as string), 'step-000000004\n');
    mkdirSync(join(root, 'step-000000004'));
    writeFileSync(join(root, 'step-000000004', 'trainer.json'), '{}');
    writeFileSync(join(root, 'notes.txt'), 'mine');
    expect(await removeStaleCheckpointFiles(root)).toEqual([...leftovers, 'step-000000004'].sort());
    expect(readdirSync(root).sort()).toEqual(['latest', 'notes.txt', 'step-000000002']);

    mkdirSync(join(root, '.step-000000006.tmp-1-2-x'));
    await save(root, 3);
    expect(existsSync(join(root, '.step-000000006.tmp-1-2-x'))).toBe(false);
    expect(await removeStaleCheckpointFiles(join(root, 'missing'))).toEqual([]);
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
