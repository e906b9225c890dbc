// In Chromium: a masking task builds its batch from ids the browser's tokenizer gave, leaking nothing.
import { assertNoTensorLeak, createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, expect, it } from 'vitest';
import { IGNORE_INDEX } from '../masking/masked-tokens.js';
import { tokenizerFromJson } from '../tokenizer/load-tokenizer.js';
import type { MaskedTokenBatch } from './masked-language-model-task.js';
import { wholeWordMlmTask } from './whole-word-mlm/whole-word-mlm-task.js';

interface Fixture {
  texts: string[];
  tokenizers: Record<'wordpiece' | 'bpe', { json: string }>;
}

let fixture: Fixture;

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
  const url = new URL('../tokenizer/test-data/brown-tokenizers.json', import.meta.url).href;
  fixture = (await (await fetch(url)).json()) as Fixture;
});

it('whole-word masking of Brown sentences tokenized in the browser: only real tokens, whole words, seeded', async () => {
  const tokenizer = tokenizerFromJson(fixture.tokenizers.wordpiece.json);
  const batch = await tokenizer.encodeBatch(fixture.texts.slice(0, 16), { maxLength: 32, padding: 'max-length' });
  const task = wholeWordMlmTask({ vocabulary: tokenizer.vocabulary });
  const ids = tf.tensor2d(batch.inputIds, [batch.batchSize, batch.sequenceLength], 'int32');
  const make = (seed: number) => task.makeBatch(ids, { rng: createRng(seed), training: true }) as MaskedTokenBatch;
  const masked = make(1);
  const labels = Array.from(masked.targets.dataSync());
  const positions = labels.flatMap((label, i) => (label === IGNORE_INDEX ? [] : [i]));
  expect(positions.length).toBeGreaterThan(0);
  for (const i of positions) {
    expect(batch.specialTokensMask[i]).toBe(0); // never [CLS], [SEP] or padding
    expect(labels[i]).toBe(batch.inputIds[i]);
  }
  // A word is masked whole: a masked continuation piece has its word's first piece masked too.
  for (const i of positions) {
    const column = i % batch.sequenceLength;
    if (tokenizer.vocabulary.continuation[batch.inputIds[i] as number] === 1 && column > 0) {
      expect(labels[i - 1]).not.toBe(IGNORE_INDEX);
    }
  }
  const again = make(1);
  expect(Array.from(again.targets.dataSync())).toEqual(labels);
  await assertNoTensorLeak('wholeWordMlmTask makeBatch', () => tf.dispose(make(2) as unknown as tf.TensorContainer));
  tf.dispose([ids, masked, again] as unknown as tf.TensorContainer);
});
