import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, type Tensor2D, tf } from '@selfsup/backend';
import { loadEncoder } from '@selfsup/models';
import { loadTokenizer } from '@selfsup/text';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeImageFolder } from './testing/make-image-folder.js';
import { makeTextCorpus } from './testing/make-text-corpus.js';
import { loggedLosses, runCliProcess } from './testing/run-cli.js';

let work: string;
/** A small transformer on short sequences: a text run of a few dozen steps takes seconds. */
const tiny = [
  '--batch-size',
  '16',
  '--set',
  'data.sequenceLength=32',
  '--set',
  'data.tokenizer.vocabSize=1000',
  '--set',
  'model.options.dim=32',
  '--set',
  'model.options.heads=2',
  '--set',
  'checkpoints.everySteps=10',
];
const losses = (run: string) => loggedLosses(join(work, run));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'selfsup-text-'));
  makeTextCorpus(join(work, 'corpus'), { files: 4, split: true });
  await makeImageFolder(join(work, 'images'), { perClass: 4, classes: 2, channels: 1 });
});

describe('text corpora through the CLI', () => {
  it('pretrains a masking task on a folder of text, resumes onto the same loss curve, and exports encoder + tokenizer', async () => {
    const args = ['pretrain', '--data', './corpus', '--task', 'bert-mlm', '--epochs', '3', ...tiny];
    const first = await runCliProcess([...args, '--max-steps', '20', '--out', 'runs/split'], { cwd: work });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/trained a wordpiece tokenizer of 1000 tokens/);
    expect(first.stderr).toMatch(/4 documents → \d+ sequences of 32 tokens/);
    const config = JSON.parse(readFileSync(join(work, 'runs/split/config.json'), 'utf8'));
    expect(config.data).toMatchObject({ kind: 'text-corpus', sequenceLength: 32 });
    // The recorded config names the saved tokenizer: `pretrain --config` reuses this vocabulary.
    expect(config.data.tokenizer.path).toBe(join(work, 'runs/split/tokenizer.json'));
    expect(config.model).toMatchObject({ kind: 'text-transformer', options: { dim: 32, heads: 2, depth: 2 } });
    expect(config.task.options).toEqual({
      maskProbability: 0.15,
      maskReplaceProbability: 0.8,
      randomReplaceProbability: 0.1,
    });

    const resumed = await runCliProcess(['resume', 'runs/split', '--max-steps', '40', '--quiet'], { cwd: work });
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(work, 'runs/split/result.json'), 'utf8'));
    expect(summary).toMatchObject({ steps: 40, resumedFromStep: 20, linearProbeAccuracy: null });

    // The same 40 steps in one go, with the same tokenizer, give the same curve.
    const straight = await runCliProcess(
      [
        ...args,
        '--max-steps',
        '40',
        '--out',
        'runs/straight',
        '--quiet',
        '--set',
        `data.tokenizer.path=${join(work, 'runs/split/tokenizer.json')}`,
      ],
      { cwd: work },
    );
    expect(straight.code, straight.stderr).toBe(0);
    const once = losses('runs/straight');
    const twice = losses('runs/split');
    expect(twice).toHaveLength(40);
    twice.forEach((loss, i) => {
      expect(loss).toBeCloseTo(once[i] as number, 4);
    });
    // It learns: the mean of the last 10 losses is well below the first 10 (ln 1000 ≈ 6.9 at the start).
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(once.slice(-10))).toBeLessThan(mean(once.slice(0, 10)) - 0.2);

    const exported = await runCliProcess(['export', 'runs/split', '--encoder-only', '--out', 'exported'], {
      cwd: work,
    });
    expect(exported.code, exported.stderr).toBe(0);
    expect(existsSync(join(work, 'exported', 'tokenizer.json'))).toBe(true);
    await initBackend({ backend: 'wasm', log: false });
    const encoder = await loadEncoder(join(work, 'exported'));
    const tokenizer = await loadTokenizer(join(work, 'exported', 'tokenizer.json'));
    const [ids] = await tokenizer.tokenIds(['The jury said it did find that the election was conducted.']);
    const sequence = Int32Array.from([tokenizer.vocabulary.clsId, ...(ids as Int32Array), tokenizer.vocabulary.sepId]);
    const features = tf.tidy(() =>
      encoder.apply(tf.tensor2d(sequence, [1, sequence.length], 'int32') as Tensor2D, { training: false }).arraySync(),
    );
    expect(features[0]).toHaveLength(32);
    expect(features[0]?.every(Number.isFinite)).toBe(true);
    encoder.dispose();
  }, 240_000);

  it('says which tasks and encoders fit text, and names the corpus when it cannot be used', async () => {
    const imageTask = await runCliProcess(['pretrain', '--data', './corpus', '--task', 'rotation'], { cwd: work });
    expect(imageTask.code).toBe(3);
    expect(imageTask.stderr).toMatch(
      /task\.id: task 'rotation' trains on image, but data\.kind 'text-corpus' gives text; text tasks: .*bert-mlm/,
    );
    const method = await runCliProcess(['pretrain', '--data', './corpus'], { cwd: work });
    expect(method.code).toBe(3);
    expect(method.stderr).toContain("method.id: method 'simclr' trains on augmented image views");
    const imageModel = await runCliProcess(
      ['pretrain', '--data', './corpus', '--task', 'bert-mlm', '--model', 'small-cnn'],
      {
        cwd: work,
      },
    );
    expect(imageModel.code).toBe(3);
    expect(imageModel.stderr).toMatch(
      /model\.kind: 'small-cnn' encodes image, but data\.kind 'text-corpus' gives text; text encoders: text-transformer/,
    );
    const textTask = await runCliProcess(['pretrain', '--data', './images', '--task', 'whole-word-mlm'], { cwd: work });
    expect(textTask.code).toBe(3);
    expect(textTask.stderr).toMatch(/task 'whole-word-mlm' trains on text, but data\.kind 'image-folder' gives image/);
    const vocabulary = await runCliProcess(
      ['pretrain', '--data', './corpus', '--task', 'bert-mlm', '--set', 'task.options.vocabulary=1'],
      { cwd: work },
    );
    expect(vocabulary.code).toBe(3);
    expect(vocabulary.stderr).toContain('task.options.vocabulary: is set by the run from the corpus');

    mkdirSync(join(work, 'empty'));
    writeFileSync(join(work, 'empty', 'blank.txt'), '\n\n  \n');
    const empty = await runCliProcess(['pretrain', '--data', './empty', '--task', 'bert-mlm', '--out', 'runs/e'], {
      cwd: work,
    });
    expect(empty.code).toBe(4);
    expect(empty.stderr).toMatch(/data\.path: .*empty: the corpus is empty/);
    writeFileSync(join(work, 'short.txt'), 'One short sentence.\n');
    const short = await runCliProcess(['pretrain', '--data', './short.txt', '--task', 'bert-mlm', '--out', 'runs/s'], {
      cwd: work,
    });
    expect(short.code).toBe(4);
    expect(short.stderr).toMatch(/gives 1 sequence of 128 tokens, fewer than one batch of 32 \(data\.batchSize\)/);
  }, 120_000);
});
