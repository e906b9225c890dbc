// The browser's tokenizer engine (@huggingface/tokenizers, JavaScript) against Node's (native Rust
// tokenizers) on the same tokenizer.json files: the same ids, word ids, special-token flags,
// truncation, offsets and decoded text, on thousands of sentences of the Brown corpus.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { brownDocuments } from '../test-brown.js';
import { createTokenizerEngine as createBrowserEngine } from './tokenizer-engine.browser.js';
import { createTokenizerEngine as createNodeEngine } from './tokenizer-engine.node.js';
import { trainTokenizer } from './train-tokenizer.js';

const documents = brownDocuments(64);
/** Files 0–39 train; every sentence of 50 files is encoded (about 5 600); files 60–63 make the fixture. */
const training = documents.slice(0, 40).flat();
const corpus = documents.slice(0, 50).flat();
/** Text the Brown corpus lacks: accents, CJK, emoji, added tokens inside text, runs of spaces, control characters. */
const edgeCases = [
  'Café résumé naïve Ünïcode ÅNGSTRÖM',
  '東京 は 大きい 都市 です。',
  'emoji 🙂 and 👍🏽 here',
  'the [MASK] man [SEP]went [CLS]',
  '  leading   and trailing   ',
  'tab\there\r\nnewline\u0000control\u200bzero-width',
  "don't they're we'll 1,234.56 $100 #hashtag @user",
  '',
  'x',
];

/** The committed tokenizers and their Node encodings, which the browser test checks in Chromium. */
const FIXTURE = new URL('./test-data/brown-tokenizers.json', import.meta.url);

interface Fixture {
  texts: string[];
  tokenizers: Record<'wordpiece' | 'bpe', { json: string; ids: number[][]; wordIds: number[][]; decoded: string[] }>;
}

const tokenizerJson: Record<'wordpiece' | 'bpe', string> = { wordpiece: '', bpe: '' };

beforeAll(async () => {
  for (const model of ['wordpiece', 'bpe'] as const) {
    tokenizerJson[model] = await (await trainTokenizer(training, { model, vocabSize: 1000, sentinels: 2 })).toJSON();
  }
}, 120_000);

describe.each(['wordpiece', 'bpe'] as const)('the %s tokenizer in JavaScript and in Rust', (model) => {
  it('gives the same ids, word ids and special-token flags for every sentence of 50 Brown files', async () => {
    const native = createNodeEngine(tokenizerJson[model], model);
    const js = createBrowserEngine(tokenizerJson[model], model);
    const texts = [...corpus, ...edgeCases];
    expect(texts.length).toBeGreaterThan(5000);
    for (const addSpecialTokens of [true, false]) {
      const expected = await native.encodeRows(texts, undefined, addSpecialTokens);
      const actual = await js.encodeRows(texts, undefined, addSpecialTokens);
      const differing = texts.filter((_, i) => !sameRow(expected[i], actual[i]));
      expect(differing).toEqual([]);
    }
  });

  it('truncates as Rust does, keeping the special tokens', async () => {
    const native = createNodeEngine(tokenizerJson[model], model);
    const js = createBrowserEngine(tokenizerJson[model], model);
    const texts = corpus.slice(0, 500);
    for (const maxLength of [2, 3, 8, 32]) {
      const expected = await native.encodeRows(texts, maxLength, true);
      const actual = await js.encodeRows(texts, maxLength, true);
      expect(texts.filter((_, i) => !sameRow(expected[i], actual[i]))).toEqual([]);
    }
  });

  it('gives the same tokens, offsets and decoded text', async () => {
    const native = createNodeEngine(tokenizerJson[model], model);
    const js = createBrowserEngine(tokenizerJson[model], model);
    for (const text of [...corpus.slice(0, 1000), ...edgeCases]) {
      const [expected, actual] = [await native.encode(text, true), await js.encode(text, true)];
      expect({ text, ...actual }).toEqual({ text, ...expected });
      for (const skip of [true, false]) {
        expect(await js.decode(expected.ids, skip)).toBe(await native.decode(expected.ids, skip));
      }
    }
  });
});

describe('the fixture the browser test reads', () => {
  it('holds what the native tokenizers give today (SELFSUP_UPDATE_FIXTURES=1 writes it anew)', async () => {
    const texts = [...documents.slice(60, 64).flat().slice(0, 120), ...edgeCases];
    if (process.env.SELFSUP_UPDATE_FIXTURES === '1' || !existsSync(FIXTURE)) {
      const fixture: Fixture = { texts, tokenizers: {} as Fixture['tokenizers'] };
      for (const model of ['wordpiece', 'bpe'] as const) {
        const native = createNodeEngine(tokenizerJson[model], model);
        const rows = await native.encodeRows(texts, undefined, true);
        fixture.tokenizers[model] = {
          json: tokenizerJson[model],
          ids: rows.map((row) => Array.from(row.ids)),
          wordIds: rows.map((row) => Array.from(row.words)),
          decoded: await Promise.all(rows.map((row) => native.decode(Array.from(row.ids), true))),
        };
      }
      writeFileSync(FIXTURE, `${JSON.stringify(fixture)}\n`);
    }
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;
    expect(fixture.texts).toEqual(texts);
    for (const model of ['wordpiece', 'bpe'] as const) {
      const { json, ids, wordIds, decoded } = fixture.tokenizers[model];
      const native = createNodeEngine(json, model);
      const rows = await native.encodeRows(fixture.texts, undefined, true);
      expect(rows.map((row) => Array.from(row.ids))).toEqual(ids);
      expect(rows.map((row) => Array.from(row.words))).toEqual(wordIds);
      expect(await Promise.all(rows.map((row) => native.decode(Array.from(row.ids), true)))).toEqual(decoded);
    }
  });
});

function sameRow(
  a: { ids: Int32Array; special: Uint8Array; words: Int32Array } | undefined,
  b: { ids: Int32Array; special: Uint8Array; words: Int32Array } | undefined,
): boolean {
  if (a === undefined || b === undefined) return false;
  const same = (x: ArrayLike<number>, y: ArrayLike<number>) =>
    x.length === y.length && Array.from(x).every((value, i) => value === y[i]);
  return same(a.ids, b.ids) && same(a.special, b.special) && same(a.words, b.words);
}
