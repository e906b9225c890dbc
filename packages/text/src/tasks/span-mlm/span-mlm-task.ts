import type { Tensor2D } from '@selfsup/backend';
import type { PretextTask } from '@selfsup/pretext';
import { checkProbability, checkReplacement, DEFAULT_REPLACEMENT } from '../../masking/masked-tokens.js';
import { checkSpanLengths, type SpanMaskingOptions, spanMaskTokens } from '../../masking/span-masking.js';
import { maskedLanguageModelTask } from '../masked-language-model-task.js';
import { requireVocabulary } from '../require-vocabulary.js';

export type SpanMlmTaskOptions = SpanMaskingOptions;

/**
 * SpanBERT's span masking (Joshi et al. 2020, arXiv:1907.10529): contiguous spans of whole words,
 * lengths from a geometric distribution (p = 0.2, at most 10 words), 15 % of the tokens, each
 * span replaced as a unit (see {@link spanMaskTokens}); trained with the MLM loss.
 *
 * @example
 * const task = spanMlmTask({ vocabulary: tokenizer.vocabulary, geometricP: 0.2, maxSpanLength: 10 });
 * @throws without a vocabulary, or for options out of range.
 */
export function spanMlmTask(options: Partial<SpanMlmTaskOptions> = {}): PretextTask<SpanMlmTaskOptions, Tensor2D> {
  const resolved: SpanMlmTaskOptions = {
    vocabulary: requireVocabulary(options.vocabulary, 'spanMlmTask'),
    maskProbability: options.maskProbability ?? 0.15,
    geometricP: options.geometricP ?? 0.2,
    maxSpanLength: options.maxSpanLength ?? 10,
    maskReplaceProbability: options.maskReplaceProbability ?? DEFAULT_REPLACEMENT.maskReplaceProbability,
    randomReplaceProbability: options.randomReplaceProbability ?? DEFAULT_REPLACEMENT.randomReplaceProbability,
  };
  checkProbability(resolved.maskProbability, 'maskProbability', 'spanMlmTask');
  checkReplacement(resolved, 'spanMlmTask');
  checkSpanLengths(resolved.geometricP, resolved.maxSpanLength, 'spanMlmTask');
  return {
    ...maskedLanguageModelTask('span-mlm', resolved, (ids, shape, rng) => spanMaskTokens(ids, shape, resolved, rng)),
    description:
      'Whole-word spans of geometric length selected and replaced as a unit → the original tokens there (SpanBERT, Joshi et al. 2020)',
  };
}
