import { readFile } from 'node:fs/promises';
import { Tokenizer as NativeTokenizer } from 'tokenizers';
import {
  BERT_SPECIAL_TOKENS,
  ROBERTA_SPECIAL_TOKENS,
  SPECIAL_TOKEN_ROLES,
  type SpecialTokens,
} from './special-tokens.js';
import { TextTokenizer, type TokenizerJson } from './text-tokenizer.js';

export interface LoadTokenizerOptions {
  /**
   * The names of the special tokens. Default: BERT's (`[PAD]`, `[CLS]`, …) when the vocabulary has
   * them all, else RoBERTa's (`<pad>`, `<s>`, …).
   */
  specialTokens?: SpecialTokens;
}

/**
 * Loads a Hugging Face `tokenizer.json` (from `tokenizers`, `transformers`' fast tokenizers, or
 * {@link TextTokenizer.save}): its normalizer, pre-tokenizer, model (WordPiece, BPE, Unigram,
 * WordLevel), post-processor and decoder run as they do in Python.
 *
 * @example
 * const tokenizer = await loadTokenizer('models/bert-base-uncased/tokenizer.json');
 * @throws naming the file when it cannot be read, is not JSON, is not a tokenizer the library
 *   accepts, or lacks one of the special tokens.
 */
export async function loadTokenizer(path: string, options: LoadTokenizerOptions = {}): Promise<TextTokenizer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`${path}: cannot read the tokenizer file (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${path}: not valid UTF-8 text (a tokenizer.json is UTF-8 JSON)`);
  }
  return tokenizerFromJson(text, { ...options, source: path });
}

/**
 * {@link loadTokenizer} from tokenizer.json text.
 * @throws as {@link loadTokenizer}, naming `options.source` (default `tokenizer.json`).
 */
export function tokenizerFromJson(
  text: string,
  options: LoadTokenizerOptions & { source?: string } = {},
): TextTokenizer {
  const source = options.source ?? 'tokenizer.json';
  let json: TokenizerJson;
  try {
    json = JSON.parse(text) as TokenizerJson;
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || typeof json.model !== 'object' || json.model === null) {
    throw new Error(`${source}: not a Hugging Face tokenizer.json (no "model" object)`);
  }
  let native: NativeTokenizer;
  try {
    native = NativeTokenizer.fromString(text);
  } catch (error) {
    throw new Error(`${source}: the tokenizers library rejects this tokenizer.json (${(error as Error).message})`);
  }
  const specialTokens = options.specialTokens ?? guessSpecialTokens(native, source);
  return new TextTokenizer({ native, json, specialTokens, source });
}

function guessSpecialTokens(native: NativeTokenizer, source: string): SpecialTokens {
  const missing = (tokens: SpecialTokens) =>
    SPECIAL_TOKEN_ROLES.map((role) => tokens[role]).filter((token) => native.tokenToId(token) === null);
  for (const candidate of [BERT_SPECIAL_TOKENS, ROBERTA_SPECIAL_TOKENS]) {
    if (missing(candidate).length === 0) return candidate;
  }
  throw new Error(
    `${source}: the vocabulary lacks BERT's special tokens (${missing(BERT_SPECIAL_TOKENS).join(', ')}) ` +
      `and RoBERTa's (${missing(ROBERTA_SPECIAL_TOKENS).join(', ')}); pass specialTokens naming its pad, unk, cls, sep and mask tokens`,
  );
}
