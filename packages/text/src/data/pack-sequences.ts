import type { TokenVocabulary } from '../tokenizer/token-vocabulary.js';

export interface PackSequencesOptions {
  vocabulary: TokenVocabulary;
  /** Block length, `[CLS]` and `[SEP]` included. */
  length: number;
  /** A document's last, shorter block is kept only with at least this many tokens (default 8). */
  minTokens?: number;
}

/**
 * Packs one document into blocks `[CLS] tokens… [SEP] [PAD]…` of exactly `length` ids (RoBERTa's
 * DOC-SENTENCES packing, Liu et al. 2019): lines (sentences) are kept whole and in order while
 * they fit, a line longer than a block is split, and blocks never cross documents.
 *
 * @param lines token ids of each line, without special tokens (`tokenizer.tokenIds(lines)`).
 * @example
 * const blocks = packSequences(await tokenizer.tokenIds(document.lines), { vocabulary, length: 128 });
 * @throws if `length` leaves no room for a token.
 */
export function packSequences(lines: readonly ArrayLike<number>[], options: PackSequencesOptions): Int32Array[] {
  const { vocabulary, length } = options;
  const minTokens = options.minTokens ?? 8;
  const capacity = length - 2;
  if (!Number.isInteger(length) || capacity < 1) {
    throw new Error(`packSequences: length must be an integer ≥ 3 (room for [CLS], [SEP] and a token), got ${length}`);
  }
  const blocks: Int32Array[] = [];
  let current: number[] = [];
  const flush = (final: boolean) => {
    if (current.length === 0 || (final && blocks.length > 0 && current.length < minTokens)) return;
    const block = new Int32Array(length).fill(vocabulary.padId);
    block[0] = vocabulary.clsId;
    block.set(current, 1);
    block[current.length + 1] = vocabulary.sepId;
    blocks.push(block);
    current = [];
  };
  for (const line of lines) {
    if (line.length === 0) continue;
    if (current.length + line.length <= capacity) {
      for (let i = 0; i < line.length; i++) current.push(line[i] as number);
      continue;
    }
    flush(false);
    let start = 0;
    while (line.length - start > capacity) {
      current = Array.from({ length: capacity }, (_, i) => line[start + i] as number);
      flush(false);
      start += capacity;
    }
    for (let i = start; i < line.length; i++) current.push(line[i] as number);
  }
  flush(true);
  return blocks;
}
