import type { TokenVocabulary } from '@selfsup/text';

/** The option through which token tasks receive the corpus's vocabulary (never written to a config). */
export const VOCABULARY_OPTION = 'vocabulary';

/**
 * A small consistent vocabulary (BERT's five special tokens at ids 0–4, then plain word tokens)
 * that lets a token task be made — its options resolved, its modality read — while a config is
 * validated, before any corpus is read or tokenizer trained. The run gives the real one.
 */
export function validationVocabulary(): TokenVocabulary {
  const size = 64;
  return {
    size,
    padId: 0,
    unkId: 1,
    clsId: 2,
    sepId: 3,
    maskId: 4,
    specialIds: [0, 1, 2, 3, 4],
    sentinelIds: [],
    continuation: new Uint8Array(size),
  };
}

/** A task's options without the vocabulary (what a config records). */
export function withoutVocabulary(options: object): Record<string, unknown> {
  const { [VOCABULARY_OPTION]: _vocabulary, ...rest } = options as Record<string, unknown>;
  return rest;
}
