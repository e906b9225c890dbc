import type { EncodedText } from './text-tokenizer.js';

/** One encoded text as {@link TextTokenizer} packs it: ids, special-token flags and word ids, unpadded. */
export interface EncodedRow {
  ids: Int32Array;
  /** 1 for the special tokens the post-processor added (`[CLS]`, `[SEP]`). */
  special: Uint8Array;
  /** Word index per token, −1 for added special tokens. */
  words: Int32Array;
}

/**
 * What runs a tokenizer.json for {@link TextTokenizer}: in Node Hugging Face's Rust `tokenizers`
 * (native bindings), in a browser its JavaScript implementation `@huggingface/tokenizers` — both
 * read the same file and give the same ids. Made by `createTokenizerEngine` of `#tokenizer-engine`.
 */
export interface TokenizerEngine {
  /** Token → id, added tokens included. */
  vocab(): Record<string, number>;
  tokenToId(token: string): number | undefined;
  encode(text: string, addSpecialTokens: boolean): Promise<EncodedText>;
  /** Encodes texts; `maxLength` truncates each to that many tokens, special tokens kept. */
  encodeRows(texts: readonly string[], maxLength: number | undefined, addSpecialTokens: boolean): Promise<EncodedRow[]>;
  decode(ids: number[], skipSpecialTokens: boolean): Promise<string>;
  /** The tokenizer.json text. */
  toJSON(): Promise<string>;
  /** Writes tokenizer.json to a file (Node only). */
  save(path: string): Promise<void>;
}
