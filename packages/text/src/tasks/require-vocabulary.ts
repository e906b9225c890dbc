import { checkVocabulary, type TokenVocabulary } from '../tokenizer/token-vocabulary.js';

/** The vocabulary option every token task needs. @throws naming the factory when it is missing or inconsistent. */
export function requireVocabulary(vocabulary: TokenVocabulary | undefined, factory: string): TokenVocabulary {
  if (vocabulary === undefined) {
    throw new Error(`${factory}: options.vocabulary is required (pass tokenizer.vocabulary)`);
  }
  checkVocabulary(vocabulary, factory);
  return vocabulary;
}
