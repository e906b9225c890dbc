import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertNoTensorLeak, initBackend, type Tensor2D, type Tensor3D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveModule } from './module-io.js';
import { createTextEncoderDecoder } from './text-encoder-decoder.js';
import { createTextTransformer, loadTextTransformer } from './text-transformer.js';
import { createWord2Vec } from './word2vec.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

const ids = (rows: number[][]) => tf.tensor2d(rows, [rows.length, (rows[0] as number[]).length], 'int32');

describe('text transformer', () => {
  it('ignores padding: a row’s outputs do not depend on how much padding follows it', () => {
    const model = createTextTransformer({ vocabSize: 50, maxLength: 8, dim: 16, depth: 2, heads: 4, seed: 2 });
    const short = ids([[2, 10, 11, 12, 3]]);
    const padded = ids([[2, 10, 11, 12, 3, 0, 0, 0]]);
    const a = tf.tidy(() => model.encodeTokens(short, { training: false }).arraySync() as number[][][]);
    const b = tf.tidy(() =>
      (model.encodeTokens(padded, { training: false }).arraySync() as number[][][])[0]?.slice(0, 5),
    );
    a[0]?.forEach((row, t) => {
      row.forEach((value, d) => {
        expect(value).toBeCloseTo(b?.[t]?.[d] as number, 4);
      });
    });
    const pooledShort = tf.tidy(() => Array.from(model.apply(short, { training: false }).dataSync()));
    const pooledPadded = tf.tidy(() => Array.from(model.apply(padded, { training: false }).dataSync()));
    pooledShort.forEach((value, d) => {
      expect(value).toBeCloseTo(pooledPadded[d] as number, 4);
    });
    tf.dispose([short, padded]);
    model.dispose();
  });

  it('ties the MLM output layer to the token embeddings, trains, saves, loads and leaks nothing', async () => {
    const model = createTextTransformer({ vocabSize: 40, maxLength: 6, dim: 8, depth: 1, heads: 2, seed: 3 });
    expect(model.trainableVariables.filter((v) => v.shape.join() === '40,8')).toHaveLength(1); // one table, shared
    const input = ids([
      [2, 5, 6, 7, 3, 0],
      [2, 8, 9, 3, 0, 0],
    ]);
    const hidden = tf.tidy(() => tf.reshape(model.encodeTokens(input, { training: true }), [12, 8]) as Tensor2D);
    const grads = tf.variableGrads(
      () => tf.sum(model.mlmLogits(hidden, { training: true })) as tf.Scalar,
      [model.tokenEmbeddings],
    );
    expect(
      tf.tidy(() => tf.sum(tf.abs(grads.grads[model.tokenEmbeddings.name] as tf.Tensor)).dataSync()[0]),
    ).toBeGreaterThan(0);
    tf.dispose([grads.value, ...Object.values(grads.grads)]);
    await assertNoTensorLeak('encodeTokens', () => model.encodeTokens(input, { training: true }));
    await assertNoTensorLeak('apply', () => model.apply(input, { training: false }));
    await assertNoTensorLeak('mlmLogits', () => model.mlmLogits(hidden, { training: false }));
    const dir = join(mkdtempSync(join(tmpdir(), 'selfsup-text-model-')), 'encoder');
    await saveModule(model, dir);
    const again = await loadTextTransformer(dir);
    expect(Array.from(again.apply(input, { training: false }).dataSync())).toEqual(
      Array.from(model.apply(input, { training: false }).dataSync()),
    );
    expect(() => model.apply(tf.zeros([1, 7], 'int32'), { training: false })).toThrow(
      'text_transformer: sequences of 7 tokens are longer than maxLength 6',
    );
    expect(() => createTextTransformer({ vocabSize: 10, padTokenId: 10 })).toThrow(/padTokenId 10 is not an id/);
    await expect(loadTextTransformer(join(dir, 'nope'))).rejects.toThrow(/no saved text transformer here/);
    tf.dispose([input, hidden]);
    model.dispose();
    again.dispose();
  });
});

describe('text encoder-decoder', () => {
  it('decodes causally: logits at step t do not depend on decoder inputs after t', () => {
    const model = createTextEncoderDecoder({
      vocabSize: 30,
      maxInputLength: 8,
      maxTargetLength: 6,
      dim: 16,
      heads: 2,
      seed: 1,
    });
    const input = ids([[2, 5, 6, 7, 3, 0]]);
    const logitsOf = (decoder: number[]) =>
      tf.tidy(() => {
        const encoded = model.encodeTokens(input, { training: false }) as Tensor3D;
        return model.decodeLogits(ids([decoder]), encoded, input, { training: false }).arraySync() as number[][][];
      });
    const a = logitsOf([0, 9, 10, 11]);
    const b = logitsOf([0, 9, 20, 21]);
    expect(a[0]?.[1]).toEqual(b[0]?.[1]);
    expect(a[0]?.[2]).not.toEqual(b[0]?.[2]);
    input.dispose();
    model.dispose();
  });
});

describe('word2vec', () => {
  it('looks up word vectors, averages context bags without padding, starts context vectors at 0', () => {
    const model = createWord2Vec({ vocabSize: 20, dim: 4, seed: 1 });
    const vectors = model.wordVectors.arraySync() as number[][];
    expect(Math.max(...vectors.flat().map(Math.abs))).toBeLessThanOrEqual(0.5 / 4);
    const bag = tf.tidy(() => model.apply(ids([[3, 5, 0, 0]]), { training: false }).arraySync() as number[][]);
    bag[0]?.forEach((value, d) => {
      expect(value).toBeCloseTo(((vectors[3]?.[d] as number) + (vectors[5]?.[d] as number)) / 2, 6);
    });
    const context = tf.tidy(() => model.embedContext(tf.tensor1d([1, 2], 'int32')).dataSync());
    expect(Array.from(context).every((v) => v === 0)).toBe(true);
    // Seeded: the same seed starts from the same vectors, another seed from others.
    const again = createWord2Vec({ vocabSize: 20, dim: 4, seed: 1 });
    const other = createWord2Vec({ vocabSize: 20, dim: 4, seed: 2 });
    expect(again.wordVectors.arraySync()).toEqual(vectors);
    expect(other.wordVectors.arraySync()).not.toEqual(vectors);
    again.dispose();
    other.dispose();
    model.dispose();
  });
});
