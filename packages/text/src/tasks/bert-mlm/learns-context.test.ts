import { initBackend, tf } from '@selfsup/backend';
import { createTextTransformer } from '@selfsup/models';
import { pretrain, taskObjective } from '@selfsup/trainer';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenBatches } from '../../data/token-batches.js';
import { createTokenVocabulary } from '../../tokenizer/token-vocabulary.js';
import { bertMlmTask } from './bert-mlm-task.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

const SIZE = 60;
const vocabulary = createTokenVocabulary(SIZE);

/** `[CLS] x1…x15 [SEP] x1…x15 [SEP]` with random x: a masked token is known only from its copy 16 positions away. */
function copySequences(count: number): Int32Array[] {
  let state = 7;
  const next = () => {
    state = (state * 48271) % 2147483647;
    return 5 + (state % (SIZE - 5));
  };
  return Array.from({ length: count }, () => {
    const half = Array.from({ length: 15 }, next);
    return Int32Array.from([vocabulary.clsId, ...half, vocabulary.sepId, ...half, vocabulary.sepId]);
  });
}

describe('the MLM stack (BERT masking, text transformer, trainer)', () => {
  it('learns to read context: masked tokens of a copied half are predicted from their copy', async () => {
    // Tokens are uniform over 55 ids, so no unigram model beats 1/55 ≈ 1.8 %; only attention to the
    // other half can. This guards the attention, position embeddings and tied MLM head as a whole.
    const before = tf.memory().numTensors;
    const model = createTextTransformer({
      vocabSize: SIZE,
      maxLength: 33,
      dim: 64,
      depth: 2,
      heads: 4,
      padTokenId: 0,
      seed: 0,
    });
    const objective = taskObjective(bertMlmTask({ vocabulary, maskProbability: 0.3 }), model, { seed: 1 });
    const run = await pretrain({
      objective,
      data: tokenBatches(copySequences(2048), { batchSize: 32, sampleShape: [33], seed: 0, dropRemainder: true }),
      epochs: 3,
      maxSteps: 150,
      optimizer: { kind: 'adamw', weightDecay: 0.01 },
      schedule: { kind: 'warmup-cosine', learningRate: 2e-3, warmupSteps: 20, totalSteps: 150 },
      gradientClipNorm: 1,
      seed: 0,
      metricsEverySteps: 10,
    });
    const accuracies = run.history
      .filter((record) => record.metrics !== undefined)
      .map((record) => record.metrics?.maskedTokenAccuracy as number);
    expect(accuracies[0]).toBeLessThan(0.1);
    const last = accuracies.slice(-3);
    expect(last.reduce((a, b) => a + b, 0) / last.length).toBeGreaterThan(0.6);
    objective.dispose?.();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 180_000);
});
