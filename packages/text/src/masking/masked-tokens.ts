import type { Rng } from '@selfsup/backend';
import { checkVocabulary, specialIdTable, type TokenVocabulary } from '../tokenizer/token-vocabulary.js';

/** The label of a position the loss ignores (PyTorch's and Hugging Face's `ignore_index`). */
export const IGNORE_INDEX = -100;

/** A batch of token ids after masking, flat row-major [rows, length] like its input. */
export interface MaskedTokens {
  /** The corrupted ids the model reads. */
  inputIds: Int32Array;
  /** The original id at every selected position, {@link IGNORE_INDEX} (−100) elsewhere. */
  labels: Int32Array;
  /** Flat indices (row · length + column) of the selected positions, ascending. */
  maskedPositions: Int32Array;
}

/** How selected tokens are replaced (BERT, Devlin et al. 2019: 80 % `[MASK]`, 10 % random, 10 % kept). */
export interface TokenReplacementOptions {
  /** Of the selected tokens, the fraction replaced by `[MASK]` (default 0.8). */
  maskReplaceProbability: number;
  /** Of the selected tokens, the fraction replaced by a random non-special token (default 0.1); the rest stay. */
  randomReplaceProbability: number;
}

export const DEFAULT_REPLACEMENT: Readonly<TokenReplacementOptions> = Object.freeze({
  maskReplaceProbability: 0.8,
  randomReplaceProbability: 0.1,
});

/** Per-vocabulary lookup tables, built once per vocabulary object. */
export interface VocabularyTables {
  /** 1 for ids masking never selects: the special tokens, sentinels and padding. */
  special: Uint8Array;
  /** Ids a random replacement draws from: every non-special id. */
  replacementIds: Int32Array;
}

const tablesCache = new WeakMap<TokenVocabulary, VocabularyTables>();

/** The lookup tables of a vocabulary (checked and cached on first use). */
export function vocabularyTables(vocabulary: TokenVocabulary, caller: string): VocabularyTables {
  const cached = tablesCache.get(vocabulary);
  if (cached !== undefined) return cached;
  checkVocabulary(vocabulary, caller);
  const special = specialIdTable(vocabulary);
  const replacementIds = new Int32Array(vocabulary.size - special.reduce((n, s) => n + s, 0));
  let next = 0;
  for (let id = 0; id < vocabulary.size; id++) if (special[id] === 0) replacementIds[next++] = id;
  if (replacementIds.length === 0) throw new Error(`${caller}: the vocabulary has only special tokens`);
  const tables = { special, replacementIds };
  tablesCache.set(vocabulary, tables);
  return tables;
}

/** @throws if the replacement probabilities are not in [0, 1] or add up to more than 1. */
export function checkReplacement(options: TokenReplacementOptions, caller: string): void {
  const { maskReplaceProbability: mask, randomReplaceProbability: random } = options;
  if (!(mask >= 0 && mask <= 1) || !(random >= 0 && random <= 1) || mask + random > 1 + 1e-12) {
    throw new Error(
      `${caller}: maskReplaceProbability (${mask}) and randomReplaceProbability (${random}) must be in [0, 1] and add up to at most 1`,
    );
  }
}

/** @throws if `ids` does not hold rows × length values. */
export function checkShape(ids: ArrayLike<number>, rows: number, length: number, caller: string): void {
  if (!Number.isInteger(rows) || !Number.isInteger(length) || rows < 0 || length < 0 || ids.length !== rows * length) {
    throw new Error(`${caller}: ${ids.length} token ids do not fill [${rows}, ${length}]`);
  }
}

/** The error for an id outside the vocabulary, naming its position. */
export function idOutOfRange(caller: string, id: number, index: number, length: number, size: number): Error {
  return new Error(
    `${caller}: token id ${id} at [${Math.floor(index / length)}, ${index % length}] is not in the vocabulary of size ${size}`,
  );
}

/**
 * The options of how selected tokens are replaced, defaults filled in ({@link DEFAULT_REPLACEMENT}).
 *
 * @throws if the probabilities are not in [0, 1] or add up to more than 1, naming `caller`.
 */
export function resolveReplacement(options: Partial<TokenReplacementOptions>, caller: string): TokenReplacementOptions {
  const replacement = {
    maskReplaceProbability: options.maskReplaceProbability ?? DEFAULT_REPLACEMENT.maskReplaceProbability,
    randomReplaceProbability: options.randomReplaceProbability ?? DEFAULT_REPLACEMENT.randomReplaceProbability,
  };
  checkReplacement(replacement, caller);
  return replacement;
}

/** What becomes of a selected token (or a span): `[MASK]`, random non-special tokens, or itself. */
export type ReplacementKind = 'mask' | 'random' | 'keep';

/** The replacement step of masking, ready to draw (see {@link createTokenReplacer}). */
export interface TokenReplacer {
  /** The replacement of one selected token: `[MASK]`, a random non-special id, or `original` itself. */
  replace(original: number, rng: Rng): number;
  /** How a selected unit (SpanBERT: a whole span) is replaced: one draw. */
  kind(rng: Rng): ReplacementKind;
  /** A random non-special id, uniformly: one draw. */
  randomId(rng: Rng): number;
}

/** 2³²: a probability times this is a threshold on one 32-bit draw (`rng.nextUint32()`). */
export const UINT32 = 2 ** 32;

/**
 * The mask/random/keep step every masking shares (BERT, Devlin et al. 2019: 80/10/10): a selected
 * token becomes `[MASK]` with `maskReplaceProbability`, a random non-special id with
 * `randomReplaceProbability`, else stays. One 32-bit draw decides, against integer thresholds (no
 * float work in the masking loops; the same outcome as comparing `rng.next()` with the
 * probabilities); a random id takes one more draw.
 *
 * @example
 * const replacer = createTokenReplacer(resolveReplacement(options, caller), tables, vocabulary.maskId);
 * inputIds[i] = replacer.replace(id, rng);
 */
export function createTokenReplacer(
  replacement: TokenReplacementOptions,
  tables: VocabularyTables,
  maskId: number,
): TokenReplacer {
  const maskBelow = replacement.maskReplaceProbability * UINT32;
  const randomBelow = (replacement.maskReplaceProbability + replacement.randomReplaceProbability) * UINT32;
  const { replacementIds } = tables;
  const randomId = (rng: Rng) => replacementIds[Math.floor(rng.next() * replacementIds.length)] as number;
  return {
    replace(original, rng) {
      const draw = rng.nextUint32();
      if (draw < maskBelow) return maskId;
      return draw < randomBelow ? randomId(rng) : original;
    },
    kind(rng) {
      const draw = rng.nextUint32();
      return draw < maskBelow ? 'mask' : draw < randomBelow ? 'random' : 'keep';
    },
    randomId,
  };
}

/** The options every token masking takes: the vocabulary, the share of tokens to select and how they are replaced. */
export interface TokenMaskingOptions extends TokenReplacementOptions {
  vocabulary: TokenVocabulary;
  maskProbability: number;
}

/** What a token masking works with, its options checked and resolved ({@link prepareMasking}). */
export interface MaskingSetup {
  rows: number;
  length: number;
  vocabulary: TokenVocabulary;
  /** The share of non-special tokens to select (default 0.15). */
  maskProbability: number;
  tables: VocabularyTables;
  replacer: TokenReplacer;
}

/**
 * The start every token masking shares: checks that `ids` fill `shape` [rows, length], resolves
 * and checks `maskProbability` (default 0.15), then the masking's own options
 * (`checkOwnOptions`), then the replacement probabilities, and builds the vocabulary's tables and
 * the {@link TokenReplacer}.
 *
 * @throws naming `caller` and the option out of range, or for a vocabulary of only special tokens.
 */
export function prepareMasking(
  ids: ArrayLike<number>,
  shape: readonly [number, number],
  options: Partial<TokenMaskingOptions> & { vocabulary: TokenVocabulary },
  caller: string,
  checkOwnOptions: () => void = () => {},
): MaskingSetup {
  const [rows, length] = shape;
  checkShape(ids, rows, length, caller);
  const maskProbability = options.maskProbability ?? 0.15;
  checkProbability(maskProbability, 'maskProbability', caller);
  checkOwnOptions();
  const replacement = resolveReplacement(options, caller);
  const { vocabulary } = options;
  const tables = vocabularyTables(vocabulary, caller);
  return {
    rows,
    length,
    vocabulary,
    maskProbability,
    tables,
    replacer: createTokenReplacer(replacement, tables, vocabulary.maskId),
  };
}

/** The flat positions whose label is not {@link IGNORE_INDEX}, ascending: a {@link MaskedTokens}' `maskedPositions`. */
export function maskedPositionsOf(labels: Int32Array): Int32Array {
  let count = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] !== IGNORE_INDEX) count++;
  const positions = new Int32Array(count);
  let next = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] !== IGNORE_INDEX) positions[next++] = i;
  return positions;
}

/** @throws naming the option when `value` is not a probability in [0, 1]. */
export function checkProbability(value: number, name: string, caller: string): void {
  if (!(value >= 0 && value <= 1)) throw new Error(`${caller}: ${name} must be in [0, 1], got ${value}`);
}
