/**
 * What masking tasks need to know about a vocabulary, as plain data: its size, the ids of the
 * special tokens, and which tokens continue a word. Made by a tokenizer
 * (`tokenizer.vocabulary`) or by hand in tests.
 */
export interface TokenVocabulary {
  /** Number of token ids, special tokens included (ids are 0..size−1). */
  readonly size: number;
  readonly padId: number;
  readonly unkId: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly maskId: number;
  /** Every id masking must leave alone: the five roles, sentinels and any other added special token. */
  readonly specialIds: readonly number[];
  /** T5 sentinels `<extra_id_0>`, `<extra_id_1>`, … in order (empty when the tokenizer has none). */
  readonly sentinelIds: readonly number[];
  /**
   * Per id, 1 when the token continues the word before it (WordPiece `##ing`; a byte-level BPE
   * token without the `Ġ` space marker), else 0. Whole-word and span masking group tokens by it.
   */
  readonly continuation: Uint8Array;
}

/**
 * Checks a vocabulary's consistency.
 * @throws naming the first field that is out of range.
 */
export function checkVocabulary(vocabulary: TokenVocabulary, caller: string): void {
  const { size } = vocabulary;
  if (!Number.isInteger(size) || size < 2)
    throw new Error(`${caller}: vocabulary.size must be an integer ≥ 2, got ${size}`);
  for (const role of ['padId', 'unkId', 'clsId', 'sepId', 'maskId'] as const) {
    const id = vocabulary[role];
    if (!Number.isInteger(id) || id < 0 || id >= size) {
      throw new Error(`${caller}: vocabulary.${role} ${id} is not an id of the vocabulary of size ${size}`);
    }
  }
  for (const id of [...vocabulary.specialIds, ...vocabulary.sentinelIds]) {
    if (!Number.isInteger(id) || id < 0 || id >= size) {
      throw new Error(`${caller}: special token id ${id} is not an id of the vocabulary of size ${size}`);
    }
  }
  if (vocabulary.continuation.length !== size) {
    throw new Error(
      `${caller}: vocabulary.continuation has ${vocabulary.continuation.length} entries for a vocabulary of size ${size}`,
    );
  }
}

/** A lookup table over ids: 1 for every special id (the five roles, sentinels, other specials). */
export function specialIdTable(vocabulary: TokenVocabulary): Uint8Array {
  const table = new Uint8Array(vocabulary.size);
  for (const id of [
    vocabulary.padId,
    vocabulary.unkId,
    vocabulary.clsId,
    vocabulary.sepId,
    vocabulary.maskId,
    ...vocabulary.specialIds,
    ...vocabulary.sentinelIds,
  ]) {
    table[id] = 1;
  }
  return table;
}

/** Options of {@link createTokenVocabulary}. */
export interface CreateTokenVocabularyOptions {
  /** T5 sentinels after the five special tokens, at ids 5, 6, … (default 0). */
  sentinels?: number;
  /** Per id, 1 for a token that continues a word (default: none does). */
  continuation?: Uint8Array;
}

/**
 * A vocabulary of `size` ids laid out as the tokenizers trained here lay theirs out: [PAD] [UNK]
 * [CLS] [SEP] [MASK] at ids 0–4, then the sentinels, then plain tokens — for masking and token
 * tasks made before (or without) a tokenizer: tests, and stand-ins while a config is validated.
 *
 * @example
 * const vocabulary = createTokenVocabulary(1000, { sentinels: 100 }); // sentinelIds 5–104
 * @throws naming the field when the layout does not fit in `size` ids.
 */
export function createTokenVocabulary(size: number, options: CreateTokenVocabularyOptions = {}): TokenVocabulary {
  const vocabulary: TokenVocabulary = {
    size,
    padId: 0,
    unkId: 1,
    clsId: 2,
    sepId: 3,
    maskId: 4,
    specialIds: [0, 1, 2, 3, 4],
    sentinelIds: Array.from({ length: options.sentinels ?? 0 }, (_, i) => 5 + i),
    continuation: options.continuation ?? new Uint8Array(size),
  };
  checkVocabulary(vocabulary, 'createTokenVocabulary');
  return vocabulary;
}
