import type { Tensor2D } from '@selfsup/backend';
import type { PretextTask } from '@selfsup/pretext';
import { checkProbability, checkReplacement, DEFAULT_REPLACEMENT } from '../../masking/masked-tokens.js';
import { type WholeWordMaskingOptions, wholeWordMaskTokens } from '../../masking/whole-word-masking.js';
import { maskedLanguageModelTask } from '../masked-language-model-task.js';
import { requireVocabulary } from '../require-vocabulary.js';

export type WholeWordMlmTaskOptions = WholeWordMaskingOptions;

/**
 * Masked language modelling with whole-word masking (BERT WWM): all word pieces of a chosen word
 * are masked together, 15 % of the tokens per row (see {@link wholeWordMaskTokens}).
 *
 * @example
 * const task = wholeWordMlmTask({ vocabulary: tokenizer.vocabulary });
 * @throws without a vocabulary, or for probabilities out of range.
 */
export function wholeWordMlmTask(
  options: Partial<WholeWordMlmTaskOptions> = {},
): PretextTask<WholeWordMlmTaskOptions, Tensor2D> {
  const resolved: WholeWordMlmTaskOptions = {
    vocabulary: requireVocabulary(options.vocabulary, 'wholeWordMlmTask'),
    maskProbability: options.maskProbability ?? 0.15,
    maskReplaceProbability: options.maskReplaceProbability ?? DEFAULT_REPLACEMENT.maskReplaceProbability,
    randomReplaceProbability: options.randomReplaceProbability ?? DEFAULT_REPLACEMENT.randomReplaceProbability,
  };
  checkProbability(resolved.maskProbability, 'maskProbability', 'wholeWordMlmTask');
  checkReplacement(resolved, 'wholeWordMlmTask');
  return {
    ...maskedLanguageModelTask('whole-word-mlm', resolved, (ids, shape, rng) =>
      wholeWordMaskTokens(ids, shape, resolved, rng),
    ),
    description: 'As bert-mlm, with all the pieces of a chosen word selected together (BERT whole-word masking)',
  };
}
