import { SPECIAL_TOKEN_ROLES, type SpecialTokens, sentinelToken } from './special-tokens.js';
import type { TokenVocabulary } from './token-vocabulary.js';
import type { EncodedRow, TokenizerEngine } from './tokenizer-engine.js';

/** How {@link TextTokenizer.encodeBatch} shapes its output. */
export interface EncodeBatchOptions {
  /**
   * Longest sequence in tokens, special tokens included; longer texts are truncated (their end is
   * cut, the special tokens kept). Default: no limit.
   */
  maxLength?: number;
  /** `longest` (default): pad to the longest sequence of the batch; `max-length`: to `maxLength`. */
  padding?: 'longest' | 'max-length';
  /** Add the tokenizer's special tokens (`[CLS] … [SEP]` for BERT), default true. */
  addSpecialTokens?: boolean;
}

/**
 * A batch of encoded texts as flat, row-major typed arrays [batchSize, sequenceLength], padded
 * with the pad id on the right — ready for `tf.tensor2d(inputIds, [batchSize, sequenceLength], 'int32')`.
 */
export interface EncodedBatch {
  readonly batchSize: number;
  readonly sequenceLength: number;
  /** Token ids; padding holds the pad id. */
  readonly inputIds: Int32Array;
  /** 1 for real tokens (special ones included), 0 for padding. */
  readonly attentionMask: Uint8Array;
  /** 1 for the special tokens the tokenizer added and for padding. */
  readonly specialTokensMask: Uint8Array;
  /** Index of the word each token belongs to within its text, −1 for special tokens and padding. */
  readonly wordIds: Int32Array;
  /** Tokens per text before padding. */
  readonly lengths: Int32Array;
}

/** One encoded text with its tokens and character offsets (for inspection and alignment). */
export interface EncodedText {
  ids: number[];
  tokens: string[];
  /** Word index per token, −1 for special tokens. */
  wordIds: number[];
  /** [start, end) character offsets of each token in the normalized text. */
  offsets: Array<[number, number]>;
}

/** What a tokenizer was built from, for {@link TextTokenizer}'s constructor. */
export interface TextTokenizerParts {
  /** What runs the tokenizer.json: native `tokenizers` in Node, `@huggingface/tokenizers` in a browser. */
  engine: TokenizerEngine;
  /** The tokenizer.json the engine was made from (to inspect its model). */
  json: TokenizerJson;
  specialTokens: SpecialTokens;
  /** Where it came from, for error messages (a path, or `trained on …`). */
  source: string;
}

/** The parts of a Hugging Face tokenizer.json that selfsup reads. */
export interface TokenizerJson {
  added_tokens?: Array<{ id: number; content: string; special: boolean }>;
  pre_tokenizer?: { type: string; pretokenizers?: Array<{ type: string }> } | null;
  model: {
    type: string;
    vocab: Record<string, number> | Array<[string, number]>;
    continuing_subword_prefix?: string | null;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * A tokenizer backed by Hugging Face's Rust `tokenizers` in Node (the npm package's prebuilt
 * native bindings) and by its JavaScript implementation `@huggingface/tokenizers` in a browser —
 * the same ids either way: the normalization, pre-tokenization, model and post-processing that
 * `tokenizer.json` describes, as in Python or Rust. Made by `loadTokenizer` (any tokenizer.json) or
 * `trainTokenizer` (WordPiece or BPE on your corpus, Node only).
 *
 * @example
 * const tokenizer = await loadTokenizer('bert-base-uncased/tokenizer.json');
 * const batch = await tokenizer.encodeBatch(['Hello world.', 'Self-supervised!'], { maxLength: 128 });
 * const ids = tf.tensor2d(batch.inputIds, [batch.batchSize, batch.sequenceLength], 'int32');
 */
export class TextTokenizer {
  /** Ids of the special tokens, sentinels and word-continuation flags, for masking tasks. */
  readonly vocabulary: TokenVocabulary;
  readonly specialTokens: Readonly<SpecialTokens>;
  /** Where the tokenizer came from (a file path, or `trained on …`). */
  readonly source: string;
  /** The model type of tokenizer.json: `WordPiece`, `BPE`, `Unigram`, `WordLevel`. */
  readonly modelType: string;

  private readonly engine: TokenizerEngine;
  private readonly idToTokenTable: string[];

  constructor(parts: TextTokenizerParts) {
    this.engine = parts.engine;
    this.source = parts.source;
    this.specialTokens = Object.freeze({ ...parts.specialTokens });
    this.modelType = parts.json.model.type;
    const vocab = parts.engine.vocab();
    let size = 0;
    for (const id of Object.values(vocab)) size = Math.max(size, id + 1);
    this.idToTokenTable = new Array<string>(size).fill('');
    for (const [token, id] of Object.entries(vocab)) this.idToTokenTable[id] = token;
    const idOf = (role: (typeof SPECIAL_TOKEN_ROLES)[number]): number => {
      const token = parts.specialTokens[role];
      const id = vocab[token];
      if (id === undefined) {
        throw new Error(
          `${parts.source}: the vocabulary has no ${role} token '${token}'; pass specialTokens with the names this tokenizer uses`,
        );
      }
      return id;
    };
    const sentinelIds: number[] = [];
    for (let i = 0; vocab[sentinelToken(i)] !== undefined; i++) sentinelIds.push(vocab[sentinelToken(i)] as number);
    const specialIds = new Set<number>(SPECIAL_TOKEN_ROLES.map(idOf));
    for (const added of parts.json.added_tokens ?? []) if (added.special) specialIds.add(added.id);
    const continuation = continuationFlags(parts.json, this.idToTokenTable);
    for (const id of specialIds) continuation[id] = 0;
    for (const id of sentinelIds) continuation[id] = 0;
    this.vocabulary = Object.freeze({
      size,
      padId: idOf('pad'),
      unkId: idOf('unk'),
      clsId: idOf('cls'),
      sepId: idOf('sep'),
      maskId: idOf('mask'),
      specialIds: [...specialIds].sort((a, b) => a - b),
      sentinelIds,
      continuation,
    });
  }

  /** Number of token ids (special tokens included). */
  get vocabSize(): number {
    return this.vocabulary.size;
  }

  /** The token string of an id. @throws if the id is not in the vocabulary. */
  idToToken(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
      throw new Error(`${this.source}: token id ${id} is not in the vocabulary of size ${this.vocabSize}`);
    }
    return this.idToTokenTable[id] as string;
  }

  /** The id of a token string, or undefined when the vocabulary does not have it. */
  tokenToId(token: string): number | undefined {
    return this.engine.tokenToId(token);
  }

  /** Encodes one text (special tokens added) with its tokens, word ids and offsets. */
  async encode(text: string, options: { addSpecialTokens?: boolean } = {}): Promise<EncodedText> {
    checkText(text, 0, 'encode');
    return this.engine.encode(text, options.addSpecialTokens ?? true);
  }

  /**
   * Encodes texts (in parallel on Rust threads in Node) into padded typed arrays.
   * @throws if a text is not a string, or `padding: 'max-length'` comes without `maxLength`.
   */
  async encodeBatch(texts: readonly string[], options: EncodeBatchOptions = {}): Promise<EncodedBatch> {
    const { maxLength } = options;
    if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 1)) {
      throw new Error(`encodeBatch: maxLength must be a positive integer, got ${maxLength}`);
    }
    if (options.padding === 'max-length' && maxLength === undefined) {
      throw new Error("encodeBatch: padding 'max-length' needs maxLength");
    }
    texts.forEach((text, i) => {
      checkText(text, i, 'encodeBatch');
    });
    const rows = await this.engine.encodeRows(texts, maxLength, options.addSpecialTokens ?? true);
    let longest = 0;
    for (const row of rows) longest = Math.max(longest, row.ids.length);
    const sequenceLength = options.padding === 'max-length' ? (maxLength as number) : longest;
    const batchSize = texts.length;
    const inputIds = new Int32Array(batchSize * sequenceLength).fill(this.vocabulary.padId);
    const attentionMask = new Uint8Array(batchSize * sequenceLength);
    const specialTokensMask = new Uint8Array(batchSize * sequenceLength).fill(1);
    const wordIds = new Int32Array(batchSize * sequenceLength).fill(-1);
    const lengths = new Int32Array(batchSize);
    rows.forEach((row, r) => {
      const offset = r * sequenceLength;
      lengths[r] = row.ids.length;
      inputIds.set(row.ids, offset);
      attentionMask.fill(1, offset, offset + row.ids.length);
      specialTokensMask.set(row.special, offset);
      wordIds.set(row.words, offset);
    });
    return { batchSize, sequenceLength, inputIds, attentionMask, specialTokensMask, wordIds, lengths };
  }

  /**
   * Token ids of each text without special tokens or padding (for packing a corpus into blocks).
   */
  async tokenIds(texts: readonly string[]): Promise<Int32Array[]> {
    texts.forEach((text, i) => {
      checkText(text, i, 'tokenIds');
    });
    return (await this.engine.encodeRows(texts, undefined, false)).map((row: EncodedRow) => row.ids);
  }

  /** The text of token ids; special tokens are dropped unless `skipSpecialTokens` is false. */
  decode(ids: ArrayLike<number>, options: { skipSpecialTokens?: boolean } = {}): Promise<string> {
    return this.engine.decode(Array.from(ids), options.skipSpecialTokens ?? true);
  }

  /** The tokens of a text (no special tokens), e.g. `['self', '-', 'super', '##vised']`. */
  async tokenize(text: string): Promise<string[]> {
    return (await this.encode(text, { addSpecialTokens: false })).tokens;
  }

  /**
   * Writes the tokenizer as Hugging Face tokenizer.json (loadable by `tokenizers` in Python and Rust).
   * @throws in a browser, which has no file system: use {@link TextTokenizer.toJSON} there.
   */
  save(path: string): Promise<void> {
    return this.engine.save(path);
  }

  /** The tokenizer.json text. */
  toJSON(): Promise<string> {
    return this.engine.toJSON();
  }
}

function checkText(text: unknown, index: number, caller: string): void {
  if (typeof text !== 'string') {
    throw new Error(`${caller}: text ${index} is ${text === null ? 'null' : typeof text}, not a string`);
  }
}

/**
 * Which tokens continue the word before them, by the conventions of the tokenizer's model:
 * WordPiece (and BPE with a continuing-subword prefix) mark continuations with a prefix (`##`);
 * byte-level BPE marks word starts with `Ġ` (an encoded space) and SentencePiece-style models with
 * `▁`. Other models: every token is its own word.
 */
function continuationFlags(json: TokenizerJson, idToToken: readonly string[]): Uint8Array {
  const flags = new Uint8Array(idToToken.length);
  const model = json.model;
  const preTokenizers = [json.pre_tokenizer?.type, ...(json.pre_tokenizer?.pretokenizers ?? []).map((p) => p.type)];
  let rule: ((token: string) => boolean) | undefined;
  const prefix = model.continuing_subword_prefix ?? (model.type === 'WordPiece' ? '##' : null);
  if (prefix) rule = (token) => token.startsWith(prefix) && token.length > prefix.length;
  else if (preTokenizers.includes('ByteLevel')) rule = (token) => !token.startsWith('Ġ');
  else if (preTokenizers.includes('Metaspace') || model.type === 'Unigram') rule = (token) => !token.startsWith('▁');
  if (rule === undefined) return flags;
  idToToken.forEach((token, id) => {
    if (token !== '' && rule(token)) flags[id] = 1;
  });
  return flags;
}
