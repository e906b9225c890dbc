import { trainVocabulary } from '#tokenizer-trainer';
import { tokenizerFromJson } from './load-tokenizer.js';
import { BERT_SPECIAL_TOKENS, SPECIAL_TOKEN_ROLES, type SpecialTokens, sentinelToken } from './special-tokens.js';
import type { TextTokenizer, TokenizerJson } from './text-tokenizer.js';

export interface TrainTokenizerOptions {
  /**
   * `wordpiece` (BERT: BERT normalizer and pre-tokenizer, `##` continuations) or `bpe`
   * (byte-level BPE as GPT-2/RoBERTa: every byte representable, no unknown token). Default wordpiece.
   */
  model?: 'wordpiece' | 'bpe';
  /** Vocabulary size, special tokens and sentinels included (default 8192); a small corpus can run out of merges first. */
  vocabSize?: number;
  /** Lowercase (and strip accents) before tokenizing; default true for wordpiece, false for bpe. */
  lowercase?: boolean;
  /** Names of the special tokens (default BERT's); they get ids 0–4 in the order pad, unk, cls, sep, mask. */
  specialTokens?: SpecialTokens;
  /** T5 sentinel tokens `<extra_id_0>…` to add after the special tokens (default 0; T5 uses 100). */
  sentinels?: number;
}

/** What {@link trainTokenizer} resolved. */
interface ResolvedTraining {
  model: 'wordpiece' | 'bpe';
  vocabSize: number;
  lowercase: boolean;
  specialTokens: SpecialTokens;
  sentinels: number;
}

/**
 * Trains a WordPiece or byte-level BPE vocabulary on a corpus with Hugging Face `tokenizers`
 * (its Rust trainer), then fixes the special tokens at ids 0–4 (sentinels next), adds BERT's
 * post-processing (`[CLS] A [SEP]`, `[CLS] A [SEP] B [SEP]`) and a decoder. The corpus streams
 * through a temporary file, so it is never held in memory at once.
 *
 * The library's Node bindings train to a fixed 30 000 entries; the merges are learned greedily in
 * order, so keeping the first `vocabSize` entries is exactly the vocabulary a trainer stopped at
 * `vocabSize` learns (every kept token's parts are kept too).
 *
 * Node only: a browser has no trainer — train in Node, save tokenizer.json, and load it there.
 *
 * @example
 * const tokenizer = await trainTokenizer(readLines('corpus.txt'), { vocabSize: 8192 });
 * await tokenizer.save('runs/tokenizer.json');
 * @throws if the corpus has no text, a text is not a string, or `vocabSize` cannot hold the
 *   special tokens and the alphabet; in a browser, always (naming the alternative).
 */
export async function trainTokenizer(
  texts: Iterable<string> | AsyncIterable<string>,
  options: TrainTokenizerOptions = {},
): Promise<TextTokenizer> {
  const model = options.model ?? 'wordpiece';
  if (model !== 'wordpiece' && model !== 'bpe') {
    throw new Error(`trainTokenizer: model must be 'wordpiece' or 'bpe', got '${model}'`);
  }
  const resolved: ResolvedTraining = {
    model,
    vocabSize: options.vocabSize ?? 8192,
    lowercase: options.lowercase ?? model === 'wordpiece',
    specialTokens: options.specialTokens ?? BERT_SPECIAL_TOKENS,
    sentinels: options.sentinels ?? 0,
  };
  if (!Number.isInteger(resolved.vocabSize) || resolved.vocabSize < 16 || resolved.vocabSize > 30_000) {
    throw new Error(`trainTokenizer: vocabSize must be an integer in [16, 30000], got ${resolved.vocabSize}`);
  }
  if (!Number.isInteger(resolved.sentinels) || resolved.sentinels < 0) {
    throw new Error(`trainTokenizer: sentinels must be a non-negative integer, got ${resolved.sentinels}`);
  }
  const { trained, texts: count, byteLevelAlphabet } = await trainVocabulary(texts, resolved);
  const json = finalTokenizerJson(trained, resolved, byteLevelAlphabet);
  return tokenizerFromJson(JSON.stringify(json), {
    specialTokens: resolved.specialTokens,
    source: `${model} tokenizer trained on ${count} texts`,
  });
}

/** The trained tokenizer with fixed special ids, a vocabulary of `vocabSize`, a post-processor and a decoder. */
function finalTokenizerJson(
  trained: TokenizerJson,
  options: ResolvedTraining,
  byteLevelAlphabet: readonly string[],
): TokenizerJson {
  const specials = [
    ...SPECIAL_TOKEN_ROLES.map((role) => options.specialTokens[role]),
    ...Array.from({ length: options.sentinels }, (_, i) => sentinelToken(i)),
  ];
  if (new Set(specials).size !== specials.length) {
    throw new Error(`trainTokenizer: special tokens must be distinct, got ${specials.join(', ')}`);
  }
  const learned = Object.entries(trained.model.vocab as Record<string, number>)
    .sort((a, b) => a[1] - b[1])
    .map(([token]) => token)
    .filter((token) => !specials.includes(token));
  const prefix = options.model === 'wordpiece' ? '##' : '';
  const isBase = (token: string) => [...token.slice(token.startsWith(prefix) ? prefix.length : 0)].length === 1;
  const base = learned.filter(isBase);
  if (options.model === 'bpe') {
    for (const symbol of byteLevelAlphabet) if (!base.includes(symbol)) base.push(symbol);
  }
  const room = options.vocabSize - specials.length - base.length;
  if (room < 0) {
    throw new Error(
      `trainTokenizer: vocabSize ${options.vocabSize} cannot hold ${specials.length} special tokens and the ` +
        `${base.length} symbols of the corpus's alphabet; use a vocabSize of at least ${specials.length + base.length}`,
    );
  }
  const merged = learned.filter((token) => !isBase(token)).slice(0, room);
  // The Rust trainer breaks ties between equally frequent merges in hash-map order
  // (huggingface/tokenizers#1794), so its ids vary between runs. WordPiece only uses the set of
  // tokens: sorted ids make equal sets equal tokenizers. BPE's merge order is its ranking: kept.
  const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  base.sort(byCodePoint);
  if (options.model === 'wordpiece') merged.sort(byCodePoint);
  const tokens = [...specials, ...base, ...merged];
  const vocab: Record<string, number> = {};
  tokens.forEach((token, id) => {
    vocab[token] = id;
  });
  const model: TokenizerJson['model'] = { ...trained.model, vocab };
  if (options.model === 'bpe') {
    const merges = (trained.model.merges ?? []) as Array<string | [string, string]>;
    model.merges = merges.filter((merge) => {
      const [left, right] = typeof merge === 'string' ? (merge.split(' ') as [string, string]) : merge;
      return left in vocab && right in vocab && `${left}${right}` in vocab;
    });
  }
  const specialToken = (role: 'cls' | 'sep') => options.specialTokens[role];
  const cls = specialToken('cls');
  const sep = specialToken('sep');
  return {
    ...trained,
    truncation: null,
    padding: null,
    added_tokens: specials.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: cls, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: sep, type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: cls, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: sep, type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: sep, type_id: 1 } },
      ],
      special_tokens: {
        [cls]: { id: cls, ids: [vocab[cls]], tokens: [cls] },
        [sep]: { id: sep, ids: [vocab[sep]], tokens: [sep] },
      },
    },
    decoder:
      options.model === 'wordpiece'
        ? { type: 'WordPiece', prefix: '##', cleanup: true }
        : { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    model,
  };
}
