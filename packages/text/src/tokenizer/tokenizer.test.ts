import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { brownDocuments } from '../test-brown.js';
import { loadTokenizer, tokenizerFromJson } from './load-tokenizer.js';
import { BERT_SPECIAL_TOKENS } from './special-tokens.js';
import type { TextTokenizer } from './text-tokenizer.js';
import { trainTokenizer } from './train-tokenizer.js';

const sentences = brownDocuments(20).flat();
let wordpiece: TextTokenizer;

beforeAll(async () => {
  wordpiece = await trainTokenizer(sentences, { vocabSize: 2000 });
});

/** A BERT-style tokenizer.json written by hand in Hugging Face's format (the BERT paper's example vocabulary). */
function bertStyleJson(): string {
  const vocab = [
    '[PAD]',
    '[UNK]',
    '[CLS]',
    '[SEP]',
    '[MASK]',
    'un',
    '##aff',
    '##able',
    'the',
    'man',
    'went',
    'to',
    'store',
    '.',
    'a',
    '##s',
  ];
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: vocab.slice(0, 5).map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((token, id) => [token, id])),
    },
  });
}

describe('loading a Hugging Face tokenizer.json', () => {
  it('tokenizes as WordPiece does: greedy longest match, ## continuations, [CLS] … [SEP], unknown words → [UNK]', async () => {
    const tokenizer = tokenizerFromJson(bertStyleJson());
    expect(await tokenizer.tokenize('Unaffable')).toEqual(['un', '##aff', '##able']);
    const encoded = await tokenizer.encode('The man went to the store. Xyz');
    expect(encoded.tokens).toEqual(['[CLS]', 'the', 'man', 'went', 'to', 'the', 'store', '.', '[UNK]', '[SEP]']);
    expect(encoded.wordIds).toEqual([-1, 0, 1, 2, 3, 4, 5, 6, 7, -1]);
    const { vocabulary } = tokenizer;
    expect([vocabulary.padId, vocabulary.unkId, vocabulary.clsId, vocabulary.sepId, vocabulary.maskId]).toEqual([
      0, 1, 2, 3, 4,
    ]);
    expect(vocabulary.size).toBe(16);
    expect(Array.from(vocabulary.continuation)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(await tokenizer.decode(encoded.ids)).toBe('the man went to the store.');
  });

  it('names the file and the problem for missing, broken and incomplete tokenizers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfsup-tokenizer-'));
    await expect(loadTokenizer(join(dir, 'missing.json'))).rejects.toThrow(
      /missing\.json: cannot read the tokenizer file \(ENOENT\)/,
    );
    writeFileSync(join(dir, 'broken.json'), '{"model": ');
    await expect(loadTokenizer(join(dir, 'broken.json'))).rejects.toThrow(/broken\.json: not valid JSON/);
    writeFileSync(join(dir, 'latin1.json'), Buffer.from([0x7b, 0xe9, 0x7d]));
    await expect(loadTokenizer(join(dir, 'latin1.json'))).rejects.toThrow(/latin1\.json: not valid UTF-8/);
    const noMask = JSON.parse(bertStyleJson());
    delete noMask.model.vocab['[MASK]'];
    noMask.added_tokens = noMask.added_tokens.filter((t: { content: string }) => t.content !== '[MASK]');
    writeFileSync(join(dir, 'no-mask.json'), JSON.stringify(noMask));
    await expect(loadTokenizer(join(dir, 'no-mask.json'))).rejects.toThrow(
      /no-mask\.json: the vocabulary lacks BERT's special tokens \(\[MASK\]\) and RoBERTa's .*pass specialTokens/,
    );
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ model: { type: 'Nope' } }));
    await expect(loadTokenizer(join(dir, 'wrong.json'))).rejects.toThrow(/wrong\.json: the tokenizers library rejects/);
  });
});

describe('training a tokenizer', () => {
  it('trains WordPiece to the requested size with the special tokens at ids 0–4', async () => {
    expect(wordpiece.vocabSize).toBe(2000);
    expect(wordpiece.vocabulary).toMatchObject({
      padId: 0,
      unkId: 1,
      clsId: 2,
      sepId: 3,
      maskId: 4,
      specialIds: [0, 1, 2, 3, 4],
    });
    for (const [role, token] of Object.entries(BERT_SPECIAL_TOKENS)) {
      expect(wordpiece.tokenToId(token)).toBe(wordpiece.vocabulary[`${role}Id` as 'padId']);
    }
    expect(await wordpiece.tokenize('The jury said it.')).toEqual(['the', 'jury', 'said', 'it', '.']);
    const pieces = await wordpiece.tokenize('Unbelievably');
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.slice(1).every((piece) => piece.startsWith('##'))).toBe(true);
    const ids = await wordpiece.tokenIds(['Unbelievably']);
    expect(Array.from(ids[0] as Int32Array, (id) => wordpiece.vocabulary.continuation[id])).toEqual(
      pieces.map((_, i) => (i === 0 ? 0 : 1)),
    );
  });

  it('trains the same WordPiece and BPE tokenizer every time on the same corpus (ties between merges break one way)', async () => {
    // Few words, many of them equally frequent: the Rust WordPiece trainer alone broke such ties
    // in hash-map order and gave another vocabulary on every run (huggingface/tokenizers#1794).
    const corpus = Array.from(
      { length: 200 },
      (_, i) =>
        `mail ${i % 17} says hello world number ${(i * 7919) % 1000} zebra quick brown fox ${String.fromCharCode(97 + (i % 26), 97 + ((i * 3) % 26))}`,
    );
    for (const settings of [
      { model: 'wordpiece', vocabSize: 120 },
      { model: 'bpe', vocabSize: 300 },
    ] as const) {
      const trained = await Promise.all([1, 2, 3].map(() => trainTokenizer(corpus, settings)));
      const json = await trained[0]!.toJSON();
      for (const other of trained.slice(1)) expect(await other.toJSON()).toBe(json);
      const ids = await Promise.all(trained.map((tokenizer) => tokenizer.tokenIds(['A quick brown mail: zebra 317!'])));
      for (const other of ids.slice(1)) expect(Array.from(other[0]!)).toEqual(Array.from(ids[0]![0]!));
    }
    // And on a real corpus: the vocabulary of the suite's tokenizer, trained again.
    const again = await trainTokenizer(sentences, { vocabSize: 2000 });
    expect(await again.toJSON()).toBe(await wordpiece.toJSON());
  });

  it('encodes batches: padding, truncation that keeps [SEP], attention masks and word ids', async () => {
    const batch = await wordpiece.encodeBatch(['The jury said it.', sentences[0] as string, ''], { maxLength: 12 });
    expect(batch.batchSize).toBe(3);
    expect(batch.sequenceLength).toBe(12);
    const row = (array: ArrayLike<number>, r: number) => Array.from(array).slice(r * 12, (r + 1) * 12);
    expect(row(batch.inputIds, 0).slice(0, 7)).toEqual([
      2,
      ...(await wordpiece.tokenIds(['The jury said it.']))[0]!,
      3,
    ]);
    expect(row(batch.inputIds, 0).slice(7)).toEqual([0, 0, 0, 0, 0]);
    expect(row(batch.attentionMask, 0)).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(row(batch.wordIds, 0)).toEqual([-1, 0, 1, 2, 3, 4, -1, -1, -1, -1, -1, -1]);
    expect(row(batch.inputIds, 1)[11]).toBe(3); // truncated, still ends with [SEP]
    expect(Array.from(batch.lengths)).toEqual([7, 12, 2]);
    expect(row(batch.inputIds, 2).slice(0, 3)).toEqual([2, 3, 0]);
    const fixed = await wordpiece.encodeBatch(['a'], { maxLength: 6, padding: 'max-length' });
    expect(fixed.sequenceLength).toBe(6);
    await expect(wordpiece.encodeBatch(['a'], { padding: 'max-length' })).rejects.toThrow(/needs maxLength/);
    await expect(wordpiece.encodeBatch(['a', 3 as unknown as string])).rejects.toThrow(
      'encodeBatch: text 1 is number, not a string',
    );
  });

  it('loads tokenizer.json from a Blob or File (what a browser passes) as from its path', async () => {
    const json = await wordpiece.toJSON();
    const fromFile = await loadTokenizer(new File([json], 'wordpiece.json'));
    expect(fromFile.source).toBe('wordpiece.json');
    expect(Array.from((await fromFile.encodeBatch(sentences.slice(0, 50))).inputIds)).toEqual(
      Array.from((await wordpiece.encodeBatch(sentences.slice(0, 50))).inputIds),
    );
    await expect(loadTokenizer(new Blob([new Uint8Array([0x7b, 0xe9, 0x7d])]))).rejects.toThrow(
      /tokenizer\.json: not valid UTF-8/,
    );
  });

  it('saves tokenizer.json that loads back to the same tokenization', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'selfsup-tokenizer-')), 'tokenizer.json');
    await wordpiece.save(path);
    const again = await loadTokenizer(path);
    const text = sentences.slice(0, 50);
    expect(Array.from((await again.encodeBatch(text)).inputIds)).toEqual(
      Array.from((await wordpiece.encodeBatch(text)).inputIds),
    );
    expect(again.vocabulary.size).toBe(2000);
  });

  it('trains byte-level BPE that spells any text without [UNK] and decodes it back', async () => {
    const bpe = await trainTokenizer(sentences, { model: 'bpe', vocabSize: 1500, sentinels: 3 });
    expect(bpe.vocabSize).toBe(1500);
    expect(bpe.vocabulary.sentinelIds).toEqual([5, 6, 7]);
    const text = 'Grand jury naïve 🙂 résumé';
    const { ids } = await bpe.encode(text, { addSpecialTokens: false });
    expect(ids).not.toContain(bpe.vocabulary.unkId);
    expect(await bpe.decode(ids)).toBe(text);
    const words = await bpe.tokenize('the jurymen said');
    const flags = words.map((token) => bpe.vocabulary.continuation[bpe.tokenToId(token) as number]);
    expect(flags[0]).toBe(1); // no leading space: byte-level BPE marks word starts with Ġ
    expect(words.filter((token) => token.startsWith('Ġ')).length).toBe(2);
  });

  it('rejects an empty corpus and a vocabulary too small for the alphabet', async () => {
    await expect(trainTokenizer(['', '   '])).rejects.toThrow(
      'trainTokenizer: the corpus is empty (2 texts, no non-blank character)',
    );
    await expect(trainTokenizer(sentences.slice(0, 100), { vocabSize: 20 })).rejects.toThrow(
      /vocabSize 20 cannot hold 5 special tokens and the \d+ symbols of the corpus's alphabet/,
    );
  });
});
