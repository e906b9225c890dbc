import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, type Tensor2D, tf } from '@selfsup/backend';
import { loadEncoder } from '@selfsup/models';
import { loadTokenizer } from '@selfsup/text';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeLabeledText, makeTextCorpus } from '../../text/src/test-brown.js';
import { makeImageFolder } from './testing/make-image-folder.js';
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
  makeTextCorpus(join(work, 'single'), { files: 3 });
  // Labeled text of two Brown genres (press reportage, learned prose), files the corpus does not hold.
  makeLabeledText(join(work, 'labeled'), {
    genres: { press: 'ca', learned: 'cj' },
    files: 2,
    sentences: 10,
    offset: 10,
  });
  await makeImageFolder(join(work, 'images'), { perClass: 4, classes: 2, channels: 1 });
});

/** The rows of an evaluation result, checked for sense: every accuracy a fraction. */
function evaluationRows(result: { evaluation: Array<{ features: string; linearProbeAccuracy: number }> }) {
  for (const row of result.evaluation) {
    expect(row.linearProbeAccuracy).toBeGreaterThanOrEqual(0);
    expect(row.linearProbeAccuracy).toBeLessThanOrEqual(1);
  }
  return result.evaluation.map((row) => row.features);
}

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

    // The exported encoder is probed on labeled text with the tokenizer exported beside it.
    const evaluated = await runCliProcess(
      ['eval', 'exported', '--labels', './labeled', '--probe-epochs', '20', '--json'],
      { cwd: work },
    );
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const result = JSON.parse(evaluated.stdout);
    expect(result).toMatchObject({ modality: 'text', classes: 2, trainDocuments: expect.any(Number) });
    expect(result.testDocuments).toBeGreaterThanOrEqual(2);
    expect(evaluationRows(result)).toEqual(['pretrained', 'random-init', 'bag-of-words']);
    expect(evaluated.stderr).toContain('32-token sequences');
  }, 240_000);

  it('trains the other kinds of text task from a file and from JSON Lines: T5 span corruption, skip-gram, sentence permutation', async () => {
    const small = ['--batch-size', '8', '--set', 'data.sequenceLength=32', '--max-steps', '3'];
    const t5 = await runCliProcess(
      [
        'pretrain',
        '--data',
        './single/corpus.txt',
        '--task',
        't5-span-corruption',
        ...small,
        '--set',
        'data.tokenizer.vocabSize=600',
        '--set',
        'model.options={"dim":32,"heads":2,"encoderDepth":1,"decoderDepth":1}',
        '--out',
        'runs/t5',
      ],
      { cwd: work },
    );
    expect(t5.code, t5.stderr).toBe(0);
    expect(t5.stderr).toContain('tokenizer of 600 tokens (100 sentinels)');
    const t5Config = JSON.parse(readFileSync(join(work, 'runs/t5/config.json'), 'utf8'));
    expect(t5Config.data.tokenizer).toMatchObject({ sentinels: 100, vocabSize: 600 });
    expect(t5Config.model.kind).toBe('text-encoder-decoder');
    expect(losses('runs/t5').every(Number.isFinite)).toBe(true);
    expect((await loadTokenizer(join(work, 'runs/t5/tokenizer.json'))).vocabulary.sentinelIds).toHaveLength(100);

    // JSON Lines: one record per document, its text in `body`.
    const documents = readFileSync(join(work, 'single/corpus.txt'), 'utf8').trim().split('\n\n');
    writeFileSync(
      join(work, 'corpus.jsonl'),
      `${documents.map((text, i) => JSON.stringify({ id: i, body: text })).join('\n')}\n`,
    );
    const skipGram = await runCliProcess(
      [
        'pretrain',
        '--data',
        './corpus.jsonl',
        '--task',
        'skip-gram',
        ...small,
        '--set',
        'data.field=body',
        '--set',
        'data.tokenizer.vocabSize=600',
        '--set',
        'model.options.dim=16',
        '--labels',
        './labeled',
        '--set',
        'evaluation.probeEpochs=10',
        '--out',
        'runs/skip-gram',
        '--json',
      ],
      { cwd: work },
    );
    expect(skipGram.code, skipGram.stderr).toBe(0);
    expect(skipGram.stderr).toMatch(/corpus\.jsonl: 3 documents → \d+ sequences of 32 tokens/);
    const skipGramConfig = JSON.parse(readFileSync(join(work, 'runs/skip-gram/config.json'), 'utf8'));
    expect(skipGramConfig.model).toMatchObject({ kind: 'word2vec', options: { dim: 16 } });
    expect(skipGramConfig.task.options).not.toHaveProperty('counts'); // the run's, never the config's
    expect(skipGramConfig.task.options).toMatchObject({ window: 5, negatives: 5 });
    // Evaluated at the end of pretraining, on labeled text, beside its floors.
    expect(evaluationRows(JSON.parse(skipGram.stdout))).toEqual(['pretrained', 'random-init', 'bag-of-words']);
    const word2vec = await loadEncoder(join(work, 'runs/skip-gram/encoder'));
    expect(word2vec.featureSize).toBe(16);
    word2vec.dispose();

    const permutation = await runCliProcess(
      [
        'pretrain',
        '--data',
        './single/corpus.txt',
        '--task',
        'sentence-permutation',
        ...small,
        '--set',
        'data.tokenizer.vocabSize=600',
        '--set',
        'model.options={"dim":32,"heads":2,"depth":1}',
        '--out',
        'runs/permutation',
      ],
      { cwd: work },
    );
    expect(permutation.code, permutation.stderr).toBe(0);
    // [CLS] A [SEP] B [SEP] C [SEP] fits 32 tokens with segments of 9.
    expect(permutation.stderr).toMatch(/3 documents → \d+ samples of 3 consecutive segments × 9 tokens/);
    expect(losses('runs/permutation').every(Number.isFinite)).toBe(true);
  }, 120_000);

  it('gives identical floors in two identical text runs: the same tokenizer, random-init and bag-of-words rows', async () => {
    const run = (out: string) =>
      runCliProcess(
        [
          'pretrain',
          '--data',
          './corpus',
          '--task',
          'skip-gram',
          '--batch-size',
          '8',
          '--max-steps',
          '2',
          '--set',
          'data.sequenceLength=32',
          '--set',
          'data.tokenizer.vocabSize=600',
          '--set',
          'model.options.dim=16',
          '--labels',
          './labeled',
          '--set',
          'evaluation.probeEpochs=10',
          '--out',
          out,
          '--json',
        ],
        { cwd: work },
      );
    const [first, second] = [await run('runs/same-1'), await run('runs/same-2')];
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const tokenizer = (out: string) => readFileSync(join(work, out, 'tokenizer.json'), 'utf8');
    expect(tokenizer('runs/same-2')).toBe(tokenizer('runs/same-1'));
    type Row = { features: string; seconds: number; testCount: number };
    const floors = (stdout: string) =>
      (JSON.parse(stdout) as { evaluation: Row[] }).evaluation
        .filter((row) => row.features !== 'pretrained')
        .map(({ seconds: _, ...row }) => row);
    const floorRows = floors(first.stdout);
    expect(floorRows.map((row) => row.features)).toEqual(['random-init', 'bag-of-words']);
    expect(floors(second.stdout)).toEqual(floorRows);
    // Every row on the same test split, with its size and 95 % intervals in the result.
    expect(floorRows[0]).toMatchObject({ testCount: floorRows[1]?.testCount, linearProbeInterval: expect.any(Object) });
  }, 120_000);

  it('says which tasks and encoders fit text, and names the corpus when it cannot be used', async () => {
    const imageTask = await runCliProcess(['pretrain', '--data', './corpus', '--task', 'rotation'], { cwd: work });
    expect(imageTask.code).toBe(3);
    expect(imageTask.stderr).toMatch(
      /task\.id: task 'rotation' trains on image, but data\.kind 'text-corpus' gives text; text tasks: .*bert-mlm/,
    );
    const method = await runCliProcess(['pretrain', '--data', './corpus'], { cwd: work });
    expect(method.code).toBe(3);
    expect(method.stderr).toMatch(
      /method\.id: method 'simclr' trains on augmented image views; text data \(data\.kind 'text-corpus'\) needs a text task \(--task <id>\): bert-mlm, .*whole-word-mlm/,
    );
    const imageModel = await runCliProcess(
      ['pretrain', '--data', './corpus', '--task', 'bert-mlm', '--model', 'small-cnn'],
      {
        cwd: work,
      },
    );
    expect(imageModel.code).toBe(3);
    expect(imageModel.stderr).toMatch(
      /model\.kind: 'small-cnn' encodes image, but data\.kind 'text-corpus' gives text; text encoders: text-encoder-decoder, text-transformer, word2vec/,
    );
    const textTask = await runCliProcess(['pretrain', '--data', './images', '--task', 'whole-word-mlm'], { cwd: work });
    expect(textTask.code).toBe(3);
    expect(textTask.stderr).toMatch(/task 'whole-word-mlm' trains on text, but data\.kind 'image-folder' gives image/);

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
