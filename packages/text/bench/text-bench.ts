// Benchmarks of @selfsup/text: masking throughput beside PyTorch's (bench/reference/mlm_masking.py,
// measured in the same run at 2 threads and 1), tokenization throughput, and MLM training tokens/s on
// wasm. Prints a table and one JSON line.
//   npx -y pnpm@10 --filter @selfsup/text bench [-- --iterations 200 --steps 20]
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
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
  options: { iterations: { type: 'string' }, steps: { type: 'string' } },
});
const iterations = Number(values.iterations ?? 200);
const steps = Number(values.steps ?? 20);

const loadStart = loadavg().map((l) => l.toFixed(2));
await initBackend({ backend: 'wasm', log: false });

// The batch of bench/reference/mlm_masking.py: [CLS] + random ids in [999, 30522) + [SEP] + [PAD], lengths U[32, 128];
// bert-base-uncased special ids.
const VOCAB = 30_522;
const continuation = new Uint8Array(VOCAB);
for (let id = 20_000; id < VOCAB; id++) continuation[id] = 1; // a third of the ids are "##" pieces, for word-level masking
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
  for (let i = 0; i < 5; i++) fn(rng);
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

const task = bertMlmTask({ vocabulary });
const samples = tf.tensor2d(ids, [rows, length], 'int32');
const masking = [
  bench('BERT MLM maskTokens (typed arrays)', (rng) => maskTokens(ids, [rows, length], { vocabulary }, rng)),
  bench('bert-mlm task makeBatch (+ 5 tensors)', (rng) => {
    const made = task.makeBatch(samples, { rng, training: true });
    tf.dispose(made as unknown as Tensor[]);
  }),
  bench('whole-word masking', (rng) => wholeWordMaskTokens(ids, [rows, length], { vocabulary }, rng), 50),
  bench('SpanBERT span masking', (rng) => spanMaskTokens(ids, [rows, length], { vocabulary }, rng), 50),
  bench('T5 span corruption', (rng) => corruptSpans(ids, [rows, length], { vocabulary }, rng), 50),
];

/** PyTorch's vectorized BERT masking of the same batch shape (sequences/s), or why it was not measured. */
function pytorchMasking(threads: number): number | string {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'reference', 'mlm_masking.py');
  const shape = ['--batch', String(rows), '--length', String(length), '--vocab', String(VOCAB)];
  const run = spawnSync(
    '/usr/bin/python3',
    [script, '--threads', String(threads), ...shape, '--iterations', String(iterations)],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (run.status !== 0) {
    const why = run.error?.message ?? (run.stderr || '').trim().split('\n').pop();
    return `not measured (${why}); apt-get install python3-torch`;
  }
  return (JSON.parse(run.stdout.trim().split('\n').pop() as string) as { sequences_per_s: number }).sequences_per_s;
}
const pytorch = { twoThreads: pytorchMasking(2), oneThread: pytorchMasking(1) };
const versusPytorch = (sequencesPerSecond: number, reference: number | string) =>
  typeof reference === 'number' ? sequencesPerSecond / reference : null;

// Tokenization: WordPiece trained on the Brown corpus, then all of it encoded in batches.
const sentences = brownDocuments(500).flat();
let start = performance.now();
const tokenizer = await trainTokenizer(sentences, { vocabSize: 8192 });
const trainSeconds = (performance.now() - start) / 1000;
start = performance.now();
const encoded = await tokenizer.encodeBatch(sentences);
const encodeSeconds = (performance.now() - start) / 1000;
const tokens = encoded.lengths.reduce((a, b) => a + b, 0);

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

const loadEnd = loadavg().map((l) => l.toFixed(2));
console.log(
  typeof pytorch.twoThreads === 'number' && typeof pytorch.oneThread === 'number'
    ? `\nmasking, batch ${rows} × ${length}, vocab ${VOCAB} (PyTorch vectorized, bench/reference/mlm_masking.py: ${pytorch.twoThreads.toFixed(0)} seq/s at 2 threads, ${pytorch.oneThread.toFixed(0)} at 1)`
    : `\nmasking, batch ${rows} × ${length}, vocab ${VOCAB} (PyTorch: ${typeof pytorch.twoThreads === 'string' ? pytorch.twoThreads : pytorch.oneThread})`,
);
for (const row of masking) {
  const ratio = versusPytorch(row.sequencesPerSecond, pytorch.twoThreads);
  console.log(
    `  ${row.label.padEnd(40)} ${row.msPerBatch.toFixed(2).padStart(7)} ms/batch ${row.sequencesPerSecond.toFixed(0).padStart(9)} seq/s${ratio === null ? '' : `  ${ratio.toFixed(2)}× PyTorch (2 threads)`}`,
  );
}
console.log(
  `tokenization (Rust tokenizers, WordPiece 8192): train ${trainSeconds.toFixed(2)} s on ${sentences.length} sentences; encode ${tokens} tokens in ${encodeSeconds.toFixed(2)} s = ${(tokens / encodeSeconds).toFixed(0)} tokens/s, ${(sentences.length / encodeSeconds).toFixed(0)} sentences/s`,
);
console.log(
  `MLM training (wasm, 1 thread, ${model.trainableVariables.reduce((t, v) => t + v.size, 0)} parameters): ${trainTokensPerSecond.toFixed(0)} tokens/s over ${run.steps} steps`,
);
console.log(`load average: start ${loadStart.join(' ')}, end ${loadEnd.join(' ')}`);
console.log(
  JSON.stringify({
    bench: 'text',
    maskingSequencesPerSecond: Object.fromEntries(masking.map((m) => [m.label, Math.round(m.sequencesPerSecond)])),
    pytorchMaskingSequencesPerSecond: pytorch,
    bertMaskingVsPytorch2Threads: versusPytorch(masking[0]!.sequencesPerSecond, pytorch.twoThreads),
    bertMaskingVsPytorch1Thread: versusPytorch(masking[0]!.sequencesPerSecond, pytorch.oneThread),
    taskMakeBatchVsPytorch2Threads: versusPytorch(masking[1]!.sequencesPerSecond, pytorch.twoThreads),
    tokenizerTrainSeconds: trainSeconds,
    tokenizationTokensPerSecond: tokens / encodeSeconds,
    mlmTrainingTokensPerSecond: trainTokensPerSecond,
    loadavgStart: loadStart,
    loadavgEnd: loadEnd,
  }),
);
objective.dispose();
model.dispose();
samples.dispose();
