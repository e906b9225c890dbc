import type { Tensor2D } from '@selfsup/backend';
import type { PretextTask } from '@selfsup/pretext';
import { resolveWord2VecOptions, type Word2VecTaskOptions, word2vecTask } from '../word2vec-task.js';

export type CbowTaskOptions = Word2VecTaskOptions;

/**
 * Continuous bag of words with negative sampling (word2vec, Mikolov et al. 2013,
 * arXiv:1301.3781): predict each center word from the mean of its context words' vectors.
 * Samples are token ids [N, L]; inputs are context bags [P, 2·window] padded with the pad id (the
 * encoder averages the non-padding entries), targets [P, 1 + negatives] (the center first).
 *
 * @example
 * const task = cbowTask({ vocabulary: tokenizer.vocabulary, counts });
 * @throws without a vocabulary or counts, or for options out of range.
 */
export function cbowTask(options: Partial<CbowTaskOptions> = {}): PretextTask<CbowTaskOptions, Tensor2D> {
  return {
    ...word2vecTask('cbow', resolveWord2VecOptions(options, 'cbowTask')),
    description:
      "The bag of a window's context words → the word at its centre, against sampled noise words (word2vec CBOW, Mikolov et al. 2013)",
  };
}
