import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTextTransformer } from '@selfsup/models';
import { loadTokenizer } from '@selfsup/text';
import { describe, expect, it } from 'vitest';
import { loadBrownCorpus, splitByGenre } from './brown-corpus.js';
import { parseMlmOptions } from './mlm-options.js';
import { runMlmPipeline } from './run-mlm-pipeline.js';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const cli = (args: string[]) =>
  spawnSync('npx', ['tsx', '--conditions=@selfsup/source', main, ...args], { encoding: 'utf8', timeout: 300_000 });

describe('the Brown corpus', () => {
  it('reads 500 documents in 15 genres, tags removed, and holds out whole documents per genre', async () => {
    const documents = await loadBrownCorpus();
    expect(documents).toHaveLength(500);
    expect(new Set(documents.map((d) => d.genre)).size).toBe(15);
    expect(documents[0]?.sentences[0]).toBe(
      'The Fulton County Grand Jury said Friday an investigation of Atlanta\'s recent primary election produced " no evidence " that any irregularities took place .',
    );
    const { train, test } = splitByGenre(documents, 0.2, (indices) => indices.reverse());
    expect(train.length + test.length).toBe(500);
    expect(new Set(test.map((d) => d.genre)).size).toBe(15);
    expect(test.filter((d) => d.genre === 'science_fiction')).toHaveLength(1);
    const trainIds = new Set(train.map((d) => d.id));
    expect(test.some((d) => trainIds.has(d.id))).toBe(false);
  });
});

describe('MLM pipeline', () => {
  it('tokenizes, pretrains, scores held-out masked tokens beside the unigram baseline, probes genres, and saves everything', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mlm-app-'));
    const options = parseMlmOptions([
      '--out',
      out,
      '--steps',
      '3',
      '--batch-size',
      '8',
      '--length',
      '32',
      '--vocab-size',
      '2000',
      '--dim',
      '32',
      '--depth',
      '1',
      '--heads',
      '2',
      '--eval-sequences',
      '32',
      '--probe-passages',
      '1',
      '--passage-blocks',
      '1',
      '--probe-epochs',
      '2',
      '--quiet',
    ]);
    if (options === 'help') throw new Error('unexpected help');
    const lines: string[] = [];
    const { result, evaluation } = await runMlmPipeline(options, (line) => lines.push(line));
    expect(result).toMatchObject({
      task: 'bert-mlm',
      steps: 3,
      genres: 15,
      trainDocuments: 400,
      testDocuments: 100,
      vocabSize: 2000,
      backend: 'wasm',
    });
    for (const key of [
      'heldOutPerplexity',
      'unigramPerplexity',
      'randomInitPerplexity',
      'genreLinearProbeAccuracy',
      'bagOfWordsLinearProbeAccuracy',
      'tokensPerSecond',
    ] as const) {
      expect(Number.isFinite(result[key])).toBe(true);
    }
    expect(result.heldOutMaskedTokens).toBeGreaterThan(50);
    expect(result.randomInitPerplexity).toBeGreaterThan(result.unigramPerplexity); // an untrained model knows less than word frequencies
    expect(evaluation.map((r) => r.features)).toEqual(['pretrained', 'random-init', 'bag-of-words']);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(readFileSync(result.reportPath, 'utf8')).toContain('bag-of-words');
    expect(existsSync(join(out, 'tokenizer.json'))).toBe(true);
    const tokenizer = await loadTokenizer(join(out, 'tokenizer.json'));
    const encoder = await loadTextTransformer(join(out, 'encoder'));
    expect(encoder.vocabSize).toBe(tokenizer.vocabSize);
    encoder.dispose();
    // Trains a tokenizer on all of Brown first: slow on a busy 2-core CI machine.
  }, 300_000);

  it('the CLI prints the usage and exits 2 on bad flags, 1 on a missing corpus', () => {
    const badTask = cli(['--task', 'gpt']);
    expect(badTask.status).toBe(2);
    expect(badTask.stderr).toContain("--task: 'gpt' is not a task; known: bert-mlm, whole-word-mlm, span-mlm");
    const badLength = cli(['--length', '4']);
    expect(badLength.status).toBe(2);
    expect(badLength.stderr).toContain("--length: expected at least 8 tokens, got '4'");
    const missing = cli(['--data', '/nonexistent/brown', '--quiet']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('/nonexistent/brown: not a Brown corpus directory (no cats.txt: ENOENT)');
    const nothingToResume = cli(['--resume', '--out', '/nonexistent/mlm-run', '--quiet']);
    expect(nothingToResume.status).toBe(1);
    expect(nothingToResume.stderr).toContain(
      '--resume: /nonexistent/mlm-run does not exist, so there is no run to continue',
    );
  });
});
