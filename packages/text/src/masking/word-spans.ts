import type { TokenVocabulary } from '../tokenizer/token-vocabulary.js';
import { idOutOfRange } from './masked-tokens.js';

/**
 * The words of one row of token ids: word w covers columns [starts[w], ends[w]). A word is a
 * non-special token that does not continue a word, followed by the tokens that continue it
 * (`vocabulary.continuation`: WordPiece `##…`). Special tokens belong to no word; a continuation
 * right after a special token starts a word of its own.
 */
export interface RowWords {
  starts: Int32Array;
  ends: Int32Array;
  count: number;
  /** Non-special tokens of the row (the masking budget is a fraction of them). */
  tokens: number;
}

/**
 * Groups the tokens of row `row` of `ids` [rows, length] into words.
 * @throws for an id outside the vocabulary, naming its position.
 */
export function rowWords(
  ids: ArrayLike<number>,
  row: number,
  length: number,
  vocabulary: TokenVocabulary,
  special: Uint8Array,
  caller: string,
): RowWords {
  const starts = new Int32Array(length);
  const ends = new Int32Array(length);
  let count = 0;
  let tokens = 0;
  let open = false;
  const offset = row * length;
  for (let column = 0; column < length; column++) {
    const id = ids[offset + column] as number;
    if (!(id >= 0 && id < vocabulary.size) || !Number.isInteger(id)) {
      throw idOutOfRange(caller, id, offset + column, length, vocabulary.size);
    }
    if (special[id] === 1) {
      open = false;
      continue;
    }
    tokens++;
    if (open && vocabulary.continuation[id] === 1) {
      ends[count - 1] = column + 1;
      continue;
    }
    starts[count] = column;
    ends[count] = column + 1;
    count++;
    open = true;
  }
  return { starts, ends, count, tokens };
}
