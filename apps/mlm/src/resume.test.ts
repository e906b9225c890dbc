import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertNoTensorLeak } from '@selfsup/backend';
import { latestCheckpoint, listCheckpoints } from '@selfsup/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MlmOptions, parseMlmOptions } from './mlm-options.js';
import { type MlmRunRecord, readRunRecord } from './mlm-run-record.js';
import { type MlmResult, runMlmPipeline } from './run-mlm-pipeline.js';
import { writeBrownSubset } from './testing/brown-subset.js';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const node = (args: string[]) =>
  [process.execPath, ['--conditions=@selfsup/source', '--import', 'tsx', main, ...args]] as const;

/** A tiny run on 4 documents per genre: 12 steps, a checkpoint every 4. */
const tinyRun = (corpus: string, out: string) => [
  '--data',
  corpus,
  '--out',
  out,
  '--steps',
  '12',
  '--checkpoint-every',
  '4',
  '--batch-size',
  '8',
  '--length',
  '32',
  '--vocab-size',
  '500',
  '--dim',
  '32',
  '--depth',
  '1',
  '--heads',
  '2',
  '--warmup-steps',
  '3',
  '--eval-sequences',
  '32',
  '--probe-passages',
  '1',
  '--passage-blocks',
  '1',
  '--probe-epochs',
  '2',
];

const temporaries: string[] = [];
/** A fresh temporary directory, removed after the tests. */
function temporary(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporaries.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temporaries) rmSync(dir, { recursive: true, force: true });
});

function options(args: string[]): MlmOptions {
  const parsed = parseMlmOptions(args);
  if (parsed === 'help') throw new Error('unexpected help');
  return parsed;
}

interface MetricsLine {
  step: number;
  loss: number;
  learningRate: number;
}

function metricsOf(out: string): MetricsLine[] {
  return readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as MetricsLine);
}

/** Same steps, learning rates within float noise, losses within 1e-4. */
function expectSameCurve(actual: MetricsLine[], expected: MetricsLine[]): void {
  expect(actual.map((m) => m.step)).toEqual(expected.map((m) => m.step));
  actual.forEach((m, i) => {
    const e = expected[i] as MetricsLine;
    expect(Math.abs(m.loss - e.loss), `loss at step ${m.step}`).toBeLessThanOrEqual(1e-4);
    expect(m.learningRate).toBeCloseTo(e.learningRate, 12);
  });
}

/** Starts the app and kills it with SIGKILL once its progress output matches `killAt`. */
function runUntilKilled(args: string[], killAt: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const [command, argv] = node(args);
    const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!child.killed && killAt.test(stderr)) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL'
        ? resolve(stderr)
        : reject(new Error(`the run ended (${code}) before it was killed:\n${stderr}`)),
    );
  });
}

describe('checkpoints and --resume', () => {
  let corpus: string;
  /** An uninterrupted 12-step run. */
  let straight: string;
  let straightResult: MlmResult;

  beforeAll(async () => {
    corpus = writeBrownSubset(temporary('mlm-brown-'), 4);
    straight = temporary('mlm-straight-');
    ({ result: straightResult } = await runMlmPipeline(options([...tinyRun(corpus, straight), '--quiet']), () => {}));
  });

  it('writes the tokenizer and the newest 2 checkpoints, each recording the run', async () => {
    expect(straightResult.steps).toBe(12);
    expect(straightResult.resumedFromStep).toBeUndefined();
    expect(await listCheckpoints(join(straight, 'checkpoints'))).toEqual(['step-000000008', 'step-000000012']);
    const latest = (await latestCheckpoint(join(straight, 'checkpoints'))) as string;
    expect(latest).toBe(join(straight, 'checkpoints', 'step-000000012'));
    const record: MlmRunRecord = await readRunRecord(latest);
    expect(record.settings).toMatchObject({ steps: 12, length: 32, vocabSize: 500, checkpointEvery: 4, data: corpus });
    expect(record.tokenizer).toMatchObject({ file: 'tokenizer.json', source: 'trained', vocabSize: 500 });
    expect(record.corpus.documents).toBe(60);
    expect(metricsOf(straight).map((m) => m.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('a run killed with SIGKILL after a checkpoint and resumed ends on the loss curve of an uninterrupted run', async () => {
    const killed = temporary('mlm-killed-');
    // Same flags and the straight run's tokenizer (tokenizer training is not bit-reproducible).
    await runUntilKilled([...tinyRun(corpus, killed), '--tokenizer', join(straight, 'tokenizer.json')], /\(6\/12\)/);
    const checkpoint = (await latestCheckpoint(join(killed, 'checkpoints'))) as string;
    expect(checkpoint).toMatch(/step-00000000[48]$/); // 8 only if the kill came two steps late
    const killedAt = Number(checkpoint.slice(-1));
    expect(metricsOf(killed).length).toBeGreaterThanOrEqual(6); // steps after the checkpoint were logged

    // Only --resume and --out: the other settings come from the run.
    const [command, argv] = node(['--resume', '--out', killed, '--quiet']);
    const resumed = spawnSync(command, argv, { encoding: 'utf8', timeout: 120_000 });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${killed} from ${checkpoint} (step ${killedAt} of 12)`);
    const result = JSON.parse(resumed.stdout.trim().split('\n').pop() as string) as MlmResult;
    expect(result).toMatchObject({
      steps: 12,
      resumedFromStep: killedAt,
      vocabSize: 500,
      trainSequences: straightResult.trainSequences,
    });
    expectSameCurve(metricsOf(killed), metricsOf(straight));
    expect(Math.abs(result.finalLoss - straightResult.finalLoss)).toBeLessThanOrEqual(1e-4);
    // The same weights: the same held-out scores.
    expect(result.heldOutMaskedAccuracy).toBe(straightResult.heldOutMaskedAccuracy);
    expect(result.heldOutPerplexity).toBeCloseTo(straightResult.heldOutPerplexity, 2);
    expect(await listCheckpoints(join(killed, 'checkpoints'))).toEqual(['step-000000008', 'step-000000012']);
  });

  it('--resume names the directory when there is no complete checkpoint to continue', async () => {
    const missing = join(temporary('mlm-'), 'no-such-run');
    await expect(runMlmPipeline(options(['--resume', '--out', missing]), () => {})).rejects.toThrow(
      `--resume: ${missing} does not exist, so there is no run to continue`,
    );
    const empty = temporary('mlm-empty-');
    await expect(runMlmPipeline(options(['--resume', '--out', empty]), () => {})).rejects.toThrow(
      `--resume: ${empty} holds no complete checkpoint (looked in ${join(empty, 'checkpoints')}); start the run without --resume`,
    );
    // A checkpoint a crash left half-written (no `complete` marker) is no checkpoint.
    cpSync(join(straight, 'checkpoints', 'step-000000012'), join(empty, 'checkpoints', 'step-000000012'), {
      recursive: true,
    });
    rmSync(join(empty, 'checkpoints', 'step-000000012', 'complete'));
    await expect(runMlmPipeline(options(['--resume', '--out', empty]), () => {})).rejects.toThrow(
      `--resume: ${empty} holds no complete checkpoint`,
    );
    // A checkpoint of another program.
    writeFileSync(join(empty, 'checkpoints', 'step-000000012', 'complete'), 'now\n');
    writeFileSync(join(empty, 'checkpoints', 'step-000000012', 'config.json'), '{"objective": "simclr"}\n');
    await expect(runMlmPipeline(options(['--resume', '--out', empty]), () => {})).rejects.toThrow(
      `--resume: ${empty} is not a run of selfsup-mlm (${join(empty, 'checkpoints', 'step-000000012', 'config.json')}: not the record of a selfsup-mlm run`,
    );
  });

  it('a new run refuses a directory that holds one, and leaves it as it was', async () => {
    await expect(runMlmPipeline(options(tinyRun(corpus, straight)), () => {})).rejects.toThrow(
      `${straight} already holds a run (checkpoint ${join(straight, 'checkpoints', 'step-000000012')}); continue it with --resume, or choose another --out`,
    );
    expect(metricsOf(straight)).toHaveLength(12);
  });

  it('--resume refuses flags, a tokenizer or a corpus that differ from the run', async () => {
    await expect(
      runMlmPipeline(
        options(['--resume', '--out', straight, '--length', '16', '--vocab-size', '1000', '--steps', '12']),
        () => {},
      ),
    ).rejects.toThrow(
      `--resume: ${straight} was started with --length 32 --vocab-size 500, not --length 16 --vocab-size 1000`,
    );

    // The run's tokenizer.json edited: one token renamed.
    const edited = temporary('mlm-edited-');
    cpSync(straight, edited, { recursive: true });
    const tokenizerFile = join(edited, 'tokenizer.json');
    const json = JSON.parse(readFileSync(tokenizerFile, 'utf8')) as { model: { vocab: Record<string, number> } };
    const [token, id] = Object.entries(json.model.vocab).at(-1) as [string, number];
    delete json.model.vocab[token];
    json.model.vocab[`${token}zz`] = id;
    writeFileSync(tokenizerFile, JSON.stringify(json));
    await expect(runMlmPipeline(options(['--resume', '--out', edited]), () => {})).rejects.toThrow(
      `--resume: ${tokenizerFile} is not the tokenizer the run was trained with (500 tokens`,
    );
    await expect(
      runMlmPipeline(options(['--resume', '--out', straight, '--tokenizer', tokenizerFile]), () => {}),
    ).rejects.toThrow(`--tokenizer ${tokenizerFile}: not the tokenizer of the run in ${straight}`);

    const otherCorpus = writeBrownSubset(temporary('mlm-brown-3-'), 3);
    await expect(
      runMlmPipeline(options(['--resume', '--out', straight, '--data', otherCorpus]), () => {}),
    ).rejects.toThrow(
      `--resume: the corpus in ${otherCorpus} (45 documents) is not the text ${straight} was trained on (60 documents)`,
    );
    expect(metricsOf(straight)).toHaveLength(12);
  });

  it('a damaged newest checkpoint stops the resume, naming it and the one before; a half-written one is passed over', async () => {
    const damaged = temporary('mlm-damaged-');
    cpSync(straight, damaged, { recursive: true });
    const newest = join(damaged, 'checkpoints', 'step-000000012');
    const weights = join(newest, 'modules', 'encoder', 'weights.bin');
    truncateSync(weights, 1000);
    await expect(runMlmPipeline(options(['--resume', '--out', damaged, '--quiet']), () => {})).rejects.toThrow(
      `--resume: the newest checkpoint ${newest} is damaged (${weights}: 1000 bytes, but the manifest needs`,
    );
    await expect(runMlmPipeline(options(['--resume', '--out', damaged, '--quiet']), () => {})).rejects.toThrow(
      `move it away to resume from the one before, ${join(damaged, 'checkpoints', 'step-000000008')}`,
    );
    const config = join(newest, 'config.json');
    const savedConfig = readFileSync(config, 'utf8');
    writeFileSync(config, savedConfig.slice(0, 100));
    await expect(runMlmPipeline(options(['--resume', '--out', damaged, '--quiet']), () => {})).rejects.toThrow(
      `--resume: the newest checkpoint ${newest} is damaged (${config}: not valid JSON`,
    );
    expect(metricsOf(damaged)).toHaveLength(12); // nothing was touched

    // Killed while writing step 12: no `complete` marker, so the run goes on from step 8.
    rmSync(join(newest, 'complete'));
    const lines: string[] = [];
    // Checking the checkpoint, resuming and evaluating leave no tensor behind.
    const { result } = await assertNoTensorLeak('a resumed run', () =>
      runMlmPipeline(options(['--resume', '--out', damaged, '--quiet']), (line) => lines.push(line)),
    );
    expect(result.resumedFromStep).toBe(8);
    expect(lines).toContain(
      `resuming ${damaged} from ${join(damaged, 'checkpoints', 'step-000000008')} (step 8 of 12)`,
    );
    expectSameCurve(metricsOf(damaged), metricsOf(straight));
    expect(Math.abs(result.finalLoss - straightResult.finalLoss)).toBeLessThanOrEqual(1e-4);
  });
});
