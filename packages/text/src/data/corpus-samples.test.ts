import { describe, expect, it } from 'vitest';
import { brownDocuments } from '../test-brown.js';
import { trainTokenizer } from '../tokenizer/train-tokenizer.js';
import { corpusSamples, segmentLength } from './corpus-samples.js';

const documents = brownDocuments(2);

describe('corpusSamples', () => {
  it('packs every document into sequences, or cuts it into samples of consecutive segments', async () => {
    const tokenizer = await trainTokenizer(documents.flat(), { vocabSize: 300 });
    const packed = await corpusSamples(documents, tokenizer, { sequenceLength: 32 });
    expect(packed.sampleShape).toEqual([32]);
    expect(packed.samples.length).toBeGreaterThan(2);
    expect(packed.samples.every((sample) => sample.length === 32)).toBe(true);
    expect(packed.description).toBe(`${packed.samples.length} sequences of 32 tokens`);
    const segmented = await corpusSamples(documents, tokenizer, { sequenceLength: 32, segments: 2 });
    expect(segmentLength(32, 2)).toBe(14);
    expect(segmented.sampleShape).toEqual([2, 14]);
    expect(segmented.samples.every((sample) => sample.length === 28)).toBe(true);
    expect(segmented.description).toBe(`${segmented.samples.length} samples of 2 consecutive segments × 14 tokens`);
    expect((await corpusSamples([], tokenizer, { sequenceLength: 32 })).description).toBe('0 sequences of 32 tokens');
  });
});
