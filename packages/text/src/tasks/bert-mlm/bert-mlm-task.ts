import type { Tensor2D } from '@selfsup/backend';
import type { PretextTask } from '@selfsup/pretext';
import { type BertMaskingOptions, maskTokens } from '../../masking/bert-masking.js';
import { checkProbability, checkReplacement, DEFAULT_REPLACEMENT } from '../../masking/masked-tokens.js';
import { maskedLanguageModelTask } from '../masked-language-model-task.js';
import { requireVocabulary } from '../require-vocabulary.js';

export type BertMlmTaskOptions = BertMaskingOptions;

/**
 * BERT's masked language modelling (Devlin et al. 2019, arXiv:1810.04805): 15 % of the
 * non-special tokens selected independently, 80/10/10 `[MASK]`/random/kept, the encoder's MLM
 * head predicts the originals (see {@link maskTokens}). Samples are token ids [N, L] (int32,
 * padded with the pad id); the encoder must be a masked language model (`createTextTransformer`).
 *
 * @example
 * const task = bertMlmTask({ vocabulary: tokenizer.vocabulary });
 * await pretrain({ objective: taskObjective(task, createTextTransformer({ vocabSize: tokenizer.vocabSize })), … });
 * @throws without a vocabulary, or for probabilities out of range.
 */
export function bertMlmTask(options: Partial<BertMlmTaskOptions> = {}): PretextTask<BertMlmTaskOptions, Tensor2D> {
  const resolved: BertMlmTaskOptions = {
    vocabulary: requireVocabulary(options.vocabulary, 'bertMlmTask'),
    maskProbability: options.maskProbability ?? 0.15,
    maskReplaceProbability: options.maskReplaceProbability ?? DEFAULT_REPLACEMENT.maskReplaceProbability,
    randomReplaceProbability: options.randomReplaceProbability ?? DEFAULT_REPLACEMENT.randomReplaceProbability,
  };
  checkProbability(resolved.maskProbability, 'maskProbability', 'bertMlmTask');
  checkReplacement(resolved, 'bertMlmTask');
  return {
    ...maskedLanguageModelTask('bert-mlm', resolved, (ids, shape, rng) => maskTokens(ids, shape, resolved, rng)),
    description:
      'Token ids with some tokens selected and masked, replaced or kept → the original tokens there (BERT, Devlin et al. 2019)',
  };
}
