// In Chromium: tokenizer.json runs in @huggingface/tokenizers and gives the ids the native Rust
// tokenizers gave in Node (committed in test-data/brown-tokenizers.json, checked against the native
// library by tokenizer-engines.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer, tokenizerFromJson } from './load-tokenizer.js';
import { trainTokenizer } from './train-tokenizer.js';

interface Fixture {
  texts: string[];
  tokenizers: Record<'wordpiece' | 'bpe', { json: string; ids: number[][]; wordIds: number[][]; decoded: string[] }>;
}

const FIXTURE_URL = new URL('./test-data/brown-tokenizers.json', import.meta.url).href;
let fixture: Fixture;

beforeAll(async () => {
  fixture = (await (await fetch(FIXTURE_URL)).json()) as Fixture;
});

describe.each(['wordpiece', 'bpe'] as const)('a %s tokenizer.json in the browser', (model) => {
  it('encodes Brown sentences to the ids, word ids and decoded text native tokenizers gave in Node', async () => {
    const { json, ids, wordIds, decoded } = fixture.tokenizers[model];
    const tokenizer = await loadTokenizer(new File([json], `${model}.json`, { type: 'application/json' }));
    expect(tokenizer.vocabSize).toBe(1000);
    expect(tokenizer.vocabulary.sentinelIds).toEqual([5, 6]);
    const batch = await tokenizer.encodeBatch(fixture.texts);
    const row = (array: ArrayLike<number>, r: number) =>
      Array.from(array).slice(r * batch.sequenceLength, r * batch.sequenceLength + (batch.lengths[r] as number));
    expect(fixture.texts.map((_, r) => row(batch.inputIds, r))).toEqual(ids);
    expect(fixture.texts.map((_, r) => row(batch.wordIds, r))).toEqual(wordIds);
    expect(await Promise.all(ids.map((sequence) => tokenizer.decode(sequence)))).toEqual(decoded);
  });

  it('truncates to maxLength keeping [SEP], and pads to it', async () => {
    const tokenizer = tokenizerFromJson(fixture.tokenizers[model].json);
    const batch = await tokenizer.encodeBatch(fixture.texts.slice(0, 8), { maxLength: 10, padding: 'max-length' });
    expect(batch.sequenceLength).toBe(10);
    for (let r = 0; r < 8; r++) {
      const expected = fixture.tokenizers[model].ids[r] as number[];
      const length = batch.lengths[r] as number;
      const got = Array.from(batch.inputIds.subarray(r * 10, r * 10 + length));
      expect(got).toEqual(expected.length <= 10 ? expected : [...expected.slice(0, 9), tokenizer.vocabulary.sepId]);
      expect(Array.from(batch.attentionMask.subarray(r * 10, (r + 1) * 10))).toEqual(
        Array.from({ length: 10 }, (_, i) => (i < length ? 1 : 0)),
      );
    }
  });
});

describe('what a browser cannot do', () => {
  it('loads a tokenizer.json from a URL, and names the URL when it cannot', async () => {
    const url = URL.createObjectURL(new Blob([fixture.tokenizers.wordpiece.json]));
    const tokenizer = await loadTokenizer(url);
    expect(await tokenizer.tokenize('The jury said it.')).toEqual(['the', 'jury', 'said', 'it', '.']);
    URL.revokeObjectURL(url);
    await expect(loadTokenizer('/no/such/tokenizer.json')).rejects.toThrow(
      /\/no\/such\/tokenizer\.json: cannot read the tokenizer file/,
    );
  });

  it('trainTokenizer throws, naming the way: train in Node, load tokenizer.json', async () => {
    await expect(trainTokenizer(['some text'])).rejects.toThrow(
      /trainTokenizer\(texts\) .* is Node-only; in a browser, train in Node .* loadTokenizer\(url or File\) or tokenizerFromJson\(text\)/,
    );
  });

  it('save(path) throws, naming toJSON(); toJSON gives the tokenizer.json back', async () => {
    const tokenizer = tokenizerFromJson(fixture.tokenizers.bpe.json);
    await expect(tokenizer.save('tokenizer.json')).rejects.toThrow(
      /is Node-only; in a browser call tokenizer\.toJSON\(\)/,
    );
    const again = tokenizerFromJson(await tokenizer.toJSON());
    expect(Array.from((await again.encodeBatch(fixture.texts)).inputIds)).toEqual(
      Array.from((await tokenizer.encodeBatch(fixture.texts)).inputIds),
    );
  });
});
