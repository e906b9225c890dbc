import type { Tensor2D } from '@selfsup/backend';
import type { PretextTask } from '@selfsup/pretext';
import { resolveWord2VecOptions, type Word2VecTaskOptions, word2vecTask } from '../word2vec-task.js';

export type SkipGramTaskOptions = Word2VecTaskOptions;

/**
 * Skip-gram with negative sampling (word2vec, Mikolov et al. 2013, arXiv:1310.4546): predict each
 * context word from the center word, against `negatives` noise words from count^0.75, with
 * frequent-word subsampling and a dynamic window. Samples are token ids [N, L]; inputs are the
 * centers [P], targets [P, 1 + negatives] (the context word first). The encoder is a pair of
 * embedding tables (`createWord2Vec`); its `apply` gives the word vectors.
 *
 * @example
 * const task = skipGramTask({ vocabulary: tokenizer.vocabulary, counts: tokenCounts(blocks, tokenizer.vocabSize) });
 * @throws without a vocabulary or counts, or for options out of range.
 */
export function skipGramTask(options: Partial<SkipGramTaskOptions> = {}): PretextTask<SkipGramTaskOptions, Tensor2D> {
  return {
    ...word2vecTask('skip-gram', resolveWord2VecOptions(options, 'skipGramTask')),
    description:
      'A word → the words of its context window, against sampled noise words (word2vec skip-gram, Mikolov et al. 2013)',
  };
}
