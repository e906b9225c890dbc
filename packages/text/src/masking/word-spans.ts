import { idOutOfRange } from './masked-tokens.js';

/**
 * The words of one row of token ids: word w covers columns [starts[w], ends[w]). A word is a
 * non-special token that does not continue a word, followed by the tokens that continue it
 * (`vocabulary.continuation`: WordPiece `##…`). Special tokens belong to no word; a continuation
 * right after a special token starts a word of its own.
 *
 * One table serves every row of a batch ({@link createRowWords}, then {@link fillRowWords} per
 * row): the masking loops allocate nothing per row.
 */
export interface RowWords {
  starts: Int32Array;
  ends: Int32Array;
  count: number;
  /** Non-special tokens of the row (the masking budget is a fraction of them). */
  tokens: number;
}

/** An empty {@link RowWords} for rows of `length` tokens. */
export function createRowWords(length: number): RowWords {
  return { starts: new Int32Array(length), ends: new Int32Array(length), count: 0, tokens: 0 };
}

/**
 * Groups the tokens of row `row` of `ids` [rows, length] (checked ids, {@link checkedTokenIds})
 * into words, overwriting `words`.
 */
export function fillRowWords(
  words: RowWords,
  ids: Int32Array,
  row: number,
  length: number,
  special: Uint8Array,
  continuation: Uint8Array,
): void {
  const { starts, ends } = words;
  let count = 0;
  let tokens = 0;
  let open = false;
  const offset = row * length;
  for (let column = 0; column < length; column++) {
    const id = ids[offset + column] as number;
    if (special[id] === 1) {
      open = false;
      continue;
    }
    tokens++;
    if (open && continuation[id] === 1) {
      ends[count - 1] = column + 1;
      continue;
    }
    starts[count] = column;
    ends[count] = column + 1;
    count++;
    open = true;
  }
  words.count = count;
  words.tokens = tokens;
}

/**
 * A copy of `ids` as an Int32Array, every id checked to be an integer in [0, size).
 * @throws for the first id outside the vocabulary, naming its position [row, column].
 */
export function checkedTokenIds(ids: ArrayLike<number>, length: number, size: number, caller: string): Int32Array {
  const count = ids.length;
  const copy = new Int32Array(count);
  if (ids instanceof Int32Array || ids instanceof Uint16Array || ids instanceof Uint8Array) {
    // Integers already: one range check per id.
    copy.set(ids);
    for (let i = 0; i < count; i++) {
      const id = copy[i] as number;
      if (id < 0 || id >= size) throw idOutOfRange(caller, id, i, length, size);
    }
    return copy;
  }
  for (let i = 0; i < count; i++) {
    const id = ids[i] as number;
    if (!(id >= 0 && id < size) || !Number.isInteger(id)) throw idOutOfRange(caller, id, i, length, size);
    copy[i] = id;
  }
  return copy;
}
