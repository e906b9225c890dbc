import { createTokenizerEngine, readTokenizerText } from '#tokenizer-engine';
import {
  BERT_SPECIAL_TOKENS,
  ROBERTA_SPECIAL_TOKENS,
  SPECIAL_TOKEN_ROLES,
  type SpecialTokens,
} from './special-tokens.js';
import { TextTokenizer, type TokenizerJson } from './text-tokenizer.js';
import type { TokenizerEngine } from './tokenizer-engine.js';

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
 * WordLevel), post-processor and decoder run as they do in Python. `source` is a file path in Node
 * and a URL (fetched) in a browser; a `Blob`/`File` works on both.
 *
 * @example
 * const tokenizer = await loadTokenizer('models/bert-base-uncased/tokenizer.json');
 * // in a browser: await loadTokenizer('/tokenizer.json') or await loadTokenizer(input.files[0])
 * @throws naming the file when it cannot be read, is not JSON, is not a tokenizer the library
 *   accepts, or lacks one of the special tokens.
 */
export async function loadTokenizer(source: string | Blob, options: LoadTokenizerOptions = {}): Promise<TextTokenizer> {
  const text = await readTokenizerText(source);
  const name = typeof source === 'string' ? source : ((source as File).name ?? 'tokenizer.json');
  return tokenizerFromJson(text, { ...options, source: name });
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
  const engine = createTokenizerEngine(text, source);
  const specialTokens = options.specialTokens ?? guessSpecialTokens(engine, source);
  return new TextTokenizer({ engine, json, specialTokens, source });
}

function guessSpecialTokens(engine: TokenizerEngine, source: string): SpecialTokens {
  const missing = (tokens: SpecialTokens) =>
    SPECIAL_TOKEN_ROLES.map((role) => tokens[role]).filter((token) => engine.tokenToId(token) === undefined);
  for (const candidate of [BERT_SPECIAL_TOKENS, ROBERTA_SPECIAL_TOKENS]) {
    if (missing(candidate).length === 0) return candidate;
  }
  throw new Error(
    `${source}: the vocabulary lacks BERT's special tokens (${missing(BERT_SPECIAL_TOKENS).join(', ')}) ` +
      `and RoBERTa's (${missing(ROBERTA_SPECIAL_TOKENS).join(', ')}); pass specialTokens naming its pad, unk, cls, sep and mask tokens`,
  );
}
