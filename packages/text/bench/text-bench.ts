// Benchmarks of @selfsup/text: masking throughput beside ../shared/peer's PyTorch figure, tokenization
// throughput, and MLM training tokens/s on wasm. Prints a table and one JSON line.
//   npx -y pnpm@10 --filter @selfsup/text bench [-- --iterations 200 --steps 20]
import { loadavg } from 'node:os';
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
// ../shared/peer/RESULTS.md, mlm_mask_bench.py `vectorized` (special mask with torch.isin + masking), 512 × 128, vocab 30522.
const PYTORCH_SEQUENCES_PER_SECOND = { twoThreads: 141_869, oneThread: 203_215 };

const loadStart = loadavg().map((l) => l.toFixed(2));
await initBackend({ backend: 'wasm', log: false });

// The peer's batch: [CLS] + random ids in [999, 30522) + [SEP] + [PAD], lengths U[32, 128]; bert-base-uncased special ids.
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
  `\nmasking, batch ${rows} × ${length}, vocab ${VOCAB} (PyTorch vectorized: ${PYTORCH_SEQUENCES_PER_SECOND.twoThreads} seq/s at 2 threads, ${PYTORCH_SEQUENCES_PER_SECOND.oneThread} at 1)`,
);
for (const row of masking) {
  console.log(
    `  ${row.label.padEnd(40)} ${row.msPerBatch.toFixed(2).padStart(7)} ms/batch ${row.sequencesPerSecond.toFixed(0).padStart(9)} seq/s  ${(row.sequencesPerSecond / PYTORCH_SEQUENCES_PER_SECOND.twoThreads).toFixed(2)}× PyTorch (2 threads)`,
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
    bertMaskingVsPytorch2Threads: masking[0]!.sequencesPerSecond / PYTORCH_SEQUENCES_PER_SECOND.twoThreads,
    bertMaskingVsPytorch1Thread: masking[0]!.sequencesPerSecond / PYTORCH_SEQUENCES_PER_SECOND.oneThread,
    taskMakeBatchVsPytorch2Threads: masking[1]!.sequencesPerSecond / PYTORCH_SEQUENCES_PER_SECOND.twoThreads,
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
