// Benchmarks of @selfsup/text: the throughput of every masking beside PyTorch's run of the same
// algorithm on the same ids (bench/reference/mlm_masking.py --variant …, measured in the same run at
// 2 threads and 1; the ratio is against the faster), tokenization throughput, and MLM training
// tokens/s on wasm. Prints a table and one JSON line; says so when PyTorch is missing.
//   npx -y pnpm@10 --filter @selfsup/text bench [-- --iterations 200 --steps 20 --rounds 1 --masking-only]
// --rounds N measures each masking and its reference N times, alternating, and keeps each side's best
// (a loaded machine's figures swing from one moment to the next).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng, initBackend, type Tensor, tf } from '@selfsup/backend';
import { createTextTransformer } from '@selfsup/models';
import { pretrain, taskObjective } from '@selfsup/trainer';
import {
  bertMlmTask,
  corruptSpans,
  maskTokens,
  packSequences,
  spanMaskTokens,
  type TokenVocabulary,
  tokenBatches,
  trainTokenizer,
  wholeWordMaskTokens,
} from '../src/index.js';
import { brownDocuments } from '../src/test-brown.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string' },
    steps: { type: 'string' },
    rounds: { type: 'string' },
    'masking-only': { type: 'boolean' },
  },
});
const iterations = Number(values.iterations ?? 200);
const steps = Number(values.steps ?? 20);
const maskingOnly = values['masking-only'] === true;
const rounds = Math.max(1, Number(values.rounds ?? 1));

const loadStart = loadavg().map((l) => l.toFixed(2));
await initBackend({ backend: 'wasm', log: false });

// The batch of bench/reference/mlm_masking.py: [CLS] + random ids in [999, 30522) + [SEP] + [PAD], lengths U[32, 128];
// bert-base-uncased special ids.
const VOCAB = 30_522;
const FIRST_CONTINUATION = 20_000;
const continuation = new Uint8Array(VOCAB);
for (let id = FIRST_CONTINUATION; id < VOCAB; id++) continuation[id] = 1; // a third of the ids are "##" pieces, for word-level masking
const vocabulary: TokenVocabulary = {
  size: VOCAB,
  padId: 0,
  unkId: 100,
  clsId: 101,
  sepId: 102,
  maskId: 103,
  specialIds: [0, 100, 101, 102, 103],
  sentinelIds: Array.from({ length: 100 }, (_, i) => 1 + i),
  continuation,
};
const rows = 512;
const length = 128;
const ids = new Int32Array(rows * length);
const batchRng = createRng(0);
for (let row = 0; row < rows; row++) {
  const used = 32 + batchRng.int(97);
  ids[row * length] = 101;
  for (let column = 1; column < used - 1; column++) ids[row * length + column] = 999 + batchRng.int(VOCAB - 999);
  ids[row * length + used - 1] = 102;
}

function bench(label: string, fn: (rng: ReturnType<typeof createRng>) => unknown, count = iterations) {
  const rng = createRng(1);
  // V8 compiles the hot loops after some calls: warm up past that before timing.
  for (let i = 0; i < 20; i++) fn(rng);
  const start = performance.now();
  for (let i = 0; i < count; i++) fn(rng);
  const seconds = (performance.now() - start) / 1000;
  const sequencesPerSecond = (count * rows) / seconds;
  return {
    label,
    msPerBatch: (1000 * seconds) / count,
    sequencesPerSecond,
    tokensPerSecond: sequencesPerSecond * length,
  };
}

// The same ids go to the reference (raw int32), so both mask exactly this batch.
const scratch = mkdtempSync(join(tmpdir(), 'selfsup-text-bench-'));
const idsFile = join(scratch, 'ids.bin');
writeFileSync(idsFile, new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength));

/** PyTorch's `variant` on the same batch (sequences/s, bench/reference/mlm_masking.py), or why it was not measured. */
function pytorchMasking(variant: string, threads: number, count: number): number | string {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'reference', 'mlm_masking.py');
  const shape = ['--batch', String(rows), '--length', String(length), '--vocab', String(VOCAB)];
  const run = spawnSync(
    '/usr/bin/python3',
    [
      script,
      '--variant',
      variant,
      '--threads',
      String(threads),
      ...shape,
      '--continuation-from',
      String(FIRST_CONTINUATION),
      '--ids',
      idsFile,
      '--iterations',
      String(count),
    ],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (run.status !== 0) {
    const why = run.error?.message ?? (run.stderr || '').trim().split('\n').pop();
    return `not measured (${why}); install PyTorch for /usr/bin/python3 with \`apt-get install python3-torch\``;
  }
  return (JSON.parse(run.stdout.trim().split('\n').pop() as string) as { sequences_per_s: number }).sequences_per_s;
}

const task = bertMlmTask({ vocabulary });
const samples = tf.tensor2d(ids, [rows, length], 'int32');
const slowCount = Math.max(1, Math.round(iterations / 4));
/** Each masking of @selfsup/text beside the reference variant of the same algorithm. */
const variants: {
  label: string;
  reference: string;
  count: number;
  fn: (rng: ReturnType<typeof createRng>) => unknown;
}[] = [
  {
    label: 'BERT MLM 15 % (maskTokens)',
    reference: 'bert',
    count: iterations,
    fn: (rng) => maskTokens(ids, [rows, length], { vocabulary }, rng),
  },
  {
    label: 'bert-mlm task makeBatch (+ 5 tensors)',
    reference: 'bert',
    count: iterations,
    fn: (rng) => {
      const made = task.makeBatch(samples, { rng, training: true });
      tf.dispose(made as unknown as Tensor[]);
    },
  },
  {
    label: 'whole-word masking',
    reference: 'whole-word',
    count: slowCount,
    fn: (rng) => wholeWordMaskTokens(ids, [rows, length], { vocabulary }, rng),
  },
  {
    label: 'SpanBERT span masking',
    reference: 'span',
    count: slowCount,
    fn: (rng) => spanMaskTokens(ids, [rows, length], { vocabulary }, rng),
  },
  {
    label: 'T5 span corruption',
    reference: 't5',
    count: slowCount,
    fn: (rng) => corruptSpans(ids, [rows, length], { vocabulary }, rng),
  },
];
const referenceRuns = new Map<string, { twoThreads: number | string; oneThread: number | string }>();
/** The faster of two figures, a figure over a reason it is missing. */
const faster = (a: number | string | undefined, b: number | string): number | string =>
  typeof a === 'number' && typeof b === 'number' ? Math.max(a, b) : typeof b === 'number' ? b : (a ?? b);
// On a loaded machine each side is measured `rounds` times, alternating, and keeps its best round.
const masking = variants.map(({ label, reference, count, fn }) => {
  let ours = bench(label, fn, count);
  let pytorch = referenceRuns.get(reference);
  const measureReference = pytorch === undefined;
  for (let round = 0; round < rounds; round++) {
    if (round > 0) {
      const again = bench(label, fn, count);
      if (again.sequencesPerSecond > ours.sequencesPerSecond) ours = again;
    }
    if (measureReference) {
      pytorch = {
        twoThreads: faster(pytorch?.twoThreads, pytorchMasking(reference, 2, count)),
        oneThread: faster(pytorch?.oneThread, pytorchMasking(reference, 1, count)),
      };
    }
  }
  if (pytorch === undefined) throw new Error('text bench: no PyTorch figure was attempted');
  referenceRuns.set(reference, pytorch);
  const measured = [pytorch.twoThreads, pytorch.oneThread].filter((v): v is number => typeof v === 'number');
  // The ratio is taken against PyTorch's faster thread count in this run.
  const best = measured.length > 0 ? Math.max(...measured) : null;
  return { ...ours, reference, pytorch, versusPytorch: best === null ? null : ours.sequencesPerSecond / best };
});
rmSync(scratch, { recursive: true, force: true });

const describe = (pytorch: number | string) => (typeof pytorch === 'number' ? `${pytorch.toFixed(0)}` : pytorch);
console.log(
  `\nmasking, batch ${rows} × ${length}, vocab ${VOCAB}, the same ids for both; PyTorch ${torchVersion()} runs bench/reference/mlm_masking.py --variant <reference> (seq/s at 2 threads / 1 thread; the ratio is against the faster)${rounds > 1 ? `; each side's best of ${rounds} alternating rounds` : ''}`,
);
for (const row of masking) {
  console.log(
    `  ${row.label.padEnd(40)} ${row.msPerBatch.toFixed(2).padStart(7)} ms/batch ${row.sequencesPerSecond.toFixed(0).padStart(7)} seq/s  PyTorch ${row.reference}: ${describe(row.pytorch.twoThreads)} / ${describe(row.pytorch.oneThread)} seq/s${row.versusPytorch === null ? '' : `  ${row.versusPytorch.toFixed(2)}× PyTorch`}`,
  );
}

/** The version of /usr/bin/python3's torch, or that it is missing. */
function torchVersion(): string {
  const run = spawnSync('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : '(missing: apt-get install python3-torch)';
}

/** PyTorch's MLM training tokens/s for the bench's transformer (bench/reference/mlm_training.py), or why not measured. */
function pytorchTrainingTokensPerSecond(threads: number, vocabSize: number): number | string {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'reference', 'mlm_training.py');
  const run = spawnSync(
    '/usr/bin/python3',
    [script, '--threads', String(threads), '--vocab', String(vocabSize), '--steps', String(steps)],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (run.status !== 0) {
    const why = run.error?.message ?? (run.stderr || '').trim().split('\n').pop();
    return `not measured (${why}); install PyTorch for /usr/bin/python3 with \`apt-get install python3-torch\``;
  }
  return (JSON.parse(run.stdout.trim().split('\n').pop() as string) as { tokens_per_s: number }).tokens_per_s;
}

/** Tokenization throughput, and MLM training tokens/s on wasm beside PyTorch's. */
async function tokenizationAndTraining() {
  // Tokenization: WordPiece trained on the Brown corpus, then all of it encoded in batches.
  const sentences = brownDocuments(500).flat();
  let start = performance.now();
  const tokenizer = await trainTokenizer(sentences, { vocabSize: 8192 });
  const trainSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  const encoded = await tokenizer.encodeBatch(sentences);
  const encodeSeconds = (performance.now() - start) / 1000;
  const tokens = encoded.lengths.reduce((a, b) => a + b, 0);
  console.log(
    `tokenization (Rust tokenizers, WordPiece 8192): train ${trainSeconds.toFixed(2)} s on ${sentences.length} sentences; encode ${tokens} tokens in ${encodeSeconds.toFixed(2)} s = ${(tokens / encodeSeconds).toFixed(0)} tokens/s, ${(sentences.length / encodeSeconds).toFixed(0)} sentences/s`,
  );

  // MLM training: the app's default model (2 pre-LN blocks, dim 128, 4 heads) on 32 × 64 Brown tokens per step.
  const blocks = (await Promise.all(brownDocuments(60).map((lines) => tokenizer.tokenIds(lines)))).flatMap((lines) =>
    packSequences(lines, { vocabulary: tokenizer.vocabulary, length: 64 }),
  );
  const model = createTextTransformer({
    vocabSize: tokenizer.vocabSize,
    maxLength: 64,
    padTokenId: tokenizer.vocabulary.padId,
  });
  const objective = taskObjective(bertMlmTask({ vocabulary: tokenizer.vocabulary }), model);
  const data = tokenBatches(blocks, { batchSize: 32, sampleShape: [64], seed: 0, dropRemainder: true });
  await pretrain({
    objective,
    data,
    epochs: 1,
    optimizer: { kind: 'adam' },
    schedule: { kind: 'constant', learningRate: 1e-3 },
    seed: 0,
    maxSteps: 3,
  });
  start = performance.now();
  const run = await pretrain({
    objective,
    data,
    epochs: 10,
    optimizer: { kind: 'adam' },
    schedule: { kind: 'constant', learningRate: 1e-3 },
    seed: 1,
    maxSteps: steps,
  });
  const trainTokensPerSecond = (run.steps * 32 * 64) / ((performance.now() - start) / 1000);
  const parameters = model.trainableVariables.reduce((t, v) => t + v.size, 0);
  // PyTorch trains the same transformer (bench/reference/mlm_training.py) at 1 thread and 2.
  const pytorchTraining = {
    oneThread: pytorchTrainingTokensPerSecond(1, tokenizer.vocabSize),
    twoThreads: pytorchTrainingTokensPerSecond(2, tokenizer.vocabSize),
  };
  const oneThreadRatio =
    typeof pytorchTraining.oneThread === 'number' ? trainTokensPerSecond / pytorchTraining.oneThread : null;
  console.log(
    `MLM training (wasm, 1 thread, ${parameters} parameters, 32 × 64 tokens a step): ${trainTokensPerSecond.toFixed(0)} tokens/s over ${run.steps} steps; PyTorch, the same model and step: ${describe(pytorchTraining.oneThread)} at 1 thread / ${describe(pytorchTraining.twoThreads)} at 2${oneThreadRatio === null ? '' : `  ${oneThreadRatio.toFixed(2)}× PyTorch at 1 thread`}`,
  );
  objective.dispose();
  model.dispose();
  return {
    tokenizerTrainSeconds: trainSeconds,
    tokenizationTokensPerSecond: tokens / encodeSeconds,
    mlmTrainingTokensPerSecond: trainTokensPerSecond,
    pytorchMlmTrainingTokensPerSecond: pytorchTraining,
    mlmTrainingVsPytorch1Thread: oneThreadRatio,
  };
}

const rest = maskingOnly ? {} : await tokenizationAndTraining();
const loadEnd = loadavg().map((l) => l.toFixed(2));
console.log(`load average: start ${loadStart.join(' ')}, end ${loadEnd.join(' ')}`);
console.log(
  JSON.stringify({
    bench: 'text',
    masking: masking.map((m) => ({
      label: m.label,
      sequencesPerSecond: Math.round(m.sequencesPerSecond),
      reference: m.reference,
      pytorchSequencesPerSecond: m.pytorch,
      versusPytorch: m.versusPytorch,
    })),
    ...rest,
    loadavgStart: loadStart,
    loadavgEnd: loadEnd,
  }),
);
samples.dispose();
