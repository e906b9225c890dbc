import { assertNoTensorLeak, initBackend, tf } from '@selfsup/backend';
import { createTextTransformer } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { packSequences } from '../data/pack-sequences.js';
import type { TextTokenizer } from '../tokenizer/text-tokenizer.js';
import { trainTokenizer } from '../tokenizer/train-tokenizer.js';
import { tokenCounts } from '../word2vec/token-counts.js';
import { bagOfWordsFeatures, frequentTokenIds, passageFeatures } from './passage-features.js';
import { documentPassages, textEncoderProbe } from './text-encoder-probe.js';

const sentences = [
  'The council met on Monday and voted twice on the budget.',
  'The mayor spoke to the press after the meeting ended.',
  'Entropy never decreases in an isolated system.',
  'A proof follows from the lemma and the second law.',
  'The reporters asked the mayor about the new taxes.',
  'The theorem holds for every closed system we consider.',
];
let tokenizer: TextTokenizer;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
  tokenizer = await trainTokenizer(sentences, { vocabSize: 200 });
});

describe('documentPassages', () => {
  it('packs each document and keeps its first sequences', async () => {
    const documents = [sentences, sentences.slice(0, 1), []];
    const passages = await documentPassages(documents, tokenizer, { sequenceLength: 12, sequencesPerDocument: 2 });
    const whole = packSequences(await tokenizer.tokenIds(sentences), { vocabulary: tokenizer.vocabulary, length: 12 });
    expect(whole.length).toBeGreaterThan(2);
    expect(passages[0]).toEqual(whole.slice(0, 2));
    expect(passages[1]).toHaveLength(1);
    expect(passages[2]).toEqual([]);
    expect(passages.flat().every((sequence) => sequence.length === 12)).toBe(true);
  });
});

describe('textEncoderProbe', () => {
  it('gives the labeled passages and the extractors of the pretrained row and both floors', async () => {
    const encoder = createTextTransformer({
      vocabSize: tokenizer.vocabSize,
      maxLength: 16,
      dim: 8,
      heads: 2,
      depth: 1,
    });
    const randomInit = createTextTransformer({
      vocabSize: tokenizer.vocabSize,
      maxLength: 16,
      dim: 8,
      heads: 2,
      depth: 1,
      seed: 100,
    });
    const train = { documents: [sentences.slice(0, 2), sentences.slice(2, 4)], labels: [1, 0], classes: ['a', 'b'] };
    const test = { documents: [sentences.slice(4, 6)], labels: [1], classes: ['a', 'b'] };
    const probe = await textEncoderProbe(encoder, {
      tokenizer,
      sequenceLength: 16,
      train,
      test,
      randomInit,
      bagOfWordsSize: 5,
    });
    expect(probe.train.labels).toEqual([1, 0]);
    expect(probe.test.examples).toEqual(await documentPassages(test.documents, tokenizer, { sequenceLength: 16 }));
    expect(Object.keys(probe.floors)).toEqual(['random-init', 'bag-of-words']);
    await assertNoTensorLeak('textEncoderProbe extractors', () => {
      const pretrained = probe.pretrained(probe.train.examples);
      const random = probe.floors['random-init']?.(probe.train.examples) as tf.Tensor;
      const words = probe.floors['bag-of-words']?.(probe.test.examples) as tf.Tensor;
      expect(pretrained.shape).toEqual([2, 8]);
      expect(words.shape).toEqual([1, 5]);
      const direct = passageFeatures(randomInit, probe.train.examples);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(random, direct))).dataSync()[0])).toBe(0);
      // The bag-of-words columns are the 5 most frequent tokens of the training passages.
      const columns = frequentTokenIds(
        tokenCounts(probe.train.examples.flat(), tokenizer.vocabSize),
        tokenizer.vocabulary,
        5,
      );
      const counts = bagOfWordsFeatures(probe.test.examples, columns);
      expect(Array.from(words.dataSync())).toEqual(Array.from(counts.dataSync()));
      tf.dispose([pretrained, random, words, direct, counts]);
    });
    const withoutTwin = await textEncoderProbe(encoder, { tokenizer, sequenceLength: 16, train, test });
    expect(Object.keys(withoutTwin.floors)).toEqual(['bag-of-words']);
    encoder.dispose();
    randomInit.dispose();
  });
});
