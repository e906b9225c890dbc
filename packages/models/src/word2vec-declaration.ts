import { positiveInteger, section } from '@selfsup/pretext/option-schemas';
import type { z } from 'zod';
import { type ModelDeclaration, tokensOf } from './model-declaration.js';
import type { Word2VecOptions } from './word2vec.js';

/** The defaults of `createWord2Vec`: vectors of 100 (word2vec's). */
export const WORD2VEC_DEFAULTS: Required<Pick<Word2VecOptions, 'dim'>> = { dim: 100 };

const options = section({ dim: positiveInteger().default(WORD2VEC_DEFAULTS.dim).describe('vector width') });

/** `word2vec`: `createWord2Vec` by id, sized by the tokenizer. */
export const word2VecDeclaration: ModelDeclaration = {
  id: 'word2vec',
  modality: 'text',
  description:
    'word2vec’s word and context vectors (Mikolov et al. 2013) for skip-gram and cbow; features: a token’s word vector, or the mean over a sequence’s tokens',
  options,
  create: async (o: z.output<typeof options>, context) => {
    const tokens = tokensOf(context, 'word2vec');
    return (await import('./word2vec.js')).createWord2Vec({
      ...o,
      vocabSize: tokens.vocabSize,
      padTokenId: tokens.padTokenId,
      seed: context.seed,
    });
  },
};
