import { createTokenVocabulary, type TokenVocabulary } from '@selfsup/text/vocabulary';

/**
 * Task options the run fills in from the corpus, never written to a config: the tokenizer's
 * vocabulary (every token task) and the token counts over the corpus (word2vec's noise and
 * subsampling frequencies). A config that sets one is refused with the reason given here.
 */
export const RUN_PROVIDED_OPTIONS: Readonly<Record<string, string>> = {
  vocabulary: 'is set by the run from the corpus’s tokenizer (see data.tokenizer)',
  counts: 'is set by the run: token counts over the corpus',
};

const VALIDATION_VOCABULARY_SIZE = 64;
const VALIDATION_SENTINELS = 8;

/**
 * A small consistent vocabulary (BERT's five special tokens at ids 0–4, eight T5 sentinels, then
 * plain word tokens) that lets a token task be made — its options resolved, its modality read —
 * while a config is validated, before any corpus is read or tokenizer trained. The run gives the real one.
 */
export function validationVocabulary(): TokenVocabulary {
  return createTokenVocabulary(VALIDATION_VOCABULARY_SIZE, { sentinels: VALIDATION_SENTINELS });
}

/** Stand-ins for every run-provided option, to make a task while validating or listing. */
export function validationTaskOptions(): Record<string, unknown> {
  return {
    vocabulary: validationVocabulary(),
    counts: new Float64Array(VALIDATION_VOCABULARY_SIZE).fill(1),
  };
}

/** A task's options without the run-provided ones (what a config records). */
export function withoutRunProvided(options: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([key]) => !(key in RUN_PROVIDED_OPTIONS)));
}
